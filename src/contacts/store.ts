import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { durationSeconds } from '../config/duration.js';
import { inTurn } from '../in-turn.js';
import type { ContactSourceConfig } from '../config/schema.js';
import type { DataFolder } from '../data/data-folder.js';
import type { Logger } from '../logger.js';
import { SourceRunner } from '../sources/runner.js';
import type { SourceStatus } from '../sources/status.js';
import { MAX_LISTED_UNREAD } from '../sources/unread.js';
import { cacheFile, readCache, writeCache, type SourceCache } from './cache.js';
import { createDialer, type Dialer } from './dialing.js';
import { ContactIndex, type Hit } from './search-index.js';
import { DEFAULT_REFRESH, readerFor, type SourceReader } from './sources.js';

export interface StoreOptions {
  config: ResolvedConfig;
  log: Logger;
  clock: () => Date;
  /** Where the last good copy of each source is written. */
  data: DataFolder;
}

/** A source as the menu lists it. */
export interface SourceInfo {
  /** Stable within one configuration: the position in `directory.sources` ('1', '2', …). */
  id: string;
  name: string;
  type: ContactSourceConfig['type'];
}

interface Runtime {
  info: SourceInfo;
  config: ContactSourceConfig;
  read: SourceReader;
  file: string;
  cache: SourceCache;
  runner: SourceRunner;
  watcher?: FSWatcher;
  loadedFromCache: boolean;
}

/** Every line about cards of this copy that were skipped or read only in part. */
function unreadOf(cache: SourceCache): string[] {
  return Object.values(cache.unread ?? {}).flat();
}

const DEFAULT_NAMES: Record<ContactSourceConfig['type'], string> = { carddav: 'CardDAV', vcard: 'Contacts', fritzbox: 'FRITZ!Box' };

/**
 * The phone book: every contact source, indexed in memory and cached on disk. Phone requests
 * read the index only; sources are refreshed in the background (every `refresh`, files also when
 * they change), and a source that fails keeps serving its last good copy.
 */
export class ContactStore {
  private readonly runtimes: Runtime[];
  private readonly dialer: Dialer;
  private index: ContactIndex;
  private indexVersion = 0;
  /** Rebuilds of the index, one after the other (ContactStore.rebuild). */
  private readonly rebuilds = inTurn();
  private stopped = false;

  constructor(private readonly options: StoreOptions) {
    const { config } = options;
    this.dialer = createDialer(config.directory.dialing);
    this.runtimes = config.directory.sources.map((source, i) => {
      const info: SourceInfo = { id: String(i + 1), name: source.name ?? DEFAULT_NAMES[source.type], type: source.type };
      const rt: Runtime = {
        info,
        config: source,
        read: readerFor(source),
        file: cacheFile(config.server.dataDir, source.type === 'carddav' ? [source.type, source.url, source.username] : [source.type, source.path]),
        cache: { version: 1, cards: {} },
        loadedFromCache: false,
        runner: new SourceRunner({
          name: info.name,
          type: info.type,
          intervalSeconds: durationSeconds(source.type === 'carddav' ? source.refresh : undefined, DEFAULT_REFRESH[source.type]),
          log: options.log,
          refresh: () => this.read(rt),
          lastSync: () => rt.cache.lastSync,
          count: () => this.index.count(info.id),
          unread: () => unreadOf(rt.cache),
        }),
      };
      return rt;
    });
    this.index = ContactIndex.of([], this.dialer);
  }

  /**
   * Loads the caches, reads local files, and starts refreshing remote sources in the background
   * (start never waits on a server).
   */
  async start(): Promise<void> {
    this.stopped = false;
    for (const rt of this.runtimes) {
      const cached = await readCache(rt.file);
      if (cached) {
        rt.cache = cached;
        rt.loadedFromCache = true;
      }
    }
    await this.rebuild();
    const local = this.runtimes.filter((rt) => rt.config.type !== 'carddav');
    await Promise.all(local.map((rt) => rt.runner.refresh()));
    for (const rt of this.runtimes) {
      rt.runner.start();
      this.watch(rt);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const rt of this.runtimes) {
      rt.watcher?.close();
      rt.watcher = undefined;
    }
    await Promise.all(this.runtimes.map((rt) => rt.runner.stop()));
  }

