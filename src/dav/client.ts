/**
 * A small CardDAV/CalDAV client for mirroring collections: discovery once, then incremental sync.
 * Built on tsdav's low-level calls (`propfind`, `syncCollection`, `davRequest`) with our own fetch
 * (timeouts, Basic/Digest, redirects); tsdav's high-level sync helpers are not used.
 */
import type { DAVResponse } from 'tsdav';
import { createDavFetch } from './http.js';
import { DavError } from '../errors.js';

const importTsdav = () => import('tsdav');
type Tsdav = Awaited<ReturnType<typeof importTsdav>>;
let tsdavModule: Promise<Tsdav> | undefined;
/** tsdav is loaded with a DAV source's first request: a server without one never spends memory on it. */
const tsdav = (): Promise<Tsdav> => (tsdavModule ??= importTsdav());
const propfind: Tsdav['propfind'] = async (params) => (await tsdav()).propfind(params);
const davRequest: Tsdav['davRequest'] = async (params) => (await tsdav()).davRequest(params);
const syncCollection: Tsdav['syncCollection'] = async (params) => (await tsdav()).syncCollection(params);

export type CollectionKind = 'addressbook' | 'calendar';

/** One address book or calendar on the server. */
export interface DavCollection {
  /** Absolute URL (with trailing slash as the server reports it). */
  url: string;
  kind: CollectionKind;
  displayName?: string;
  ctag?: string;
  /** undefined: the server did not say (sync-collection is tried, and given up on failure). */
  supportsSync?: boolean;
}

/** One object (vCard or iCalendar) of a collection. */
export interface DavObject {
  /** Absolute URL of the object; the key of every map in this module. */
  url: string;
  etag?: string;
  data: string;
}

/** What `sync` needs from the previous run. Plain JSON: persist it as it is. */
export interface SyncState {
  syncToken?: string;
  ctag?: string;
  /** Object URL → etag of everything held locally. */
  etags: Record<string, string>;
}

export interface SyncResult {
  /** Pass this to the next `sync` of the same collection. */
  state: SyncState;
  /** New or changed objects, with their data. */
  changed: DavObject[];
  /** URLs of objects that are gone. */
  deleted: string[];
  /** How the changes were found. */
  method: 'sync-collection' | 'ctag' | 'listing';
}

export interface DavClientOptions {
  /** Server address (collections are discovered) or one collection's own URL. */
  url: string;
  username?: string;
  password?: string;
  /** Per HTTP request. */
  timeoutMs: number;
  /** Transport override (default: global fetch). */
  fetch?: typeof fetch;
  /** Objects per multiget request (default 200). */
  batchSize?: number;
}

export interface DavClient {
  readonly url: string;
  /**
   * The collections of a kind: `url` itself when it is one, else discovered through
   * `/.well-known`, the principal and its home set. Done once per kind and remembered.
   */
  collections(kind: CollectionKind): Promise<DavCollection[]>;
  /**
   * Changes since `previous` (undefined: everything). Uses sync-collection (RFC 6578) when the
   * collection offers it; an expired token gives a full listing; without sync-collection the
   * ctag decides, and a Depth-1 etag listing finds what changed. Objects come by multiget in batches.
   */
  sync(collection: DavCollection, previous?: SyncState): Promise<SyncResult>;
  /** Fetches objects by URL (multiget in batches); objects the server no longer has are left out. */
  multiget(collection: DavCollection, urls: readonly string[]): Promise<DavObject[]>;
}

const NS = {
  card: 'urn:ietf:params:xml:ns:carddav',
  cal: 'urn:ietf:params:xml:ns:caldav',
};

const COLLECTION_PROPS = {
  'd:resourcetype': {},
  'd:displayname': {},
  'cs:getctag': {},
  'd:sync-token': {},
  'd:supported-report-set': {},
};

