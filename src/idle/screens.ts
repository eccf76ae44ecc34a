/**
 * Idle pictures for phones: picks the layout, fills in the words for this minute, renders through
 * src/render and keeps the bytes. The cache key is (layout, display, language, time zone, minute,
 * events), so every phone with the same display and the same view of the calendar gets the bytes
 * rendered once. A picture that cannot be used is reported once and the default layout is shown.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { UpcomingEvent } from '../calendar/events.js';
import type { IdleLayoutConfig } from '../config/schema.js';
import type { AppContext } from '../context.js';
import type { Language } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import type { Phone } from '../phones/inventory.js';
import type { ModelCaps } from '../phones/models.js';
import { renderScene, type RenderedPicture, type Scene, type SceneWidget } from '../render/scene.js';
import { isSmall, targetFor, targetKey, type RenderTarget } from '../render/target.js';
import { clockText, dateText, eventRows, safeTimeZone } from './content.js';
import { DEFAULT_LAYOUT, layoutFor, showsTime } from './layout.js';
import { idleText } from './messages.js';
import { IdleCounters } from './stats.js';
import { PictureError } from '../errors.js';

/** Pictures kept: a few minutes' worth for every display and language in use. */
const MAX_CACHED = 64;
/** Files larger than this are not read at all. */
export const MAX_PICTURE_BYTES = 20 * 1024 * 1024;
/** CIP previews for people are magnified (a 133×65 picture is tiny on a web page), at most this much. */
export const DEFAULT_PREVIEW_SCALE = 2;
export const MAX_PREVIEW_SCALE = 4;
/** Without a clock the picture is still re-read now and then (a changed file, a new day). */
const STATIC_REFRESH_SECONDS = 300;

/** The minute a moment is in (ms since 1970 / 60,000): a picture showing the clock is drawn once in it. */
export function minuteOf(moment: Date): number {
  return Math.floor(moment.getTime() / 60_000);
}

/** Who the picture is for: a phone of the inventory, or a model preview. */
export interface ScreenFor {
  caps: ModelCaps;
  language: Language;
  timeZone: string;
  phone?: Phone;
  /** CIP models: magnification of the preview PNG (default 1). */
  previewScale?: number;
}

export interface IdleScreen extends RenderedPicture {
  target: RenderTarget;
  /** Seconds until the picture changes (the next minute, plus one). */
  refreshSeconds: number;
  /** The clock's minute (ms since 1970 / 60,000) the picture was drawn for. */
  minute: number;
}

interface Moment {
  now: Date;
  language: Language;
  timeZone: string;
  events: UpcomingEvent[];
  previewScale: number;
}

interface LoadedPicture {
  id: string;
  bytes: Buffer;
}

export class IdleScreens {
  private readonly cache = new Map<string, Promise<RenderedPicture>>();
  private readonly layoutKeys = new WeakMap<IdleLayoutConfig, string>();
  /** Pictures (path|mtime|size) known to be unusable: not decoded again, reported once. */
  private readonly badPictures = new Set<string>();
  private readonly reported = new Set<string>();
  private readonly pictures = new Map<string, Buffer>();
  private readonly log: Logger;
  /** Requests, cache hits and render times of these pictures, for the owner's page. */
  readonly stats = new IdleCounters();

  constructor(private readonly ctx: AppContext) {
    this.log = ctx.log.child({ component: 'idle' });
  }

  async screen(request: ScreenFor): Promise<IdleScreen> {
    const { config, calendar } = this.ctx;
    const now = this.ctx.clock();
    const layout = layoutFor(config, request.phone);
    const target = targetFor(request.caps.display, request.caps.png, request.caps.cipPane);
    const timeZone = safeTimeZone(request.timeZone);
    // Enough events for the default layout too, which is shown when this one cannot be drawn.
    const count = Math.max(eventCount(layout), eventCount(DEFAULT_LAYOUT));
    const events = count > 0 ? calendar.upcoming(request.phone, count) : [];
    const asked = request.previewScale ?? 1;
    const previewScale = target.kind === 'cip' && Number.isFinite(asked) ? Math.max(1, Math.min(MAX_PREVIEW_SCALE, Math.round(asked))) : 1;
    const minute = minuteOf(now);
    const key = createHash('sha1')
      .update(JSON.stringify([this.layoutKey(layout), targetKey(target), request.language, timeZone, minute, previewScale, events]))
      .digest('base64url');

    let entry = this.cache.get(key);
    this.stats.countRequest(entry !== undefined);
    if (!entry) {
      entry = this.render(layout, target, { now, language: request.language, timeZone, events, previewScale });
      this.remember(key, entry);
    }
    const rendered = await entry;
    const refreshSeconds = showsTime(layout) ? Math.ceil((60_000 - (now.getTime() % 60_000)) / 1000) + 1 : STATIC_REFRESH_SECONDS;
    return { ...rendered, target, refreshSeconds, minute };
  }

