/** Reading each kind of source into contacts: CardDAV (incremental), .vcf files or folders, FRITZ!Box exports. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ContactSourceConfig } from '../config/schema.js';
import { durationSeconds } from '../config/duration.js';
import { createDavClient, type DavClient } from '../dav/index.js';
import type { SourceCache } from './cache.js';
import type { Contact } from './contact.js';
import { parseFritzBoxPhonebook } from './fritzbox.js';
import { resourceName } from '../sources/unread.js';
import { decodeVcf, parseVCards } from './vcard.js';
import { UnreadableContentError } from '../errors.js';

/** Reads a source, starting from its last cache; returns the new cache, or undefined when nothing changed. */
export type SourceReader = (previous: SourceCache) => Promise<SourceCache | undefined>;

/** Contacts of one file or resource, and one line per card not fully read. */
type Parsed = { contacts: Contact[]; unread: string[] };

/** Default seconds between refreshes (files are also watched). */
export const DEFAULT_REFRESH = { carddav: 300, vcard: 60, fritzbox: 60 } as const;
export const DEFAULT_TIMEOUT = 15;

export function readerFor(source: ContactSourceConfig): SourceReader {
  switch (source.type) {
    case 'carddav':
      return cardDavReader(
        createDavClient({
          url: source.url,
          ...(source.username !== undefined ? { username: source.username } : {}),
          ...(source.password !== undefined ? { password: source.password } : {}),
          timeoutMs: durationSeconds(source.timeout, DEFAULT_TIMEOUT) * 1000,
        }),
      );
    case 'vcard':
      return fileReader(source.path, ['.vcf', '.vcard'], (text, file) => parseVCards(text, path.basename(file)), decodeVcf);
    case 'fritzbox':
      return fileReader(source.path, ['.xml'], (text) => ({ contacts: parseFritzBoxPhonebook(text), unread: [] }), (b) => new TextDecoder('utf-8').decode(b));
  }
}

function cardDavReader(client: DavClient): SourceReader {
  return async (previous) => {
    const collections = await client.collections('addressbook');
    const cards: Record<string, Contact[]> = { ...previous.cards };
    const unread: Record<string, string[]> = { ...previous.unread };
    const states = { ...(previous.dav?.states ?? {}) };
    const known = new Set(collections.map((c) => c.url));
    // Address books that disappeared take their cards with them.
    for (const url of Object.keys(states)) {
      if (known.has(url)) continue;
      for (const card of Object.keys(states[url]!.etags)) {
        delete cards[card];
        delete unread[card];
      }
      delete states[url];
    }
    let changes = 0;
    for (const collection of collections) {
      const result = await client.sync(collection, states[collection.url]);
      for (const url of result.deleted) {
        delete cards[url];
        delete unread[url];
      }
      for (const object of result.changed) {
        const where = resourceName(object.url);
        const read = readOne(() => parseVCards(object.data, where), where);
        cards[object.url] = read.contacts;
        if (read.unread.length) unread[object.url] = read.unread;
        else delete unread[object.url];
      }
      states[collection.url] = result.state;
      changes += result.changed.length + result.deleted.length;
    }
    const sameBooks = Object.keys(previous.dav?.states ?? {}).length === collections.length;
    if (changes === 0 && sameBooks && previous.lastSync) return { ...previous, dav: { collections, states } };
    return { version: 1, cards, unread, dav: { collections, states } };
  };
}

/** One file or resource; one that holds no card at all is one line of `unread`, the others still count. */
function readOne(parse: () => Parsed, where: string): Parsed {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof UnreadableContentError)) throw err;
    return { contacts: [], unread: [`${where}: skipped: ${err.message}`] };
  }
}

function fileReader(
  target: string,
  extensions: readonly string[],
  parse: (text: string, file: string) => Parsed,
  decode: (bytes: Uint8Array) => string,
): SourceReader {
  return async (previous) => {
    const info = await stat(target);
    const files = info.isDirectory()
      ? (await readdir(target)).filter((f) => extensions.includes(path.extname(f).toLowerCase())).sort().map((f) => path.join(target, f))
      : [target];
    const stats = await Promise.all(files.map(async (f) => [f, await stat(f)] as const));
    const signature = JSON.stringify(stats.map(([f, s]) => [f, s.size, s.mtimeMs]));
    // Unchanged since the last read, in this run or (through the cache) before a restart: nothing to parse.
    if (signature === previous.signature && previous.lastSync) return undefined;
    const cards: Record<string, Contact[]> = {};
    const unread: Record<string, string[]> = {};
    for (const [file] of stats) {
      const text = decode(await readFile(file));
      // A single file that is no phone book fails the source (its last good copy stays); in a folder it is one warning.
      const read = info.isDirectory() ? readOne(() => parse(text, file), path.basename(file)) : parse(text, file);
      cards[file] = read.contacts;
      if (read.unread.length) unread[file] = read.unread;
    }
    return { version: 1, cards, unread, signature };
  };
}
