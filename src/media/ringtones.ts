/**
 * The ring tones on offer: every WAV file in `ringtones.folder`, converted once per version of
 * the file (memory + data folder) and named for the ring list.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataFolder } from '../data/data-folder.js';
import type { Logger } from '../logger.js';
import { DiskCache } from './disk-cache.js';
import { LIST_MAX_ENTRIES, type RingEntry } from './lists.js';
import { RING_NAME_MAX, shortDisplayName, stemOf, uniqueFileNames } from './names.js';
import { wavToRingtone } from './ringtone-audio.js';
import { scanFolder, type SourceFile } from './source-folder.js';

/** Bumped whenever the conversion changes, so cached files are redone. */
const CONVERTER_VERSION = 'ring-1';
const WAV = new Set(['.wav', '.wave']);

export interface Ringtone extends RingEntry {
  /** The WAV it was made from. */
  source: string;
  raw: Buffer;
}

export interface RingtoneOptions {
  folder: string;
  /** File name (with or without extension) → name shown on the phone. */
  names: Record<string, string>;
  data: DataFolder;
  cacheDir: string;
  log: Logger;
}

interface Converted {
  version: string;
  group: string;
  raw: Buffer | null;
}

export class RingtoneLibrary {
  private readonly cache: DiskCache;
  private readonly converted = new Map<string, Converted>();
  private pending: Promise<Ringtone[]> | null = null;

  constructor(private readonly options: RingtoneOptions) {
    this.cache = new DiskCache(options.data, options.cacheDir, '.raw');
  }

  /** The current ring tones (at most 50), converting what is new or changed. */
  list(): Promise<Ringtone[]> {
    // Requests arriving together share one scan.
    this.pending ??= this.refresh().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** A converted ring tone by its `.raw` name, in any letter case. */
  async find(fileName: string): Promise<Ringtone | undefined> {
    const wanted = fileName.toLowerCase();
    return (await this.list()).find((r) => r.fileName.toLowerCase() === wanted);
  }

  private async refresh(): Promise<Ringtone[]> {
    const sources = await scanFolder(this.options.folder, WAV);
    const usable: { source: SourceFile; raw: Buffer }[] = [];
    let changed = false;
    for (const source of sources) {
      const known = this.converted.get(source.path);
      let entry = known;
      if (!known || known.version !== source.version) {
        entry = await this.convert(source);
        this.converted.set(source.path, entry);
        changed = true;
      }
      if (entry?.raw) usable.push({ source, raw: entry.raw });
    }
    const present = new Set(sources.map((s) => s.path));
    for (const key of this.converted.keys()) {
      if (present.has(key)) continue;
      this.converted.delete(key);
      changed = true;
    }
    if (changed) await this.cache.sweep(new Set([...this.converted.values()].map((c) => c.group)));
    if (usable.length > LIST_MAX_ENTRIES) {
      this.options.log.warn(
        { folder: this.options.folder, count: usable.length, skipped: usable.slice(LIST_MAX_ENTRIES).map((u) => u.source.name) },
        `the phones list at most ${LIST_MAX_ENTRIES} ring tones; the rest are left out`,
      );
    }
    const chosen = usable.slice(0, LIST_MAX_ENTRIES);
    const fileNames = uniqueFileNames(chosen.map((u) => stemOf(u.source.name)), '.raw', RING_NAME_MAX);
    return chosen.map((u, i) => ({
      source: u.source.path,
      fileName: fileNames[i]!,
      displayName: shortDisplayName(this.displayName(u.source.name)),
      raw: u.raw,
    }));
  }

  private displayName(fileName: string): string {
    const { names } = this.options;
    return names[fileName] ?? names[stemOf(fileName)] ?? stemOf(fileName);
  }

  private async convert(source: SourceFile): Promise<Converted> {
    const group = this.cache.group(source.path, source.version, CONVERTER_VERSION);
    const cached = await this.cache.get(group, 'ring');
    if (cached) return { version: source.version, group, raw: cached };
    try {
      const { raw, cut, sourceSeconds } = wavToRingtone(await readFile(source.path));
      if (cut) {
        this.options.log.info(
          { file: source.name, seconds: Math.round(sourceSeconds * 10) / 10 },
          'ring tone longer than the phones play (2.01 s): cut with a fade-out',
        );
      }
      await this.cache.put(group, 'ring', raw);
      return { version: source.version, group, raw };
    } catch (err) {
      this.options.log.warn({ file: path.basename(source.path), folder: this.options.folder, reason: (err as Error).message }, 'ring tone skipped: cannot read this WAV file');
      return { version: source.version, group, raw: null };
    }
  }
}
