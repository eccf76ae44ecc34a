/**
 * Fetching one calendar source into a snapshot: an ics file or feed (conditional GET), or the
 * calendars of a CalDAV account mirrored through the DAV client (discovery remembered, then
 * incremental sync).
 */
import { readFile, stat } from 'node:fs/promises';
import type { CalendarSourceConfig } from '../config/schema.js';
import { createDavFetch, type DavClient, type DavCollection } from '../dav/index.js';
import type { MirroredCalendar, SourceSnapshot } from './cache.js';
import { BodyTooLargeError, DavError, UnreadableContentError } from '../errors.js';

type IcsSource = Extract<CalendarSourceConfig, { type: 'ics' }>;
type CaldavSource = Extract<CalendarSourceConfig, { type: 'caldav' }>;

/** A feed (file, or decoded HTTP body counted as it streams) larger than this is refused rather than read into memory. */
export const MAX_FEED_BYTES = 32 * 1024 * 1024;
/** Discovery is repeated this often, so calendars added on the server appear. */
const REDISCOVER_MS = 24 * 3600_000;

/** Reads or downloads an ics source; returns the previous snapshot (new lastSync) when nothing changed. */
export async function fetchIcs(source: IcsSource, previous: SourceSnapshot | undefined, timeoutMs: number, now: Date): Promise<SourceSnapshot> {
  const lastSync = now.toISOString();
  if (source.path) {
    const info = await stat(source.path);
    if (previous?.feed && previous.feed.mtimeMs === info.mtimeMs) return { ...previous, lastSync };
    if (info.size > MAX_FEED_BYTES) throw new BodyTooLargeError('the file', MAX_FEED_BYTES);
    return { lastSync, feed: { text: await readFile(source.path, 'utf8'), mtimeMs: info.mtimeMs } };
  }
  const { url, username, password } = splitCredentials(source.url!);
  const get = createDavFetch({ timeoutMs, maxResponseBytes: MAX_FEED_BYTES, answerName: 'the feed', ...(username !== undefined ? { username, password: password ?? '' } : {}) });
  const headers: Record<string, string> = { Accept: 'text/calendar, */*;q=0.5' };
  // RFC 9110 §13.1: ask only for a changed feed.
  if (previous?.feed?.etag) headers['If-None-Match'] = previous.feed.etag;
  else if (previous?.feed?.lastModified) headers['If-Modified-Since'] = previous.feed.lastModified;
  const res = await get(url, { headers });
  if (res.status === 304 && previous?.feed) {
    await res.body?.cancel();
    return { ...previous, lastSync };
  }
  // Chunked, gzip, deflate or br: the limit counts decoded bytes as they arrive.
  const text = await res.text();
  if (!/BEGIN:VCALENDAR/i.test(text)) throw new UnreadableContentError(`not an iCalendar feed (HTTP ${res.status}, ${res.headers.get('content-type') ?? 'no type'})`);
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  return { lastSync, feed: { text, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
}

/** `https://user:pass@host/feed.ics` → the URL without userinfo plus the credentials (fetch refuses userinfo). */
function splitCredentials(raw: string): { url: string; username?: string; password?: string } {
  const u = new URL(raw);
  if (!u.username) return { url: raw };
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.href, username, password };
}

/** The name a calendar goes by: its display name, else the last segment of its URL. */
export function calendarName(collection: DavCollection): string {
  if (collection.displayName) return collection.displayName;
  const segments = new URL(collection.url).pathname.split('/').filter(Boolean);
  return decodeURIComponent(segments[segments.length - 1] ?? collection.url);
}

function wanted(source: CaldavSource, collection: DavCollection): boolean {
  if (!source.calendars?.length) return true;
  const names = [calendarName(collection), ...new URL(collection.url).pathname.split('/').filter(Boolean).slice(-1).map(decodeURIComponent)];
  return source.calendars.some((c) => names.some((n) => n.toLowerCase() === c.toLowerCase()));
}

/**
 * Mirrors the calendars of a CalDAV source. Calendars come from the previous snapshot while its
 * discovery is fresh; each calendar is then synced from its saved state, so an unchanged calendar
 * costs one request.
 */
export async function fetchCaldav(
  source: CaldavSource,
  client: DavClient,
  previous: SourceSnapshot | undefined,
  now: Date,
): Promise<SourceSnapshot> {
  const remembered = previous?.calendars && previous.discovered && now.getTime() - Date.parse(previous.discovered) < REDISCOVER_MS;
  const collections = remembered
    ? previous!.calendars!.map((c) => c.collection)
    : (await client.collections('calendar')).filter((c) => wanted(source, c));
  const before = new Map((previous?.calendars ?? []).map((c) => [c.collection.url, c]));
  const calendars: MirroredCalendar[] = [];
  for (const collection of collections) {
    const old = before.get(collection.url);
    let result;
    try {
      result = await client.sync(collection, old?.state);
    } catch (err) {
      // A remembered calendar that vanished: discover again on the next refresh.
      if (remembered && err instanceof DavError && (err.status === 404 || err.status === 410)) {
        return fetchCaldav(source, client, { ...previous!, discovered: new Date(0).toISOString() }, now);
      }
      throw err;
    }
    const objects = { ...(old?.objects ?? {}) };
    for (const url of result.deleted) delete objects[url];
    for (const o of result.changed) objects[o.url] = o.data;
    calendars.push({ collection, state: result.state, objects });
  }
  return {
    lastSync: now.toISOString(),
    calendars,
    discovered: remembered ? previous!.discovered! : now.toISOString(),
  };
}
