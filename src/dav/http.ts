/**
 * The one `fetch` every DAV request goes through: a timeout per request, Basic or Digest
 * authentication, and redirects followed by hand so credentials survive them where that is safe.
 */
import { createHash, randomBytes } from 'node:crypto';
import { limitResponse, readPrefix } from '../net/bounded-body.js';
import { DavError } from '../errors.js';

/**
 * Most decoded bytes one DAV answer may have (a PROPFIND, a sync report, a multiget batch of 200
 * cards with their photos). A larger answer is refused; the source keeps its last good copy.
 */
export const DAV_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Start of an error answer kept for its status line. */
const ERROR_BODY_BYTES = 2048;

export interface DavFetchOptions {
  username?: string;
  password?: string;
  /** Per request, each redirect hop included. */
  timeoutMs: number;
  /** Transport (default: the global fetch). */
  fetch?: typeof fetch;
  /** Redirect hops followed before giving up (default 5). */
  maxRedirects?: number;
  /** Most decoded bytes of one answer (default DAV_MAX_RESPONSE_BYTES); more fails with BodyTooLargeError. */
  maxResponseBytes?: number;
  /** What an answer is called in the error when it is too large (default "the answer from <origin>"). */
  answerName?: string;
}

interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: string;
  qop?: string;
  count: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A fetch for tsdav's `fetch` option. It throws DavError for every HTTP status >= 400 (after one
 * authentication round), for timeouts and for network failures, so a DAV call never mistakes an
 * error page for an empty answer. Every body it returns is limited to `maxResponseBytes` decoded
 * bytes, counted while it streams (src/net/bounded-body.ts): reading more fails with
 * BodyTooLargeError, which tsdav passes on.
 */
export function createDavFetch(options: DavFetchOptions): typeof fetch {
  const transport = options.fetch ?? globalThis.fetch;
  const maxRedirects = options.maxRedirects ?? 5;
  const maxResponseBytes = options.maxResponseBytes ?? DAV_MAX_RESPONSE_BYTES;
  const hasCredentials = options.username !== undefined && options.password !== undefined;
  let digest: DigestChallenge | undefined;
  /** Origins credentials may go to: the first one asked, and those it redirected to over https or same scheme. */
  const trusted = new Set<string>();

  const authorization = (method: string, url: URL): string | undefined => {
    if (!hasCredentials || !trusted.has(url.origin)) return undefined;
    if (digest) return digestHeader(digest, options.username!, options.password!, method, url.pathname + url.search);
    // RFC 7617 §2.1: user-id and password as UTF-8 (also for characters outside Latin-1).
    return `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
  };

  const once = async (url: URL, method: string, headers: Headers, body: BodyInit | null | undefined): Promise<Response> => {
    const auth = authorization(method, url);
    if (auth) headers.set('Authorization', auth);
    else headers.delete('Authorization');
    const send = () => transport(url, { method, headers, body: body ?? null, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
    try {
      try {
        return await send();
      } catch (err) {
        // RFC 9110 §9.2.2: a request whose connection closed before any answer (a kept-alive
        // connection the server had just dropped) may be sent again once; every DAV request we
        // send reads.
        if (!resetBeforeAnswer(err)) throw err;
        return await send();
      }
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new DavError(`no answer from ${url.origin} within ${Math.round(options.timeoutMs / 1000)} s`);
      }
      throw new DavError(`cannot reach ${url.origin}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
    }
  };

  return async (input, init = {}) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    const headers = new Headers(init.headers);
    if (trusted.size === 0) trusted.add(url.origin);
    for (let hop = 0; ; hop++) {
      let res = await once(url, method, headers, body);
      if (res.status === 401 && hasCredentials && trusted.has(url.origin)) {
        // RFC 7616 §3.3: answer a Digest challenge (also a stale nonce) once, then keep using it.
        const challenge = parseDigestChallenge(res.headers.get('www-authenticate'));
        if (challenge && (!digest || challenge.nonce !== digest.nonce)) {
          await res.body?.cancel();
          digest = challenge;
          res = await once(url, method, headers, body);
        }
      }
      if (REDIRECTS.has(res.status) && res.headers.get('location')) {
        await res.body?.cancel();
        if (hop >= maxRedirects) throw new DavError(`too many redirects from ${url.origin}`, res.status);
        const next = new URL(res.headers.get('location')!, url);
        // Credentials follow a redirect to another origin only if it does not downgrade to plain http.
        if (trusted.has(url.origin) && !(url.protocol === 'https:' && next.protocol === 'http:')) trusted.add(next.origin);
        // Fetch spec: 303 becomes GET; 301/302/307/308 keep method and body for DAV methods.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }
      if (res.status >= 400) {
        const text = await readPrefix(res, ERROR_BODY_BYTES);
        throw new DavError(reason(res.status, res.statusText, url, method), res.status, text);
      }
      return limitResponse(res, maxResponseBytes, options.answerName ?? `the answer from ${url.origin} (${method} ${url.pathname})`);
    }
  };
}

/** Whether a fetch failed because the connection was reset or closed before an answer came. */
function resetBeforeAnswer(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET';
}

function reason(status: number, statusText: string, url: URL, method: string): string {
  if (status === 401) return `authentication failed at ${url.origin} (HTTP 401): check username and password`;
  if (status === 403) return `access denied: ${method} ${url.pathname} (HTTP 403)`;
  if (status === 404) return `not found: ${url.pathname} (HTTP 404)`;
  return `${method} ${url.pathname} failed: HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
}

/** RFC 7616 §3.3: the parameters of a `WWW-Authenticate: Digest ...` header (MD5 / SHA-256, qop=auth). */
export function parseDigestChallenge(header: string | null): DigestChallenge | undefined {
  if (!header || !/^\s*digest\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\s*digest\s+/i, '').matchAll(/([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/gi)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  if (!params.realm || !params.nonce) return undefined;
  const qops = (params.qop ?? '').split(',').map((q) => q.trim());
  return {
    realm: params.realm,
    nonce: params.nonce,
    ...(params.opaque !== undefined ? { opaque: params.opaque } : {}),
    algorithm: params.algorithm ?? 'MD5',
    ...(qops.includes('auth') ? { qop: 'auth' } : {}),
    count: 0,
  };
}

function digestHeader(c: DigestChallenge, username: string, password: string, method: string, uri: string): string {
  const algorithm = c.algorithm.toUpperCase().replace(/-SESS$/, '');
  const hash = (s: string) => createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5').update(s, 'utf8').digest('hex');
  const cnonce = randomBytes(8).toString('hex');
  c.count++;
  const nc = c.count.toString(16).padStart(8, '0');
  let ha1 = hash(`${username}:${c.realm}:${password}`);
  if (/-sess$/i.test(c.algorithm)) ha1 = hash(`${ha1}:${c.nonce}:${cnonce}`);
  const ha2 = hash(`${method}:${uri}`);
  const response = c.qop ? hash(`${ha1}:${c.nonce}:${nc}:${cnonce}:${c.qop}:${ha2}`) : hash(`${ha1}:${c.nonce}:${ha2}`);
  const parts = [
    `username="${username.replace(/(["\\])/g, '\\$1')}"`,
    `realm="${c.realm}"`,
    `nonce="${c.nonce}"`,
    `uri="${uri}"`,
    `algorithm=${c.algorithm}`,
    `response="${response}"`,
  ];
  if (c.opaque !== undefined) parts.push(`opaque="${c.opaque}"`);
  if (c.qop) parts.push(`qop=${c.qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  return `Digest ${parts.join(', ')}`;
}