export function createDavClient(options: DavClientOptions): DavClient {
  const davFetch = createDavFetch(options);
  const batchSize = options.batchSize ?? 200;
  const discovered = new Map<CollectionKind, Promise<DavCollection[]>>();
  const io = { fetch: davFetch };

  async function discover(kind: CollectionKind): Promise<DavCollection[]> {
    // The configured URL may be the collection itself.
    let lastError: unknown;
    try {
      const self = await propfind({ url: options.url, props: COLLECTION_PROPS, depth: '0', ...io });
      const own = self.map((r) => toCollection(r, options.url)).find((c) => c?.kind === kind);
      if (own) return [own];
    } catch (err) {
      if (!(err instanceof DavError) || err.status === undefined || err.status === 401) throw err;
      lastError = err;
    }

    const homeProp = kind === 'addressbook' ? 'card:addressbook-home-set' : 'c:calendar-home-set';
    const homeKey = kind === 'addressbook' ? 'addressbookHomeSet' : 'calendarHomeSet';
    const origin = new URL(options.url).origin;
    // RFC 6764 §6: the configured URL first, then the well-known entry point, then the host root.
    const starts = [options.url, `${origin}/.well-known/${kind === 'addressbook' ? 'carddav' : 'caldav'}`, `${origin}/`];
    for (const start of starts) {
      try {
        const principalRes = await propfind({ url: start, props: { 'd:current-user-principal': {}, [homeProp]: {} }, depth: '0', ...io });
        let home = hrefOf(principalRes[0]?.props?.[homeKey]);
        const principal = hrefOf(principalRes[0]?.props?.currentUserPrincipal);
        if (!home && principal) {
          const homeRes = await propfind({ url: new URL(principal, start).href, props: { [homeProp]: {} }, depth: '0', ...io });
          home = hrefOf(homeRes[0]?.props?.[homeKey]);
        }
        if (!home) continue;
        const homeUrl = new URL(home, start).href;
        const listing = await propfind({ url: homeUrl, props: COLLECTION_PROPS, depth: '1', ...io });
        return listing.map((r) => toCollection(r, homeUrl)).filter((c): c is DavCollection => c?.kind === kind);
      } catch (err) {
        // Wrong credentials and unreachable servers will not improve at the next candidate.
        if (err instanceof DavError && (err.status === 401 || err.status === undefined)) throw err;
        lastError = err;
      }
    }
    if (lastError) throw lastError;
    throw new DavError(`no ${kind === 'addressbook' ? 'address book' : 'calendar'} found at ${options.url}`);
  }

  async function multiget(collection: DavCollection, urls: readonly string[]): Promise<DavObject[]> {
    const out: DavObject[] = [];
    const card = collection.kind === 'addressbook';
    for (let i = 0; i < urls.length; i += batchSize) {
      const hrefs = urls.slice(i, i + batchSize).map((u) => new URL(u, collection.url).pathname);
      // RFC 6352 §8.7 / RFC 4791 §7.9: one REPORT per batch; a missing member is a 404 inside, not a failure.
      const res = await davRequest({
        url: collection.url,
        init: {
          method: 'REPORT',
          namespace: card ? 'card' : 'c',
          headers: { depth: '1' },
          body: {
            [card ? 'addressbook-multiget' : 'calendar-multiget']: {
              _attributes: { 'xmlns:d': 'DAV:', [card ? 'xmlns:card' : 'xmlns:c']: card ? NS.card : NS.cal },
              'd:prop': { 'd:getetag': {}, [card ? 'card:address-data' : 'c:calendar-data']: {} },
              'd:href': hrefs,
            },
          },
        },
        ...io,
      });
      for (const r of res) {
        if (!r.href || !r.ok) continue;
        const data = textOf(card ? r.props?.addressData : r.props?.calendarData);
        if (data === undefined) continue;
        const etag = textOf(r.props?.getetag);
        out.push({ url: new URL(r.href, collection.url).href, data, ...(etag !== undefined ? { etag } : {}) });
      }
    }
    return out;
  }

  async function viaSyncCollection(collection: DavCollection, previous: SyncState | undefined, token: string): Promise<SyncResult> {
    const res = await syncCollection({ url: collection.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: token, ...io });
    const etags: Record<string, string> = token ? { ...(previous?.etags ?? {}) } : {};
    const changedUrls: string[] = [];
    const deleted: string[] = [];
    const own = new URL(collection.url).pathname.replace(/\/?$/, '/');
    for (const r of res) {
      if (!r.href) continue;
      const url = new URL(r.href, collection.url);
      if (url.pathname.replace(/\/?$/, '/') === own) continue;
      if (r.status === 404) {
        delete etags[url.href];
        if (previous?.etags[url.href] !== undefined) deleted.push(url.href);
        continue;
      }
      const etag = textOf(r.props?.getetag) ?? '';
      if (!token && previous?.etags[url.href] === etag && etag) {
        etags[url.href] = etag;
        continue;
      }
      changedUrls.push(url.href);
      etags[url.href] = etag;
    }
    if (!token && previous) {
      for (const url of Object.keys(previous.etags)) if (!(url in etags)) deleted.push(url);
    }
    const changed = await multiget(collection, changedUrls);
    const got = new Set(changed.map((o) => o.url));
    for (const o of changed) if (o.etag) etags[o.url] = o.etag;
    for (const url of changedUrls) {
      if (got.has(url)) continue;
      // Gone between the listing and the multiget.
      delete etags[url];
      if (previous?.etags[url] !== undefined) deleted.push(url);
    }
    const syncToken = String(res[0]?.raw?.multistatus?.syncToken ?? '');
    return { state: { ...(syncToken ? { syncToken } : {}), etags }, changed, deleted, method: 'sync-collection' };
  }

  async function viaListing(collection: DavCollection, previous: SyncState | undefined): Promise<SyncResult> {
    const head = await propfind({ url: collection.url, props: { 'cs:getctag': {}, 'd:sync-token': {} }, depth: '0', ...io });
    const ctag = textOf(head[0]?.props?.getctag);
    if (ctag && previous?.ctag === ctag) {
      return { state: { ...previous, ctag }, changed: [], deleted: [], method: 'ctag' };
    }
    const listing = await propfind({ url: collection.url, props: { 'd:getetag': {}, 'd:resourcetype': {} }, depth: '1', ...io });
    const etags: Record<string, string> = {};
    const changedUrls: string[] = [];
    for (const r of listing) {
      if (!r.href || !r.ok || r.props?.resourcetype?.collection !== undefined) continue;
      const url = new URL(r.href, collection.url).href;
      const etag = textOf(r.props?.getetag) ?? '';
      etags[url] = etag;
      if (!etag || previous?.etags[url] !== etag) changedUrls.push(url);
    }
    const deleted = Object.keys(previous?.etags ?? {}).filter((url) => !(url in etags));
    const changed = await multiget(collection, changedUrls);
    for (const o of changed) if (o.etag) etags[o.url] = o.etag;
    return { state: { ...(ctag ? { ctag } : {}), etags }, changed, deleted, method: 'listing' };
  }

  return {
    url: options.url,
    collections(kind) {
      let pending = discovered.get(kind);
      if (!pending) {
        pending = discover(kind);
        discovered.set(kind, pending);
        // A failed discovery is tried again next time.
        pending.catch(() => discovered.delete(kind));
      }
      return pending;
    },
    async sync(collection, previous) {
      if (collection.supportsSync !== false) {
        const token = previous?.syncToken ?? '';
        try {
          return await viaSyncCollection(collection, previous, token);
        } catch (err) {
          if (!(err instanceof DavError) || err.status === undefined || err.status === 401) throw err;
          // RFC 6578 §3.2: an invalid or expired token (403/409 valid-sync-token, some servers 5xx) means a full listing.
          if (token) {
            try {
              return await viaSyncCollection(collection, previous, '');
            } catch (again) {
              if (!(again instanceof DavError) || again.status === undefined || again.status === 401) throw again;
            }
          }
          // The server cannot do sync-collection here: remember and use ctag + etag listing.
          collection.supportsSync = false;
        }
      }
      return viaListing(collection, previous);
    },
    multiget,
  };
}

