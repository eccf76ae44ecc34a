/**
 * `server.tftp.lockConfigToIp`: TFTP has no authentication, yet SEP/SIP files carry SIP
 * passwords. With the lock on, a phone's file goes only to one address:
 *   - the address in `phones[].ip` when it is an IP literal (a firm lock: set it with a DHCP reservation), else
 *   - the address the phone was last seen at (the activity log), else
 *   - anyone, the first time (trust on first use: a new phone must be able to boot).
 * Trade-off: the first fetch is unprotected, and a phone that moves to a new address is refused
 * until its `ip:` is set or its entry is dropped from data/activity.json. A failed fetch from
 * another address never moves the lock (see `recordFetch`).
 */
import { isIP } from 'node:net';
import type { AppContext } from '../context.js';
import type { Phone } from '../phones/inventory.js';

/** `192.168.1.20`, `192.168.1.20:8080`, `[fe80::1]:80`, `fe80::1` → the address part, or undefined. */
export function addressOf(ip: string): string | undefined {
  const trimmed = ip.trim();
  if (isIP(trimmed)) return trimmed.toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(trimmed);
  if (bracketed && isIP(bracketed[1]!)) return bracketed[1]!.toLowerCase();
  const withPort = /^([^:]+):\d+$/.exec(trimmed);
  if (withPort && isIP(withPort[1]!)) return withPort[1]!;
  return undefined;
}

/** The only address the phone's config may go to, or undefined when anyone may fetch it. */
export function configLockFor(ctx: AppContext, phone: Phone): string | undefined {
  if (!ctx.config.server.tftp.lockConfigToIp) return undefined;
  return (phone.ip ? addressOf(phone.ip) : undefined) ?? ctx.activity.lastIp(phone.name);
}
