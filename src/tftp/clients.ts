/**
 * Client addresses: normalisation of IPv4-mapped IPv6 addresses and the
 * optional allow-list of client subnets.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export interface TftpClient {
  /** IP address; an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is given as plain IPv4. */
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

/** `::ffff:192.0.2.1` → `192.0.2.1`; other addresses unchanged (IPv6 lower-cased). */
export function normaliseAddress(address: string): string {
  // An IPv4 address, as sockets give most clients' (and every phone request's), is kept as is.
  if (!address.includes(':')) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  return isIPv6(address) ? address.toLowerCase() : address;
}

export function clientFromRemote(remote: { address: string; port: number }): TftpClient {
  const address = normaliseAddress(remote.address);
  return { address, port: remote.port, family: isIPv4(address) ? 'IPv4' : 'IPv6' };
}

/**
 * Builds a matcher from entries such as `192.168.1.0/24`, `127.0.0.1`,
 * `fd00::/8` or `::1`. Throws on an entry that is not an address or subnet.
 */
export function createAllowList(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [net = '', prefixText] = entry.trim().split('/');
    const type = isIPv4(net) ? 'ipv4' : isIPv6(net) ? 'ipv6' : null;
    const max = type === 'ipv4' ? 32 : 128;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (type === null || !(prefix >= 0 && prefix <= max)) {
      throw new Error(`invalid TFTP allow-list entry "${entry}": expected an IPv4/IPv6 address or CIDR subnet`);
    }
    list.addSubnet(net, prefix, type);
  }
  return (address) => {
    const normal = normaliseAddress(address);
    return list.check(normal, isIPv4(normal) ? 'ipv4' : 'ipv6');
  };
}
