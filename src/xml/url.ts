/**
 * URLs inside phone objects: building absolute service URLs and checking what a phone can follow.
 */
import { LIMITS } from './limits.js';

/**
 * Internal URI schemes the phone executes itself (Cisco developer notes, "Internal URI Features").
 * Case-sensitive, like the phone's parser.
 */
export const INTERNAL_URI_SCHEMES = [
  'SoftKey', 'Dial', 'EditDial', 'Key', 'Init', 'Play', 'QueryStringParam', 'Notify',
  'RTPRx', 'RTPTx', 'RTPMRx', 'RTPMTx', 'Display', 'App', 'Device', 'SendDigits', 'Vibrate',
] as const;
export type InternalUriScheme = (typeof INTERNAL_URI_SCHEMES)[number];

const HTTP_URL = /^https?:\/\/[^/?#\s]+(?:[/?#]\S*)?$/i;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export type UrlKind = 'http' | InternalUriScheme;

/** The kind of a URL as a phone sees it, or undefined when the phone cannot follow it. */
export function urlKind(url: string): UrlKind | undefined {
  if (HTTP_URL.test(url)) return 'http';
  const colon = url.indexOf(':');
  if (colon <= 0) return undefined;
  const scheme = url.slice(0, colon);
  return (INTERNAL_URI_SCHEMES as readonly string[]).includes(scheme) ? (scheme as InternalUriScheme) : undefined;
}

/**
 * Why a URL cannot go into a phone object, or undefined when it can: it must be an absolute
 * http(s) URL or an internal URI, printable ASCII (spaces only inside internal URIs), and at most
 * LIMITS.url characters.
 */
export function urlProblem(url: string): string | undefined {
  if (typeof url !== 'string') return 'URL missing';
  if (url.length === 0) return 'empty URL';
  if (url.length > LIMITS.url) return `URL longer than ${LIMITS.url} characters (${url.length})`;
  if (!PRINTABLE_ASCII.test(url)) return `URL contains characters outside printable ASCII: ${describeUrl(url)}`;
  const kind = urlKind(url);
  if (kind === undefined) return `not an absolute http(s) URL or internal URI: ${describeUrl(url)}`;
  return undefined;
}

/**
 * A URL shortened for error messages: without user info, query string or URI arguments, which
 * may carry tokens or credentials (Notify: URIs hold base64 credentials).
 */
export function describeUrl(url: string): string {
  const cut = url.search(/[?#]/);
  const head = (cut < 0 ? url : `${url.slice(0, cut)}?…`).replace(/^([a-z]+:\/\/)[^/@]*@/i, '$1');
  const colon = head.indexOf(':');
  if (colon > 0 && !/^https?:/i.test(head)) return JSON.stringify(`${head.slice(0, colon)}:…`);
  return JSON.stringify(head.length > 80 ? `${head.slice(0, 80)}…` : head);
}

// RFC 3986 §3.3: characters a path may carry unencoded ('%' kept so encoded paths stay as they are).
const PATH_UNSAFE = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu;

function encodeComponent(value: string): string {
  // RFC 3986 §2.2: encode the sub-delimiters encodeURIComponent leaves alone.
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * An absolute URL from a server base (`http://192.168.1.10:8080`, with or without a trailing slash,
 * possibly with a path prefix), a path, and query parameters (values percent-encoded, undefined
 * values skipped). The path may carry its own query string; parameters are appended to it.
 */
export function buildUrl(
  base: string,
  path: string,
  params?: Record<string, string | number | undefined>,
): string {
  const parsed = new URL(base);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`base URL must be http(s): ${base}`);
  }
  const prefix = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  const [pathPart = '', ownQuery] = splitOnce(path, '?');
  const cleanPath = pathPart.replace(/^\/+/, '').replace(PATH_UNSAFE, (c) => encodeComponent(c));
  const query: string[] = ownQuery ? [ownQuery] : [];
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    query.push(`${encodeComponent(key)}=${encodeComponent(String(value))}`);
  }
  return `${prefix}/${cleanPath}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, undefined] : [s.slice(0, at), s.slice(at + 1)];
}
