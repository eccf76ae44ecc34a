/**
 * The last good data of each calendar source, kept in `<dataDir>/calendar/` so a restart with an
 * unreachable server still shows the agenda. Raw iCalendar text is stored, not occurrences, so
 * the expansion always follows the current clock.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataFolder } from '../data/data-folder.js';
import type { DavCollection, SyncState } from '../dav/index.js';

/** One CalDAV calendar as mirrored: where it is, how far it is synced, and its objects by URL. */
export interface MirroredCalendar {
  collection: DavCollection;
  state: SyncState;
  objects: Record<string, string>;
}

export interface SourceSnapshot {
  /** When the data was last fetched successfully (ISO). */
  lastSync: string;
  /** caldav: the calendars found (discovery is remembered) and their contents. */
  calendars?: MirroredCalendar[];
  /** When the calendars were last discovered (ISO). */
  discovered?: string;
  /** ics: the feed text and what a conditional request needs. */
  feed?: { text: string; etag?: string; lastModified?: string; mtimeMs?: number };
}

interface CacheFile extends SourceSnapshot {
  version: 1;
  /** Identity of the source config the data belongs to. */
  key: string;
}

/** Where one source's snapshot lives; the key changes when the source's address or account does. */
export function snapshotFile(dataDir: string, name: string, identity: string): { file: string; key: string } {
  const key = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || 'source';
  return { file: path.join(dataDir, 'calendar', `${safe}-${key}.json`), key };
}

export async function readSnapshot(file: string, key: string): Promise<SourceSnapshot | undefined> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheFile>;
    if (data.version !== 1 || data.key !== key || typeof data.lastSync !== 'string') return undefined;
    const { version: _v, key: _k, ...snapshot } = data as CacheFile;
    return snapshot;
  } catch {
    // No cache yet, or a damaged one: the next refresh writes a fresh file.
    return undefined;
  }
}

/** Written atomically (a crash never leaves half a cache) and retried while the data folder refuses it. */
export async function writeSnapshot(data: DataFolder, file: string, key: string, snapshot: SourceSnapshot): Promise<void> {
  const content: CacheFile = { version: 1, key, ...snapshot };
  await data.write(file, JSON.stringify(content), { retry: true });
}
