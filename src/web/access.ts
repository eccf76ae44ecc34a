/**
 * Who may open the owner's page: with `admin.password` set, HTTP Basic with that username and
 * password from anywhere (loopback included); without one, loopback callers only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';

export interface AdminCredentials {
  username: string;
  password?: string | undefined;
}

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback (`::ffff:127.0.0.1`). */
export function isLoopback(ip: string): boolean {
  const v4 = ip.toLowerCase().startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return ip === '::1' || ip === '0:0:0:0:0:0:0:1';
}

/** Equal strings in a time that does not depend on where they differ (hashes have equal length). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** `Basic dXNlcjpwYXNz` → { username, password }, or undefined. */
export function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function decideAccess(admin: AdminCredentials, ip: string, authorization: string | undefined): AccessDecision {
  if (admin.password === undefined || admin.password === '') {
    if (isLoopback(ip)) return { ok: true };
    return {
      ok: false,
      status: 403,
      message: 'The ciscophone page answers only on this computer (127.0.0.1) until admin.password is set in the config.',
    };
  }
  const given = parseBasic(authorization);
  // Both compared every time, so a wrong username takes as long as a wrong password.
  const userOk = sameSecret(given?.username ?? '', admin.username);
  const passOk = sameSecret(given?.password ?? '', admin.password);
  if (given && userOk && passOk) return { ok: true };
  return { ok: false, status: 401, message: 'Sign in with the admin username and password from the config.' };
}