  /** Forgets every rendered picture (a reloaded config may draw them differently). */
  dropCache(): void {
    this.stats.countCached(-this.cache.size);
    this.cache.clear();
    this.pictures.clear();
  }

  private layoutKey(layout: IdleLayoutConfig): string {
    let key = this.layoutKeys.get(layout);
    if (!key) {
      key = JSON.stringify(layout);
      this.layoutKeys.set(layout, key);
    }
    return key;
  }

  private remember(key: string, entry: Promise<RenderedPicture>): void {
    this.cache.set(key, entry);
    this.stats.countCached(1);
    const forget = (): void => {
      if (this.cache.get(key) === entry && this.cache.delete(key)) this.stats.countCached(-1);
    };
    entry.catch(forget);
    while (this.cache.size > MAX_CACHED) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      this.stats.countCached(-1);
    }
  }

  private async render(layout: IdleLayoutConfig, target: RenderTarget, moment: Moment): Promise<RenderedPicture> {
    const started = performance.now();
    const options = { previewScale: moment.previewScale };
    try {
      const picture = await renderScene(await this.scene(layout, target, moment), target, options);
      this.stats.countRender(performance.now() - started, false);
      return picture;
    } catch (err) {
      if (layout === DEFAULT_LAYOUT) throw err;
      this.reportOnce(layout, err as Error);
      const picture = await renderScene(await this.scene(DEFAULT_LAYOUT, target, moment), target, options);
      this.stats.countRender(performance.now() - started, true);
      return picture;
    }
  }

  /** Logs a failed layout once (per picture file version, or per layout and message). */
  private reportOnce(layout: IdleLayoutConfig, err: Error): void {
    if (err instanceof PictureError && err.picture) this.badPictures.add(err.picture);
    const key = err instanceof PictureError && err.picture ? err.picture : `${this.layoutKey(layout)}|${err.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const file = err instanceof PictureError ? err.picture?.split('|')[0] : undefined;
    this.log.error({ file, reason: err.message }, 'idle screen: cannot use the configured layout, showing the default one');
  }

  private async scene(layout: IdleLayoutConfig, target: RenderTarget, m: Moment): Promise<Scene> {
    const hour12 = layout.widgets.find((w) => w.type === 'clock')?.hour12;
    const widgets = await Promise.all(
      layout.widgets.map(async (w): Promise<SceneWidget> => {
        switch (w.type) {
          case 'clock':
            return { type: 'clock', ...clockText(m.now, m.language, m.timeZone, w.hour12) };
          case 'date':
            return { type: 'date', text: dateText(m.now, m.language, m.timeZone, isSmall(target)) };
          case 'events':
            return {
              type: 'events',
              rows: eventRows(m.events.slice(0, w.count), m.now, m.language, m.timeZone, hour12),
              empty: idleText(m.language, 'noEvents'),
            };
          case 'text':
            return { type: 'text', lines: w.text.split(/\r?\n/), size: w.size ?? 'medium', align: w.align ?? 'center' };
          case 'picture': {
            const picture = await this.loadPicture(w.path);
            return { type: 'picture', source: picture.bytes, id: picture.id, ...(w.height ? { height: w.height } : {}) };
          }
        }
      }),
    );
    return { widgets, ...(layout.theme ? { theme: layout.theme } : {}) };
  }

  /** The file's bytes, named by path, modification time and size (a replaced file is tried afresh). */
  private async loadPicture(file: string): Promise<LoadedPicture> {
    const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
      throw new PictureError(`cannot read the picture (${err.code ?? err.message})`, `${file}|missing`);
    });
    const id = `${file}|${info.mtimeMs}|${info.size}`;
    if (this.badPictures.has(id)) throw new PictureError('the picture could not be used before', id);
    if (!info.isFile()) throw new PictureError('the picture is not a file', id);
    if (info.size > MAX_PICTURE_BYTES) throw new PictureError(`the picture is larger than ${MAX_PICTURE_BYTES / 1024 / 1024} MB`, id);
    let bytes = this.pictures.get(id);
    if (!bytes) {
      bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
        throw new PictureError(`cannot read the picture (${err.code ?? err.message})`, id);
      });
      if (this.pictures.size >= 8) this.pictures.clear();
      this.pictures.set(id, bytes);
    }
    return { id, bytes };
  }
}

/** How many events a layout shows (0 without an events widget). */
function eventCount(layout: IdleLayoutConfig): number {
  return Math.max(0, ...layout.widgets.map((w) => (w.type === 'events' ? w.count : 0)));
}
