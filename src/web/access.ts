/**
 * Who may open the owner's page: with `admin.password` set, HTTP Basic with that username and
 * password from anywhere (loopback included); without one, callers on this computer only: a
 * loopback address, no proxy headers, and a Host that names this computer (`owner-guard.ts`).
 */
import { sameSecret } from '../push/credentials.js';
import { hostProblem, isLoopback, isProxied } from './owner-guard.js';

export interface AdminCredentials {
  username: string;
  password?: string | undefined;
}

export interface AccessFacts {
  ip: string;
  headers: Record<string, string | string[] | undefined>;
  /** `server.publicUrl`: its host passes the Host check when it names this computer. */
  publicUrl: string;
}

export type AccessDecision =
  | { ok: true }
  /** `wrongPassword`: credentials were given and are wrong (a guess, for the throttle). */
  | { ok: false; status: 401 | 403; message: string; wrongPassword?: boolean };

/** `Basic dXNlcjpwYXNz` → { username, password }, or undefined. */
export function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function header(facts: AccessFacts, name: string): string | undefined {
  const value = facts.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function decideAccess(admin: AdminCredentials, facts: AccessFacts): AccessDecision {
  if (admin.password === undefined || admin.password === '') {
    if (!isLoopback(facts.ip)) {
      return { ok: false, status: 403, message: 'The ciscophone page answers only on this computer (127.0.0.1) until admin.password is set in the config.' };
    }
    if (isProxied(facts.headers)) {
      return { ok: false, status: 403, message: 'The ciscophone page does not answer through a proxy until admin.password is set in the config.' };
    }
    const hostIssue = hostProblem(header(facts, 'host'), facts.publicUrl);
    return hostIssue ? { ok: false, status: 403, message: hostIssue } : { ok: true };
  }
  const given = parseBasic(header(facts, 'authorization'));
  // Both compared every time, so a wrong username takes as long as a wrong password.
  const userOk = sameSecret(given?.username ?? '', admin.username);
  const passOk = sameSecret(given?.password ?? '', admin.password);
  if (given && userOk && passOk) return { ok: true };
  return { ok: false, status: 401, message: 'Sign in with the admin username and password from the config.', wrongPassword: given !== undefined };
}
