/**
 * Posting one object to a phone's `/CGI/Execute` (Cisco developer notes, "HTTP Requests and
 * Header Settings") and reading its answer. node:http directly, so the request carries exactly the
 * headers below: no `Expect: 100-continue` (answered with CiscoIPPhoneError 6, per the snippets101
 * .NET push write-up), the body in one piece with its Content-Length.
 */
import http from 'node:http';
import { parsePhoneReply, type PhoneReply } from '../xml/response.js';
import type { PushCredentials } from './credentials.js';

export interface PhoneAddress {
  host: string;
  port: number;
}

export type ExecuteOutcome =
  | { kind: 'reply'; httpStatus: number; reply: PhoneReply }
  | { kind: 'unauthorized' }
  | { kind: 'http-error'; httpStatus: number }
  | { kind: 'timeout' }
  | { kind: 'unreachable'; message: string };

export interface ExecuteRequest {
  address: PhoneAddress;
  /** The object as the phone reads it (already encoded in its charset). */
  object: Buffer;
  credentials: PushCredentials;
  timeoutMs: number;
}

const MAX_REPLY_BYTES = 64 * 1024;
const MAX_REDIRECTS = 3;

// RFC 3986 §2.3 unreserved characters stay; every other byte is percent-encoded, so the
// object's own charset (UTF-8 or ISO-8859-1) travels unchanged.
function formEncodeBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
    out += unreserved ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Cisco developer notes (/CGI/Execute): one form field named `XML` holding the URL-encoded object. */
export function executeBody(object: Buffer): Buffer {
  return Buffer.from(`XML=${formEncodeBytes(object)}`, 'ascii');
}

function basicAuth(credentials: PushCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

/** `host` or `host:port` or `[v6]:port` (IPv4-mapped IPv6 addresses as plain IPv4). */
export function parseAddress(value: string): PhoneAddress | undefined {
  const text = value.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/i.exec(text);
  const plain = /^([^:\s/[\]]+)(?::(\d{1,5}))?$/.exec(text);
  const bareV6 = /^[0-9a-f:]+$/i.test(text) && text.includes(':') ? [text, text, undefined] : null;
  const m = bracketed ?? plain ?? bareV6;
  if (!m || !m[1]) return undefined;
  const port = m[2] === undefined ? 80 : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: m[1], port };
}

interface RawAnswer {
  status: number;
  location?: string;
  body: string;
}

function send(
  options: { host: string; port: number; method: 'POST' | 'GET'; path: string; headers: Record<string, string | number>; body?: Buffer },
  deadline: AbortSignal,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: options.host, port: options.port, method: options.method, path: options.path, headers: options.headers, agent: false, signal: deadline },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_REPLY_BYTES) {
            req.destroy(new Error('reply too large'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const location = res.headers.location;
          resolve({ status: res.statusCode ?? 0, ...(location ? { location } : {}), body: Buffer.concat(chunks).toString('latin1') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The reply text: the XML declaration names the charset (UTF-8 decoded, anything else read as Latin-1). */
function decodeReply(latin1: string): string {
  return /encoding\s*=\s*["']utf-?8["']/i.test(latin1.slice(0, 200)) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

/**
 * POSTs the object and returns what the phone said. Cisco's CUAE SendExecute notes that 7940/7960 refuse bad
 * credentials with HTTP 401 and may answer with a redirect to a result page, fetched with GET on
 * the same phone (any port).
 */
export async function postExecute(request: ExecuteRequest): Promise<ExecuteOutcome> {
  const { address, credentials } = request;
  const auth = basicAuth(credentials);
  const body = executeBody(request.object);
  const hostHeader = address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  const deadline = AbortSignal.timeout(request.timeoutMs);
  try {
    let answer = await send(
      {
        host: address.host,
        port: address.port,
        method: 'POST',
        path: '/CGI/Execute',
        headers: {
          Host: hostHeader,
          Authorization: auth,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': body.length,
          Connection: 'close',
        },
        body,
      },
      deadline,
    );
    for (let hops = 0; answer.status >= 300 && answer.status < 400 && answer.location && hops < MAX_REDIRECTS; hops++) {
      const target = new URL(answer.location, `http://${hostHeader}/CGI/Execute`);
      // The credentials go back only to the phone itself.
      if (target.protocol !== 'http:' || target.hostname.replace(/^\[|\]$/g, '') !== address.host) {
        return { kind: 'unreachable', message: `the phone redirected elsewhere (${target.origin})` };
      }
      const port = target.port ? Number(target.port) : 80;
      answer = await send(
        { host: address.host, port, method: 'GET', path: `${target.pathname}${target.search}`, headers: { Host: target.host, Authorization: auth, Connection: 'close' } },
        deadline,
      );
    }
    if (answer.status === 401) return { kind: 'unauthorized' };
    if (answer.status < 200 || answer.status >= 300) return { kind: 'http-error', httpStatus: answer.status };
    return { kind: 'reply', httpStatus: answer.status, reply: parsePhoneReply(decodeReply(answer.body)) };
  } catch (err) {
    if (deadline.aborted) return { kind: 'timeout' };
    const e = err as NodeJS.ErrnoException;
    return { kind: 'unreachable', message: e.code ?? e.message };
  }
}
