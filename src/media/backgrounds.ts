/**
 * The background pictures on offer: every picture in `backgrounds.folder`, rendered on demand for
 * the `Desktops/<W>x<H>x<D>/` directories of the configured models (any other is "file not
 * found"), at most two at a time, kept in memory and in the data folder.
 */
import path from 'node:path';
import type { DataFolder } from '../data/data-folder.js';
import { PictureError } from '../errors.js';
import type { Logger } from '../logger.js';
import pLimit from 'p-limit';
import { MODELS, type ModelCaps } from '../phones/models.js';
import { decodeImage } from '../render/decode.js';
import { renderBackground, thumbnailSize, type DesktopSpec } from './background-render.js';
import { DiskCache } from './disk-cache.js';
import { LIST_MAX_ENTRIES, type ImageEntry } from './lists.js';
import { stemOf, uniqueFileNames } from './names.js';
import { scanFolder, type SourceFile } from './source-folder.js';

/** Bumped whenever rendering changes, so cached pictures are redone. */
const RENDER_VERSION = 'bg-1';
const PICTURES = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.svg', '.avif']);
const NAME_MAX = 32;
const THUMBNAIL_PREFIX = 'TN-';
/** Rendered pictures kept in memory (a few KB each; at most 4 directories × 50 pictures × 2 sizes are ever made). */
const MEMORY_ENTRIES = 500;
/** Renders running at once: the rest wait, so a burst of requests cannot take every core. */
export const RENDERS_AT_ONCE = 2;

/** The `Desktops/` directories of these models (every model's when none is given: no phone configured yet). */
export function desktopDirs(models: readonly ModelCaps[]): Set<string> {
  const chosen = models.length > 0 ? models : [...MODELS.values()];
  return new Set(chosen.flatMap((m) => (m.backgroundDir ? [m.backgroundDir] : [])));
}

export interface Background {
  source: SourceFile;
  /** File name inside a Desktops directory, e.g. `Lake.png` (thumbnail: `TN-Lake.png`). */
  fileName: string;
  group: string;
}

export interface BackgroundOptions {
  folder: string;
  /** The only `Desktops/` directories served (see `desktopDirs`). */
  dirs: ReadonlySet<string>;
  data: DataFolder;
  cacheDir: string;
  log: Logger;
}

export class BackgroundLibrary {
  private readonly cache: DiskCache;
  /** Source path → version and whether sharp can read it. */
  private readonly checked = new Map<string, { version: string; ok: boolean }>();
  private readonly rendered = new Map<string, Promise<Buffer | null>>();
  private readonly limit = pLimit(RENDERS_AT_ONCE);
  private readonly counters = { renders: 0, running: 0, mostAtOnce: 0 };
  private pending: Promise<Background[]> | null = null;

  constructor(private readonly options: BackgroundOptions) {
    this.cache = new DiskCache(options.data, options.cacheDir, '.png');
  }

  /** Pictures rendered since start, and the most renders that ever ran at once. */
  stats(): { renders: number; mostAtOnce: number } {
    return { renders: this.counters.renders, mostAtOnce: this.counters.mostAtOnce };
  }

