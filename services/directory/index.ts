/**
 * The phone book on the handset (the phone's directoryURL is `/directory`):
 * Menu (Search, Browse A–Z, one entry per source) → Input "Name or number" → Directory pages,
 * and `GET /lookup?number=` answering a caller's name as plain text for the PBX.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { perConfig } from '../../src/config/per-config.js';
import { BROWSE_GROUPS, type Hit } from '../../src/contacts/search-index.js';
import { phoneUrl, renderForPhone, sendPhoneObject, sendPhoneText, sendRendered, type PhoneReplyOptions, type RenderedObject } from '../../src/http/phone-reply.js';
import type { KeepRule } from '../../src/http/kept-replies.js';
import { defineService } from '../../src/http/services.js';
import { softKeys, type KeySpec } from '../../src/http/soft-keys.js';
import { coreText } from '../../src/i18n/core-messages.js';
import { xmlCharsOnly } from '../../src/xml/chars.js';
import { LIMITS } from '../../src/xml/limits.js';
import type { MenuItem } from '../../src/xml/objects.js';
import { paginate } from '../../src/xml/paging.js';
import { directoryText } from './messages.js';
import { groupName, PAGE_SIZE, toEntries } from './screens.js';

type Query = Record<string, string | string[] | undefined>;

/**
 * Result pages kept as sent (phones ask again on Back, Next and Previous, and a desk of phones
 * searches the same names): built again only when the phone book or the asking phone differs.
 */
const RESULT_PAGES_CACHED = 500;
interface ResultPage {
  rendered: RenderedObject;
  options: PhoneReplyOptions;
}

