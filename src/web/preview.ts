/**
 * The screen preview's fetch: asks the app for a path exactly as a phone of the given model would
 * (its request headers) and hands back what the phone would see: status, the headers a phone
 * honours (Cisco developer notes, "HTTP Requests and Header Settings"), and the body as text in
 * its declared charset, or base64 for images.
 */
import type { FastifyInstance } from 'fastify';
import type { ModelCaps } from '../phones/models.js';
import { phoneRequestHeaders } from './phone-headers.js';
import { previewMarker } from '../http/preview-marker.js';

export interface PreviewReply {
  status: number;
  headers: { contentType: string; refresh?: string; expires?: string };
  body: string;
  encoding: 'text' | 'base64';
  model: string;
}

/** Percent-decodings tried before a path counts as undecodable (`%2561` needs two). */
const MAX_DECODINGS = 5;

/**
 * The path part as the router could end up reading it: percent-decoded until nothing changes,
 * backslashes as slashes, dot segments resolved (RFC 3986 §5.2.4), lower case. Undefined when it
 * does not decode.
 */
export function decodedPathOf(path: string): string | undefined {
  let bare = path.split('?')[0]!;
  for (let i = 0; ; i++) {
    let next: string;
    try {
      next = decodeURIComponent(bare);
    } catch {
      return undefined;
    }
    if (next === bare) break;
    if (i === MAX_DECODINGS) return undefined;
    bare = next;
  }
  return new URL(bare.replace(/\\/g, '/'), 'http://preview.invalid').pathname.toLowerCase();
}

/** Paths a phone could be sent to: not the owner's page, its files or any API, however encoded. */
export function previewPathProblem(path: string): string | undefined {
  if (!path.startsWith('/') || path.startsWith('//')) return 'path must start with /';
  if (path.length > 1024) return 'path too long';
  const bare = decodedPathOf(path);
  if (bare === undefined) return 'path does not decode';
  if (bare === '/' || bare.startsWith('//') || /^\/(?:api|ui)(?:\/|$)/.test(bare)) return 'not a phone service path';
  return undefined;
}

/** The charset a body is in: the Content-Type's, else the XML declaration's, else the model's own. */
export function bodyCharset(contentType: string, head: string, fallback: string): string {
  const declared = /charset="?([A-Za-z0-9_-]+)/i.exec(contentType)?.[1] ?? /^<\?xml[^>]*encoding=["']([A-Za-z0-9_-]+)/i.exec(head)?.[1];
  return (declared ?? fallback).toLowerCase();
}

function decode(body: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('iso-8859-1').decode(body);
  }
}

export async function fetchAsPhone(app: FastifyInstance, path: string, caps: ModelCaps, language: string): Promise<PreviewReply> {
  const res = await app.inject({
    method: 'GET',
    url: path,
    headers: { ...phoneRequestHeaders(caps, language), ...previewMarker() },
  });
  const contentType = String(res.headers['content-type'] ?? '');
  const raw = res.rawPayload;
  const isText = /^text\//i.test(contentType) || contentType === '';
  const headers: PreviewReply['headers'] = { contentType };
  if (res.headers.refresh !== undefined) headers.refresh = String(res.headers.refresh);
  if (res.headers.expires !== undefined) headers.expires = String(res.headers.expires);
  return {
    status: res.statusCode,
    headers,
    body: isText ? decode(raw, bodyCharset(contentType, raw.subarray(0, 100).toString('latin1'), caps.charset)) : raw.toString('base64'),
    encoding: isText ? 'text' : 'base64',
    model: caps.id,
  };
}
