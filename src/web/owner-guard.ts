/**
 * What keeps other web pages and other hosts away from the owner's routes, beyond the password
 * (`access.ts`): the Host a loopback-only page answers to (DNS rebinding), proxy headers, the
 * Origin of state-changing requests (cross-site requests), and the headers every owner answer
 * carries. Pure functions; and one way to send a refusal.
 */
import { isIP, isIPv4 } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * On every owner answer: scripts, styles and connections from this server only, no inline script,
 * never inside a frame (CSP `frame-ancestors`, and X-Frame-Options for older browsers), no
 * content-type guessing, no Referer (URLs may name phones). Preview pictures are `data:` URLs.
 */
export const OWNER_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback (`::ffff:127.0.0.1`). */
export function isLoopback(ip: string): boolean {
  const v4 = ip.toLowerCase().startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return ip === '::1' || ip === '0:0:0:0:0:0:0:1';
}

/** `localhost:8080`, `[::1]:80`, `127.0.0.1` → `localhost`, `::1`, `127.0.0.1` (lower case). */
export function hostName(host: string): string {
  const text = host.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(text);
  if (bracketed) return bracketed[1]!;
  if (isIP(text) === 6) return text;
  return text.replace(/:\d*$/, '').replace(/\.$/, '');
}

/** `localhost`, `*.localhost` (RFC 6761 §6.3: always loopback) or a loopback address. */
export function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || (isIP(name) !== 0 && isLoopback(name));
}

/**
 * Why a loopback-only page refuses this Host, or undefined. A page on another site can make the
 * browser send its own name (DNS rebinding: evil.example resolving to 127.0.0.1); only names
 * that always mean this computer, and `publicUrl`'s when it is one of them, pass.
 */
export function hostProblem(host: string | undefined, publicUrl: string): string | undefined {
  if (host === undefined || host === '') return 'The ciscophone page needs a Host header.';
  const name = hostName(host);
  if (isLoopbackName(name)) return undefined;
  const publicHost = hostName(new URL(publicUrl).host);
  if (name === publicHost && isLoopbackName(publicHost)) return undefined;
  return `The ciscophone page without admin.password answers only to http://localhost or http://127.0.0.1, not to "${name.slice(0, 80)}".`;
}

/** A request passed on by a proxy on this computer: its real client is elsewhere, so it is not local. */
export function isProxied(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['forwarded'] !== undefined || headers['x-forwarded-for'] !== undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a state-changing request is refused for its Origin, or undefined. Browsers send Origin with
 * every cross-site POST/DELETE; when one is sent it must be this page's own (same host and port).
 */
export function originProblem(method: string, origin: string | undefined, host: string | undefined): string | undefined {
  if (SAFE_METHODS.has(method.toUpperCase()) || origin === undefined) return undefined;
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    originHost = undefined;
  }
  if (originHost !== undefined && host !== undefined && originHost === host.trim().toLowerCase()) return undefined;
  return `Refused: a request from another site (Origin ${origin.slice(0, 80)}) may not change anything here.`;
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A refusal in one line: JSON for the API, plain text for the page and its files. */
export function sendOwnerRefusal(request: FastifyRequest, reply: FastifyReply, status: number, message: string): FastifyReply {
  const wantsJson = request.url.startsWith('/api/');
  return reply
    .code(status)
    .type(wantsJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8')
    .send(wantsJson ? JSON.stringify({ error: message }) : `${message}\n`);
}