/** One query parameter as a bounded string (repeated parameters: the first; absent: ''). */
function param(request: FastifyRequest, key: string, max = 64): string {
  const value = (request.query as Query | undefined)?.[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

/** The source the user picked from the menu, when it exists. */
function sourceOf(request: FastifyRequest): string | undefined {
  const id = param(request, 'source', 8);
  return request.server.ctx.contacts.sources().some((s) => s.id === id) ? id : undefined;
}

function pageOf(request: FastifyRequest): number {
  const n = Number.parseInt(param(request, 'page', 6), 10);
  return Number.isFinite(n) ? n : 1;
}

/** A phone URL carrying the query; the query is shortened until the URL fits the phone's limit. */
function urlWithQuery(request: FastifyRequest, path: string, query: string, params: Record<string, string | number | undefined>): string {
  let q = query;
  for (;;) {
    const url = phoneUrl(request, path, { ...params, q });
    if (url.length <= LIMITS.url || q.length === 0) return url;
    q = [...q].slice(0, -1).join('');
  }
}

/** One page of a hit list, with Next/Previous softkeys (79x1) or a Refresh-header Next (7940/7960). */
function hitsPage(request: FastifyRequest, title: string, hits: readonly Hit[], urlFor: (page: number) => string): ResultPage {
  const view = request.phone;
  const page = paginate(hits, PAGE_SIZE, pageOf(request));
  const keys: KeySpec[] = [{ role: 'dial' }, { role: 'editDial' }, { role: 'exit' }];
  const next = page.hasNext ? urlFor(page.page + 1) : undefined;
  if (next) keys.push({ role: 'next', url: next });
  if (page.hasPrevious) keys.push({ role: 'previous', url: urlFor(page.page - 1) });
  const prompt =
    page.pages > 1
      ? coreText(view.language, 'page', { page: page.page, pages: page.pages })
      : directoryText(view.language, 'found', { count: hits.length });
  return {
    rendered: renderForPhone(view, { kind: 'Directory', title, prompt, entries: toEntries(page.items, view.language, view.charset), softKeys: softKeys(view, keys) }),
    // Cisco developer notes: without custom softkeys a Refresh URL makes the phone offer Next itself;
    // Back through the phone's history returns to the previous page.
    options: !view.caps.customSoftKeys && next ? { refresh: { seconds: 0, url: next } } : {},
  };
}

const plugin: FastifyPluginAsync = async (app) => {
  // A reload that changes `directory:` brings a new store (src/reload.ts): each request asks for
  // the one in force, and the pages kept from the old one go with it.
  const resultPagesOf = perConfig(() => app.ctx.contacts, () => new LRUCache<string, ResultPage>({ max: RESULT_PAGES_CACHED }));

  /**
   * Sends a page of hits, from the cache when this phone asked for it before with the same phone
   * book (the search itself runs only when it did not); `find` gives no hits to send `none` instead.
   */
  function sendHits(
    request: FastifyRequest,
    reply: FastifyReply,
    what: string,
    find: () => readonly Hit[],
    title: string,
    urlFor: (page: number) => string,
    none: () => FastifyReply,
  ): FastifyReply {
    const view = request.phone;
    const { ctx } = request.server;
    const store = ctx.contacts;
    const { version } = store;
    const config = ctx.config;
    // A page stays the answer while the phone book and the config it was made from are in force.
    const keep: KeepRule = { isCurrent: () => ctx.contacts === store && store.version === version && ctx.config === config };
    const resultPages = resultPagesOf();
    const key = [version, config.server.publicUrl, view.name ?? view.previewModel ?? '', view.caps.id, view.language, view.charset, pageOf(request), what].join('|');
    let page = resultPages.get(key);
    if (!page) {
      const hits = find();
      if (hits.length === 0) return none();
      page = hitsPage(request, title, hits, urlFor);
      resultPages.set(key, page);
    }
    return sendRendered(reply, page.rendered, page.options, keep);
  }

  app.get('/directory', async (request, reply) => {
    const view = request.phone;
    const t = (key: Parameters<typeof directoryText>[1]) => directoryText(view.language, key);
    const source = sourceOf(request);
    const sources = request.server.ctx.contacts.sources();
    const items: MenuItem[] = [
      { name: t('search'), url: phoneUrl(request, '/directory/search', { source }) },
      { name: t('browse'), url: phoneUrl(request, '/directory/browse', { source }) },
    ];
    if (source === undefined && sources.length > 1) {
      for (const s of sources) items.push({ name: s.name, url: phoneUrl(request, '/directory', { source: s.id }) });
    }
    // Cisco developer notes, usecallmanager.nz phone-services: the directory key's first answer
    // must be a Menu on 79xx phones.
    return sendPhoneObject(request, reply, {
      kind: 'Menu',
      title: source !== undefined ? sources.find((s) => s.id === source)!.name : t('title'),
      prompt: t('chooseOption'),
      items,
      softKeys: softKeys(view, [{ role: 'select' }, { role: 'exit' }]),
    });
  });

  app.get('/directory/search', async (request, reply) => {
    const view = request.phone;
    const source = sourceOf(request);
    return sendPhoneObject(request, reply, {
      kind: 'Input',
      title: source !== undefined ? request.server.ctx.contacts.sources().find((s) => s.id === source)!.name : directoryText(view.language, 'search'),
      prompt: directoryText(view.language, 'searchPrompt'),
      // The phone appends &q=<typed text> to this URL (CiscoIPPhoneInput, Cisco developer notes).
      url: phoneUrl(request, '/directory/results', { source }),
      // T: one key press per digit; names are found by their keypad digits (T9), numbers directly.
      items: [{ displayName: directoryText(view.language, 'nameOrNumber'), param: 'q', flags: 'T' }],
      // No custom softkeys: the phone's own Submit, << (backspace) and Cancel are what a form needs.
    });
  });

  app.get('/directory/results', async (request, reply) => {
    const view = request.phone;
    const source = sourceOf(request);
    const query = param(request, 'q').trim();
    if (!query) return sendPhoneText(request, reply, directoryText(view.language, 'search'), directoryText(view.language, 'emptyQuery'));
    return sendHits(
      request,
      reply,
      `results|${source ?? ''}|${query}`,
      () => request.server.ctx.contacts.search(query, { ...(source !== undefined ? { source } : {}) }),
      directoryText(view.language, 'results', { query }),
      (page) => urlWithQuery(request, '/directory/results', query, { source, page }),
      () => sendPhoneText(request, reply, directoryText(view.language, 'noResultsTitle'), directoryText(view.language, 'noResults', { query })),
    );
  });

  app.get('/directory/browse', async (request, reply) => {
    const view = request.phone;
    const source = sourceOf(request);
    const sizes = request.server.ctx.contacts.groupSizes({ ...(source !== undefined ? { source } : {}) });
    // Nine items in keypad order, so pressing 2 on the keypad opens A B C.
    const items: MenuItem[] = BROWSE_GROUPS.map((group) => ({
      name: `${groupName(group, view.language)} (${sizes.get(group) ?? 0})`,
      url: phoneUrl(request, '/directory/list', { group, source }),
    }));
    return sendPhoneObject(request, reply, {
      kind: 'Menu',
      title: directoryText(view.language, 'browseTitle'),
      prompt: directoryText(view.language, 'chooseOption'),
      items,
      softKeys: softKeys(view, [{ role: 'select' }, { role: 'exit' }]),
    });
  });

  app.get('/directory/list', async (request, reply) => {
    const view = request.phone;
    const source = sourceOf(request);
    const group = /^[1-9]$/.test(param(request, 'group', 1)) ? param(request, 'group', 1) : '1';
    const title = groupName(group, view.language);
    return sendHits(
      request,
      reply,
      `list|${source ?? ''}|${group}`,
      () => request.server.ctx.contacts.browse(group, { ...(source !== undefined ? { source } : {}) }),
      title,
      (page) => phoneUrl(request, '/directory/list', { group, source, page }),
      () => sendPhoneText(request, reply, title, directoryText(view.language, 'emptyGroup')),
    );
  });

  // Caller-ID for the PBX (Asterisk CURL(), FreePBX Superfecta): the name, or 200 with an empty body.
  app.get('/lookup', { config: { audience: 'owner' } }, async (request, reply) => {
    // One line of text for the PBX's caller-ID name: no control characters, no line breaks.
    const name = xmlCharsOnly(request.server.ctx.contacts.lookup(param(request, 'number')) ?? '').replace(/[\t\r\n\u007F-\u009F]+/g, ' ');
    return reply.code(200).header('Content-Type', 'text/plain; charset=utf-8').header('Cache-Control', 'no-store').send(name);
  });
};

export default defineService({
  id: 'directory',
  title: { en: 'Directory', de: 'Telefonbuch' },
  path: '/directory',
  order: 10,
  plugin,
});
