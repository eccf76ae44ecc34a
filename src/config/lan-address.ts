import os from 'node:os';

/** Interfaces phones on the LAN cannot reach: container bridges, virtual pairs, VPN tunnels. */
const NOT_THE_LAN = /^(docker|br-|veth|virbr|lxcbr|lxdbr|cni|flannel|cali|podman|tun|tap|wg|zt|tailscale)/;

/** 10/8, 172.16/12 and 192.168/16 (RFC 1918 §3): where a home or office LAN lives. */
function isPrivate(address: string): boolean {
  const [a, b] = address.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/**
 * This machine's address on the LAN, as phones reach it (the default publicUrl, and `init`'s
 * suggestion): a private IPv4 address of an interface that is not a container bridge or a VPN,
 * else any such address, else any non-loopback IPv4 address, else 127.0.0.1.
 */
export function lanIPv4(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string {
  const all = Object.entries(interfaces).flatMap(([name, addresses]) =>
    (addresses ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => ({ name, address: a.address })),
  );
  const lan = all.filter((a) => !NOT_THE_LAN.test(a.name));
  return (lan.find((a) => isPrivate(a.address)) ?? lan[0] ?? all[0])?.address ?? '127.0.0.1';
}
