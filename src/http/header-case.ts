/**
 * Header names as phones' HTTP clients see them in Cisco's own servers' replies: `Content-Type`,
 * `Content-Length`, `Refresh`, `Expires`. Fastify keeps header names lower-case, which HTTP/1.1
 * allows (RFC 9110 §5.1: names are case-insensitive) but the phones' old, undocumented clients
 * were only ever seen with the canonical form; so replies to phones are written with it.
 */
import type { ServerResponse } from 'node:http';

type Headers = Record<string, string | number | readonly string[] | undefined>;

/** Canonical forms already computed: replies use a handful of names, so each is worked out once. */
const canonicalNames = new Map<string, string>();
/** Bound on that map (names are ours, but a bound keeps it a cache whatever is set). */
const CANONICAL_NAMES_MAX = 256;

/** `content-type` → `Content-Type`, `x-cisco-foo` → `X-Cisco-Foo`. */
export function canonicalHeaderName(name: string): string {
  const known = canonicalNames.get(name);
  if (known !== undefined) return known;
  const canonical = name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
  if (canonicalNames.size < CANONICAL_NAMES_MAX) canonicalNames.set(name, canonical);
  return canonical;
}

export function canonicalHeaders<T>(headers: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(headers)) out[canonicalHeaderName(name)] = value;
  return out;
}

/** `writeHead` of a response marked by writeCanonicalHeaderNames (one function for all of them). */
function canonicalWriteHead(this: ServerResponse, status: number, ...rest: unknown[]): ServerResponse {
  for (const name of this.getHeaderNames()) {
    const canonical = canonicalHeaderName(name);
    if (canonical === name) continue;
    const value = this.getHeader(name);
    this.removeHeader(name);
    if (value !== undefined) this.setHeader(canonical, value);
  }
  const last = rest.at(-1);
  if (last && typeof last === 'object' && !Array.isArray(last)) rest[rest.length - 1] = canonicalHeaders(last as Headers);
  // The class's own writeHead (Node's, or a test double's), which this own property hides.
  const writeHead = (Object.getPrototypeOf(this) as ServerResponse).writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  return writeHead.call(this, status, ...rest);
}

/**
 * Makes `response` write its header names in canonical form. Fastify hands its (lower-case)
 * header object to `writeHead`; Node writes names exactly as given, so they are renamed there.
 */
export function writeCanonicalHeaderNames(response: ServerResponse): void {
  response.writeHead = canonicalWriteHead as ServerResponse['writeHead'];
}
