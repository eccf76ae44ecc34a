/**
 * Phone replies kept as sent and answered again before routing. Phones fetch the same few URLs
 * over and over (the Services menu, a phone book page, the idle picture), each on a new TCP
 * connection; a route that made such a reply keeps it here with the rule that says when it is no
 * longer current (another config, another phone book, the next minute), and the HTTP server
 * answers the same request from here without routing, hooks or rendering (src/app.ts).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import { IDENTIFYING_HEADERS, type PhoneView } from './identify.js';
import { isPreviewRequest } from './preview-marker.js';

/** Replies kept (the most recently asked ones). */
export const KEPT_REPLIES_MAX = 2000;
/** A request whose URL and identifying headers are longer than this together is not kept. */
export const KEPT_KEY_MAX_CHARS = 1024;

/** When a kept reply stops being the right answer, and what its answer also counts. */
export interface KeepRule {
  /** True while what the reply was made of is unchanged. */
  isCurrent(): boolean;
  /** Run at each answer from here (the counters the route keeps). */
  onAnswer?(): void;
}

export interface KeptReply extends KeepRule {
  status: number;
  /** With their names as they are written (canonical: `Content-Type`). */
  headers: Readonly<Record<string, string | number>>;
  body: Buffer;
  /** The phone it was made for, for the request record. */
  view: PhoneView;
}

export interface RequestLine {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingHttpHeaders;
}

/**
 * What a phone's reply can depend on in its request: the URL (path and query as sent) and the
 * headers that identify the phone. Undefined for what is never kept: not a GET, the owner's
 * screen preview (its requests are no phone's), an oversized request.
 */
function keyOf(request: RequestLine): string | undefined {
  if (request.method !== 'GET' || request.url === undefined || isPreviewRequest(request.headers)) return undefined;
  let key = request.url;
  for (const name of IDENTIFYING_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined && typeof value !== 'string') return undefined;
    key += `\n${value ?? ''}`;
  }
  return key.length <= KEPT_KEY_MAX_CHARS ? key : undefined;
}

export class KeptReplies {
  private readonly replies = new LRUCache<string, KeptReply>({ max: KEPT_REPLIES_MAX });

  keep(request: RequestLine, reply: KeptReply): void {
    const key = keyOf(request);
    if (key !== undefined) this.replies.set(key, reply);
  }

  /** The kept reply to this request while it is current; one that no longer is, is dropped. */
  find(request: RequestLine): KeptReply | undefined {
    const key = keyOf(request);
    const reply = key === undefined ? undefined : this.replies.get(key);
    if (reply === undefined || reply.isCurrent()) return reply;
    this.replies.delete(key!);
    return undefined;
  }

  /** Answers the request with its kept reply, if one is current; returns the reply sent. */
  answer(request: RequestLine, response: ServerResponse): KeptReply | undefined {
    const reply = this.find(request);
    if (reply === undefined) return undefined;
    response.writeHead(reply.status, reply.headers).end(reply.body);
    reply.onAnswer?.();
    return reply;
  }

  get size(): number {
    return this.replies.size;
  }
}