/** A collection from a PROPFIND response, when its resourcetype says it is one. */
function toCollection(r: DAVResponse, base: string): DavCollection | undefined {
  if (!r.href || !r.ok) return undefined;
  const type = r.props?.resourcetype ?? {};
  const kind: CollectionKind | undefined = type.addressbook !== undefined ? 'addressbook' : type.calendar !== undefined ? 'calendar' : undefined;
  if (!kind) return undefined;
  const reports = JSON.stringify(r.props?.supportedReportSet ?? '');
  const displayName = textOf(r.props?.displayname);
  const ctag = textOf(r.props?.getctag);
  return {
    url: new URL(r.href, base).href,
    kind,
    ...(displayName ? { displayName } : {}),
    ...(ctag ? { ctag } : {}),
    ...(r.props?.supportedReportSet ? { supportsSync: reports.includes('syncCollection') } : {}),
  };
}

/** Text of a parsed XML value: tsdav gives strings, numbers, `{ _cdata }` or `{ _text }`. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const v = value as { _cdata?: unknown; _text?: unknown };
    if (v._cdata !== undefined) return String(v._cdata);
    if (v._text !== undefined) return String(v._text);
  }
  return undefined;
}

function hrefOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const href = (value as { href?: unknown }).href;
  return textOf(Array.isArray(href) ? href[0] : href);
}
