import type { FastifyReply, FastifyRequest } from 'fastify';
import { coreText } from '../i18n/core-messages.js';
import { charsetLabel, encodeBody } from '../xml/charset.js';
import { serialize, type PhoneObject } from '../xml/objects.js';
import { buildUrl } from '../xml/url.js';
import { canonicalHeaders } from './header-case.js';
import type { PhoneView } from './identify.js';
import type { KeepRule } from './kept-replies.js';
import './types.js';

export interface PhoneReplyOptions {
  /** `Refresh: <seconds>; url=<url>` — reload (or move on) by itself. */
  refresh?: { seconds: number; url?: string };
  /** Keep the page out of the phone's history (a real past Expires date; 8800 needs > 1970). */
  transient?: boolean;
  status?: number;
}

/** A date in the past that every phone family parses. */
export const PAST_DATE = 'Mon, 01 Jan 2001 00:00:00 GMT';

/**
 * Sends a CiscoIPPhone object the way phones need it: declared encoding equal to the
 * Content-Type charset, a Content-Length (never chunked), no redirects. Softkeys are left out
 * for phones that ignore them, and an object the model cannot show becomes a Text saying so.
 */
export function sendPhoneObject(
  request: FastifyRequest,
  reply: FastifyReply,
  object: PhoneObject,
  options: PhoneReplyOptions = {},
): FastifyReply {
  return sendRendered(reply, renderForPhone(request.phone, object), options);
}

/** The bytes and Content-Type a phone gets for an object (cacheable: depends on the view and object only). */
export interface RenderedObject {
  body: Buffer;
  contentType: string;
}

export function renderForPhone(view: PhoneView, object: PhoneObject): RenderedObject {
  return {
    body: encodeBody(serialize(fitToModel(view, object), view.charset), view.charset),
    contentType: `text/xml; charset=${charsetLabel(view.charset)}`,
  };
}

/** With a rule, the reply is also kept and answered again before routing while it is current. */
export function sendRendered(reply: FastifyReply, rendered: RenderedObject, options: PhoneReplyOptions = {}, keep?: KeepRule): FastifyReply {
  const headers: Record<string, string | number> = { 'Content-Type': rendered.contentType, 'Content-Length': rendered.body.length };
  if (options.refresh) headers.Refresh = options.refresh.url ? `${options.refresh.seconds}; url=${options.refresh.url}` : String(options.refresh.seconds);
  if (options.transient) headers.Expires = PAST_DATE;
  return sendPhoneBytes(reply, options.status ?? 200, headers, rendered.body, keep);
}

/**
 * Sends bytes to a phone; with a rule, they are kept (src/http/kept-replies.ts) and the same
 * request is answered with them, before routing, while the rule says they are current.
 */
export function sendPhoneBytes(reply: FastifyReply, status: number, headers: Record<string, string | number>, body: Buffer, keep?: KeepRule): FastifyReply {
  if (keep) reply.server.ctx.keptReplies.keep(reply.request.raw, { ...keep, status, headers: canonicalHeaders(headers), body, view: reply.request.phone });
  return reply.code(status).headers(headers).send(body);
}

/** A one-screen message in the phone's language. */
export function sendPhoneText(
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  text: string,
  options: PhoneReplyOptions = {},
): FastifyReply {
  return sendPhoneObject(request, reply, { kind: 'Text', title, text }, { transient: true, ...options });
}

function fitToModel(view: PhoneView, object: PhoneObject): PhoneObject {
  if (object.kind !== 'Error' && !view.caps.objects.has(object.kind)) {
    return { kind: 'Text', title: coreText(view.language, 'errorTitle'), text: coreText(view.language, 'notSupported') };
  }
  if (!view.caps.customSoftKeys && 'softKeys' in object && object.softKeys) {
    const { softKeys: _dropped, ...rest } = object;
    return rest as PhoneObject;
  }
  return object;
}

/**
 * An absolute URL for the phone of this request: `server.publicUrl` + path, carrying the
 * phone's `name=` (or the preview's `model=`/`lang=`) so the next request is identified too.
 */
export function phoneUrl(
  request: FastifyRequest,
  path: string,
  params: Record<string, string | number | undefined> = {},
): string {
  return urlForPhone(request.server.ctx.config.server.publicUrl, request.phone, path, params);
}

export function urlForPhone(
  publicUrl: string,
  view: Pick<PhoneView, 'name' | 'previewModel' | 'language'>,
  path: string,
  params: Record<string, string | number | undefined> = {},
): string {
  const identity = view.name
    ? { name: view.name }
    : { model: view.previewModel, lang: view.previewModel ? view.language : undefined };
  return buildUrl(publicUrl, path, { ...identity, ...params });
}
