/** The last good copy of each source on disk, so a restart or an unreachable server still has a phone book. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DavCollection, SyncState } from '../dav/index.js';
import type { Contact } from './contact.js';

export interface SourceCache {
  version: 1;
  /** ISO time of the last successful refresh. */
  lastSync?: string;
  /** Contacts by where they came from (object URL or file path). */
  cards: Record<string, Contact[]>;
  /** Per file or object URL (as `cards`): one line per card skipped or read only in part. */
  unread?: Record<string, string[]>;
  /** File sources: names, sizes and modification times of the files read. */
  signature?: string;
  /** CardDAV sources: the collections found and their sync state. */
  dav?: { collections: DavCollection[]; states: Record<string, SyncState> };
}

/** The cache file of a source: named after what identifies it (type, URL or path, user), never the password. */
export function cacheFile(dataDir: string, identity: readonly (string | undefined)[]): string {
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
  return path.join(dataDir, 'directory', `${identity[0]}-${hash}.json`);
}

export async function readCache(file: string): Promise<SourceCache | undefined> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as SourceCache;
    return data && data.version === 1 && typeof data.cards === 'object' ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary file first and renamed, so a crash never leaves half a cache. */
export async function writeCache(file: string, cache: SourceCache): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(cache));
  await rename(tmp, file);
}
