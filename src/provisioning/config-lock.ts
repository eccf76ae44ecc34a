/**
 * Where a phone's password-bearing files may go, and where pushes to it go: one host only.
 *   - the address in `phones[].ip` when it is an IP literal (a firm lock: set it with a DHCP reservation), else
 *   - the address that took the phone's lock (`ConfigLocks`: the first host its own config file was served to).
 * With `server.tftp.lockConfigToIp` (on by default) the files are refused to every other address;
 * turned off, anyone may fetch them, and the lock still names the push address.
 */
import { isIP } from 'node:net';
import type { AppContext } from '../context.js';
import type { Phone } from '../phones/inventory.js';
import { normaliseAddress } from '../tftp/clients.js';

/** `192.168.1.20`, `192.168.1.20:8080`, `[fe80::1]:80`, `fe80::1` → the address part, or undefined. */
export function addressOf(ip: string): string | undefined {
  const trimmed = ip.trim();
  if (isIP(trimmed)) return normaliseAddress(trimmed);
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(trimmed);
  if (bracketed && isIP(bracketed[1]!)) return normaliseAddress(bracketed[1]!);
  const withPort = /^([^:]+):\d+$/.exec(trimmed);
  if (withPort && isIP(withPort[1]!)) return withPort[1]!;
  return undefined;
}

/** The phone's one host: its `ip:` (an IP literal), else its lock holder, else undefined (nobody yet). */
export function phoneHost(ctx: Pick<AppContext, 'configLocks'>, phone: Phone): string | undefined {
  return (phone.ip ? addressOf(phone.ip) : undefined) ?? ctx.configLocks.get(phone.name)?.address;
}

/**
 * The address a phone's own config file may be served to, decided as `client` asks for it: the
 * phone's host, or, when it has none yet, `client` itself, which takes the lock (trust on first
 * use). Undefined when `lockConfigToIp` is off (anyone). Called only for a request that passed
 * `server.tftp.allow` and is about to be served, so a refused request never takes the lock.
 */
export function configFileLock(ctx: AppContext, phone: Phone, client: string): string | undefined {
  const host = phoneHost(ctx, phone) ?? ctx.configLocks.claim(phone.name, normaliseAddress(client)).address;
  return ctx.config.server.tftp.lockConfigToIp ? host : undefined;
}

/** Whether any phone's config file carries a password (SIP line, SSH console, settings unlock). */
function filesCarryPasswords(phones: readonly Phone[]): boolean {
  return phones.some((p) => Boolean(p.sshPassword || p.phonePassword || p.lines.some((l) => l.password)));
}

/** The one startup warning when config files carry passwords and any host on the network may ask for them. */
export function openProvisioningWarning(ctx: Pick<AppContext, 'config' | 'inventory'>): string | undefined {
  const tftp = ctx.config.server.tftp;
  if (tftp.allow !== undefined || !filesCarryPasswords(ctx.inventory.phones)) return undefined;
  const lock = tftp.lockConfigToIp
    ? "each phone's config file goes only to its ip: or to the first address that fetched it"
    : 'server.tftp.lockConfigToIp is off, so any host that knows a MAC can read its passwords';
  return `phone config files carry passwords and server.tftp.allow is unset (${lock}); restrict who may fetch files with server.tftp.allow: ["192.168.1.0/24"] (the phones' subnet)`;
}
