/**
 * Header names as phones' HTTP clients see them in Cisco's own servers' replies: `Content-Type`,
 * `Content-Length`, `Refresh`, `Expires`. Fastify keeps header names lower-case, which HTTP/1.1
 * allows (RFC 9110 §5.1: names are case-insensitive) but the phones' old, undocumented clients
 * were only ever seen with the canonical form; so replies to phones are written with it.
 */
import type { ServerResponse } from 'node:http';

type Headers = Record<string, string | number | readonly string[] | undefined>;

/** `content-type` → `Content-Type`, `x-cisco-foo` → `X-Cisco-Foo`. */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

export function canonicalHeaders(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [canonicalHeaderName(name), value]));
}

const PATCHED = Symbol('canonicalHeaderNames');

/**
 * Makes `response` write its header names in canonical form. Fastify hands its (lower-case)
 * header object to `writeHead`; Node writes names exactly as given, so they are renamed there.
 */
export function writeCanonicalHeaderNames(response: ServerResponse): void {
  const marked = response as ServerResponse & { [PATCHED]?: true };
  if (marked[PATCHED]) return;
  marked[PATCHED] = true;
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
  response.writeHead = ((status: number, ...rest: unknown[]) => {
    for (const [name, value] of Object.entries(canonicalHeaders(response.getHeaders() as Headers))) {
      response.removeHeader(name);
      if (value !== undefined) response.setHeader(name, value as string);
    }
    const last = rest.at(-1);
    if (last && typeof last === 'object' && !Array.isArray(last)) rest[rest.length - 1] = canonicalHeaders(last as Headers);
    return writeHead(status, ...rest);
  }) as ServerResponse['writeHead'];
}