  /** Refreshes one source (by id) or all now, and resolves when done (errors end up in status()). */
  async refresh(id?: string): Promise<void> {
    await Promise.all(this.runtimes.filter((rt) => id === undefined || rt.info.id === id).map((rt) => rt.runner.refresh()));
  }

  status(): SourceStatus[] {
    return this.runtimes.map((rt) => rt.runner.status());
  }

  sources(): SourceInfo[] {
    return this.runtimes.map((rt) => rt.info);
  }

  /** See ContactIndex.search: names, keypad (T9) names and numbers; `source` limits it to one source. */
  search(query: string, options: { source?: string; limit?: number } = {}): Hit[] {
    return this.index.search(query, options);
  }

  /** Contacts whose name starts in a keypad group ('2' = ABC … '9' = WXYZ, '1' = the rest). */
  browse(group: string, options: { source?: string } = {}): Hit[] {
    return this.index.browse(group, options);
  }

  groupSizes(options: { source?: string } = {}): Map<string, number> {
    return this.index.groupSizes(options);
  }

  /** Caller-ID: the name for a number in any common spelling, or undefined. */
  lookup(number: string): string | undefined {
    return this.index.lookup(this.dialer.key(number.slice(0, 64)));
  }

  /** Changes whenever the contacts do: what was built from a search stays valid until then. */
  get version(): number {
    return this.indexVersion;
  }

  /**
   * Indexes the sources' contacts again, in slices: phone requests are answered from the index in
   * force meanwhile. Rebuilds run one after the other, each from the sources as they are when it
   * starts; the promise settles when this one is in force.
   */
  private rebuild(): Promise<void> {
    return this.rebuilds(async () => {
      this.index = await ContactIndex.inSlices(
        this.runtimes.map((rt) => ({ source: rt.info.id, contacts: Object.values(rt.cache.cards).flat() })),
        this.dialer,
      );
      this.indexVersion++;
    });
  }

  /** One refresh of a source (run by its SourceRunner): read, re-index if changed, write the cache. */
  private async read(rt: Runtime): Promise<void> {
    const log = this.options.log.child({ source: rt.info.name });
    const next = await rt.read(rt.cache);
    // Only what this read found anew is logged; the status lists all.
    const known = new Set(unreadOf(rt.cache));
    const fresh = next ? unreadOf(next).filter((line) => !known.has(line)) : [];
    for (const line of fresh.slice(0, MAX_LISTED_UNREAD)) log.warn(line);
    if (fresh.length > MAX_LISTED_UNREAD) log.warn(`${fresh.length - MAX_LISTED_UNREAD} more cards not fully read`);
    const changed = next !== undefined && next.cards !== rt.cache.cards;
    rt.cache = { ...(next ?? rt.cache), lastSync: this.options.clock().toISOString() };
    if (changed) await this.rebuild();
    const firstSinceStart = rt.loadedFromCache;
    if (changed || rt.config.type === 'carddav' || rt.loadedFromCache) {
      rt.loadedFromCache = false;
      await writeCache(this.options.data, rt.file, rt.cache);
    }
    if (changed || firstSinceStart) log.info({ contacts: this.index.count(rt.info.id) }, 'phone book refreshed');
  }

  /** Files and folders are reloaded shortly after they change. */
  private watch(rt: Runtime): void {
    if (rt.config.type === 'carddav' || rt.watcher || this.stopped) return;
    let debounce: NodeJS.Timeout | undefined;
    // A single file is watched through its folder: editors replace files rather than write into them.
    let folder = rt.config.path;
    let only: string | undefined;
    try {
      if (!statSync(folder).isDirectory()) throw new Error('a file');
    } catch {
      folder = path.dirname(rt.config.path);
      only = path.basename(rt.config.path);
    }
    try {
      rt.watcher = watch(folder, { persistent: false }, (_event, filename) => {
        if (only && filename && filename !== only) return;
        clearTimeout(debounce);
        debounce = setTimeout(() => void rt.runner.refresh(), 200);
        debounce.unref();
      });
      rt.watcher.on('error', () => {
        rt.watcher?.close();
        rt.watcher = undefined;
      });
    } catch {
      // Missing file: the periodic refresh notices when it appears.
    }
  }
}