  /** The current pictures (at most 50), unreadable ones left out with a warning. */
  list(): Promise<Background[]> {
    this.pending ??= this.refresh().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Entries for `Desktops/<dir>/List.xml` (none for a directory no configured model uses). */
  async entries(spec: DesktopSpec): Promise<ImageEntry[]> {
    if (!this.options.dirs.has(spec.dir)) return [];
    const base = `Desktops/${spec.dir}`;
    return (await this.list()).map((b) => ({ thumbnail: `${base}/${THUMBNAIL_PREFIX}${b.fileName}`, image: `${base}/${b.fileName}` }));
  }

  /** The PNG for `name` (a picture or `TN-` thumbnail, any letter case) in the directory `spec`. */
  async file(spec: DesktopSpec, name: string): Promise<Buffer | null> {
    if (!this.options.dirs.has(spec.dir)) return null;
    const wanted = name.toLowerCase();
    const thumb = wanted.startsWith(THUMBNAIL_PREFIX.toLowerCase());
    const fileName = thumb ? wanted.slice(THUMBNAIL_PREFIX.length) : wanted;
    const picture = (await this.list()).find((b) => b.fileName.toLowerCase() === fileName);
    if (!picture) return null;
    const size = thumb ? thumbnailSize(spec) : { width: spec.width, height: spec.height };
    const variant = `${spec.dir}${thumb ? 't' : ''}`;
    const key = `${picture.group}-${variant}`;
    let render = this.rendered.get(key);
    if (!render) {
      render = this.render(picture, variant, spec, size);
      this.rendered.set(key, render);
      if (this.rendered.size > MEMORY_ENTRIES) this.rendered.delete(this.rendered.keys().next().value!);
    }
    return render;
  }

  private async render(picture: Background, variant: string, spec: DesktopSpec, size: { width: number; height: number }): Promise<Buffer | null> {
    const cached = await this.cache.get(picture.group, variant);
    if (cached) return cached;
    try {
      const png = await this.limit(() => this.counted(() => renderBackground(picture.source.path, spec, size)));
      await this.cache.put(picture.group, variant, png);
      return png;
    } catch (err) {
      this.options.log.warn({ file: picture.source.name, reason: (err as Error).message }, 'background picture could not be rendered');
      return null;
    }
  }

  private async counted<T>(work: () => Promise<T>): Promise<T> {
    this.counters.renders++;
    this.counters.mostAtOnce = Math.max(this.counters.mostAtOnce, ++this.counters.running);
    try {
      return await work();
    } finally {
      this.counters.running--;
    }
  }

  private async refresh(): Promise<Background[]> {
    const sources = await scanFolder(this.options.folder, PICTURES);
    const usable: SourceFile[] = [];
    let changed = false;
    for (const source of sources) {
      let state = this.checked.get(source.path);
      if (!state || state.version !== source.version) {
        state = { version: source.version, ok: await this.readable(source) };
        this.checked.set(source.path, state);
        changed = true;
      }
      if (state.ok) usable.push(source);
    }
    const present = new Set(sources.map((s) => s.path));
    for (const key of this.checked.keys()) {
      if (present.has(key)) continue;
      this.checked.delete(key);
      changed = true;
    }
    if (usable.length > LIST_MAX_ENTRIES) {
      this.options.log.warn(
        { folder: this.options.folder, count: usable.length, skipped: usable.slice(LIST_MAX_ENTRIES).map((s) => s.name) },
        `the phones list at most ${LIST_MAX_ENTRIES} backgrounds; the rest are left out`,
      );
    }
    const chosen = usable.slice(0, LIST_MAX_ENTRIES);
    // A leading TN- would read as a thumbnail name.
    const names = uniqueFileNames(chosen.map((s) => stemOf(s.name).replace(/^tn-/i, '')), '.png', NAME_MAX);
    const pictures = chosen.map((source, i) => ({
      source,
      fileName: names[i]!,
      group: this.cache.group(source.path, source.version, RENDER_VERSION),
    }));
    if (changed) {
      const groups = new Set(pictures.map((p) => p.group));
      for (const key of this.rendered.keys()) if (!groups.has(key.split('-')[0]!)) this.rendered.delete(key);
      await this.cache.sweep(groups);
    }
    return pictures;
  }

  private async readable(source: SourceFile): Promise<boolean> {
    try {
      const meta = await (await decodeImage(source.path)).metadata();
      if (!meta.width || !meta.height) throw new PictureError('no picture size');
      return true;
    } catch (err) {
      this.options.log.warn({ file: path.basename(source.path), folder: this.options.folder, reason: (err as Error).message }, 'background skipped: cannot read this picture');
      return false;
    }
  }
}
