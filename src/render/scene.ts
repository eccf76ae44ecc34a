/**
 * The idle screen renderer: a scene (widgets whose words are already chosen) and a target display
 * in, picture bytes out. Widgets are stacked top to bottom; text is laid out as SVG and drawn by
 * librsvg with the packaged font, pictures are composited in, then the pixels are reduced to what
 * the panel shows (quantize.ts) and encoded as PNG or as CIP `<Data>` (cip.ts).
 */
import { loadSharp } from './decode.js';
import { CIP_GREYS, packCip } from './cip.js';
import { FONT_FAMILY, useBundledFonts } from './fonts.js';
import { preparePicture, type RawImage } from './picture.js';
import { levelValue, luma, quantize } from './quantize.js';
import { isSmall, type RenderTarget } from './target.js';
import { escapeMarkup, fitText, textWidth, type TextStyle } from './text.js';
import { PictureError } from '../errors.js';

export type TextSize = 'small' | 'medium' | 'large';
export type Align = 'left' | 'center';
export type ThemeName = 'light' | 'dark';

export interface EventRow {
  /** "14:30", "Tomorrow", "Now", … */
  when: string;
  /** A shorter way to say `when` ("Sun 12:30" for "Sun 12:30 PM"), used where `when` does not fit. */
  short?: string;
  title: string;
}

export type SceneWidget =
  /** `period`: AM/PM of a 12-hour clock, drawn small beside the time. */
  | { type: 'clock'; time: string; period?: string }
  | { type: 'date'; text: string }
  | { type: 'events'; rows: EventRow[]; empty: string }
  | { type: 'text'; lines: string[]; size: TextSize; align: Align }
  /** `id` names the picture in errors (its file, …). */
  | { type: 'picture'; source: Buffer; id?: string; height?: number };

export interface Scene {
  widgets: SceneWidget[];
  theme?: ThemeName;
}

export interface RenderOptions {
  /** CIP targets: magnification of the preview PNG (nearest neighbour). */
  previewScale?: number;
}

export interface RenderedPicture {
  /** The PNG a phone (or, for CIP targets, a person) is shown. */
  png: Buffer;
  /** CIP targets: the CiscoIPPhoneImage bitmap. */
  cip?: { width: number; height: number; data: string; values: Uint8Array };
}

interface Theme {
  background: string;
  clock: string;
  date: string;
  text: string;
  muted: string;
  accent: string;
  rule: string;
}

const THEMES: Record<ThemeName, Theme> = {
  light: { background: '#ffffff', clock: '#000000', date: '#222222', text: '#000000', muted: '#666666', accent: '#000000', rule: '#888888' },
  dark: { background: '#0f2238', clock: '#ffffff', date: '#a8cdf4', text: '#eef3f8', muted: '#8296ab', accent: '#ffc44d', rule: '#33506f' },
};

/** Type sizes in pixels, by panel class. */
interface Metrics {
  padX: number;
  padY: number;
  gap: number;
  clock: number;
  date: number;
  event: number;
  eventGap: number;
  text: Record<TextSize, number>;
}

function metricsFor(target: RenderTarget): Metrics {
  if (isSmall(target)) {
    return { padX: 3, padY: 2, gap: 2, clock: 28, date: 11, event: 11, eventGap: 4, text: { small: 10, medium: 11, large: 14 } };
  }
  return {
    padX: 12,
    padY: 4,
    gap: 5,
    clock: Math.round(target.height * 0.36),
    date: 16,
    event: 14,
    eventGap: 10,
    text: { small: 14, medium: 17, large: 24 },
  };
}

// DejaVu Sans proportions of the em: digits' height, ascent, line height.
const CAP_HEIGHT = 0.73;
const ASCENT = 0.93;
const LINE = 1.18;

const lineHeight = (size: number): number => Math.ceil(size * LINE);
const baseline = (size: number): number => Math.round(size * ASCENT);

interface Placed {
  widget: SceneWidget;
  top: number;
  height: number;
  /** Event rows kept (the rest did not fit). */
  rows?: number;
}

/** `rows`: event rows shown; `picture`: the height a picture gets. */
function naturalHeight(w: SceneWidget, m: Metrics, rows: number, picture: number): number {
  switch (w.type) {
    case 'clock':
      return Math.round(m.clock * CAP_HEIGHT);
    case 'date':
      return lineHeight(m.date);
    case 'events':
      return 1 + m.gap + Math.max(1, rows) * lineHeight(m.event);
    case 'text':
      return w.lines.length * lineHeight(m.text[w.size]);
    case 'picture':
      return picture;
  }
}

/** A picture with a fixed height is made smaller, down to this, before a widget is left out. */
const MIN_PICTURE_HEIGHT = 8;

/**
 * Vertical placement: natural heights, then — when the stack is too tall — fewer event rows, then
 * lower pictures of a fixed height (one layout serves a 168-pixel and a 65-pixel display), then
 * widgets dropped from the bottom. Room left over goes to pictures without a fixed height, or
 * centres the stack.
 */
export function planLayout(widgets: SceneWidget[], target: RenderTarget): Placed[] {
  const m = metricsFor(target);
  const rows = widgets.map((w) => (w.type === 'events' ? w.rows.length : 0));
  const pictures = widgets.map((w) => (w.type === 'picture' && w.height !== undefined ? Math.min(w.height, target.height - 2 * m.padY) : 0));
  const heightAt = (i: number): number => naturalHeight(widgets[i]!, m, rows[i]!, pictures[i]!);
  let count = widgets.length;
  const total = (): number =>
    widgets.slice(0, count).reduce((sum, _w, i) => sum + heightAt(i), 0) + m.gap * Math.max(0, count - 1) + 2 * m.padY;
  const last = (fits: (w: SceneWidget, i: number) => boolean): number => {
    for (let i = count - 1; i >= 0; i--) if (fits(widgets[i]!, i)) return i;
    return -1;
  };
  while (count > 0 && total() > target.height) {
    const events = last((w, i) => w.type === 'events' && rows[i]! > 1);
    const picture = last((_w, i) => pictures[i]! > MIN_PICTURE_HEIGHT);
    if (events >= 0) rows[events]!--;
    else if (picture >= 0) pictures[picture] = Math.max(MIN_PICTURE_HEIGHT, pictures[picture]! - (total() - target.height));
    else count--;
  }
  const kept = widgets.slice(0, count);
  const spare = Math.max(0, target.height - total());
  const flexible = kept.filter((w) => w.type === 'picture' && w.height === undefined).length;
  let top = m.padY + (flexible === 0 ? Math.floor(spare / 2) : 0);
  return kept.map((widget, i) => {
    let height = heightAt(i);
    if (widget.type === 'picture' && widget.height === undefined) height += Math.floor(spare / flexible);
    const placed: Placed = { widget, top, height, ...(widget.type === 'events' ? { rows: rows[i]! } : {}) };
    top += height + m.gap;
    return placed;
  });
}

interface Drawing {
  svg: string[];
  pictures: { image: RawImage; left: number; top: number }[];
}

function textElement(x: number, y: number, text: string, style: TextStyle, fill: string, anchor: 'start' | 'middle'): string {
  if (!text) return '';
  return (
    `<text x="${x}" y="${y}" font-family="${FONT_FAMILY}" font-size="${style.size}" font-weight="${style.weight === 'bold' ? 'bold' : 'normal'}"` +
    ` fill="${fill}" text-anchor="${anchor}">${escapeMarkup(text)}</text>`
  );
}

async function drawWidget(p: Placed, target: RenderTarget, m: Metrics, theme: Theme, out: Drawing): Promise<void> {
  const w = p.widget;
  const inner = target.width - 2 * m.padX;
  const centre = Math.round(target.width / 2);
  switch (w.type) {
    case 'clock': {
      // The time never loses a digit: the type shrinks until time and period fit.
      for (let size = m.clock; ; size -= 2) {
        const style: TextStyle = { size, weight: 'bold' };
        const small: TextStyle = { size: Math.round(size * 0.34), weight: 'bold' };
        const gap = w.period ? Math.round(size * 0.12) : 0;
        const timeWidth = await textWidth(w.time, style);
        const width = timeWidth + (w.period ? gap + (await textWidth(w.period, small)) : 0);
        if (width > inner && size > 8) continue;
        const left = Math.round((target.width - width) / 2);
        const y = p.top + p.height;
        out.svg.push(textElement(left, y, w.time, style, theme.clock, 'start'));
        if (w.period) out.svg.push(textElement(left + timeWidth + gap, y, w.period, small, theme.date, 'start'));
        return;
      }
    }
    case 'date': {
      const style: TextStyle = { size: m.date, weight: 'regular' };
      out.svg.push(textElement(centre, p.top + baseline(m.date), await fitText(w.text, style, inner), style, theme.date, 'middle'));
      return;
    }
    case 'events': {
      out.svg.push(`<rect x="${m.padX}" y="${p.top}" width="${inner}" height="1" fill="${theme.rule}"/>`);
      const rowsTop = p.top + 1 + m.gap;
      const line = lineHeight(m.event);
      const when: TextStyle = { size: m.event, weight: 'bold' };
      const title: TextStyle = { size: m.event, weight: 'regular' };
      const rows = w.rows.slice(0, p.rows);
      if (rows.length === 0) {
        out.svg.push(textElement(centre, rowsTop + baseline(m.event), await fitText(w.empty, title, inner), title, theme.muted, 'middle'));
        return;
      }
      // One column for the times, as wide as the widest (at most about half the line: "Sun 12:30"
      // still fits the 7940's 133 pixels, with the rest for the title).
      const whenMax = Math.floor(inner * 0.52);
      const whens = await Promise.all(
        rows.map(async (r) => (r.short && (await textWidth(r.when, when)) > whenMax ? fitText(r.short, when, whenMax) : fitText(r.when, when, whenMax))),
      );
      const column = Math.max(0, ...(await Promise.all(whens.map((s) => textWidth(s, when))))) + m.eventGap;
      for (const [i, row] of rows.entries()) {
        const y = rowsTop + i * line + baseline(m.event);
        out.svg.push(textElement(m.padX, y, whens[i]!, when, theme.accent, 'start'));
        out.svg.push(textElement(m.padX + column, y, await fitText(row.title, title, inner - column), title, theme.text, 'start'));
      }
      return;
    }
    case 'text': {
      const style: TextStyle = { size: m.text[w.size], weight: w.size === 'large' ? 'bold' : 'regular' };
      for (const [i, line] of w.lines.entries()) {
        const y = p.top + i * lineHeight(style.size) + baseline(style.size);
        const fitted = await fitText(line, style, inner);
        out.svg.push(w.align === 'center' ? textElement(centre, y, fitted, style, theme.text, 'middle') : textElement(m.padX, y, fitted, style, theme.text, 'start'));
      }
      return;
    }
    case 'picture': {
      // The other widgets left no room: the picture is left out, the screen is still drawn.
      if (p.height < 1) return;
      const image = await preparePicture(w.source, { width: inner, height: p.height }, theme.background).catch((err: Error) => {
        throw new PictureError(err.message, w.id);
      });
      out.pictures.push({ image, left: m.padX + Math.floor((inner - image.width) / 2), top: p.top + Math.floor((p.height - image.height) / 2) });
      return;
    }
  }
}

/** The theme a scene gets on a target when it names none: dark on colour panels, light on grey ones. */
export function defaultTheme(target: RenderTarget): ThemeName {
  return target.kind === 'colour' ? 'dark' : 'light';
}

/** Renders a scene for a target. Throws PictureError when a picture cannot be used. */
export async function renderScene(scene: Scene, target: RenderTarget, options: RenderOptions = {}): Promise<RenderedPicture> {
  useBundledFonts();
  const m = metricsFor(target);
  const theme = THEMES[scene.theme ?? defaultTheme(target)];
  const drawing: Drawing = { svg: [], pictures: [] };
  for (const placed of planLayout(scene.widgets, target)) await drawWidget(placed, target, m, theme, drawing);

  const { width, height } = target;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="${theme.background}"/>${drawing.svg.join('')}</svg>`;
  const sharp = await loadSharp();
  const rgb = await sharp(Buffer.from(svg))
    .composite(drawing.pictures.map((p) => ({ input: p.image.data, raw: { width: p.image.width, height: p.image.height, channels: 3 as const }, left: p.left, top: p.top })))
    .removeAlpha()
    .raw()
    .toBuffer();

  // Photos are dithered; text and flat areas snap to the nearest level.
  const mask = new Uint8Array(width * height);
  for (const p of drawing.pictures) {
    for (let y = p.top; y < p.top + p.image.height; y++) mask.fill(1, y * width + p.left, y * width + p.left + p.image.width);
  }
  const dither = drawing.pictures.length > 0 ? mask : undefined;
  return encode(new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length), target, dither, options);
}

async function encode(rgb: Uint8Array, target: RenderTarget, dither: Uint8Array | undefined, options: RenderOptions): Promise<RenderedPicture> {
  const { width, height } = target;
  const pixels = width * height;
  switch (target.kind) {
    case 'grey': {
      const levels = 2 ** target.bits;
      const q = quantize(luma(rgb, pixels), width, height, [levels], dither);
      return { png: await greyPng(q.map((l) => levelValue(l, levels)), width, height) };
    }
    case 'colour': {
      const levels = target.channelBits.map((b) => 2 ** b);
      const q = quantize(rgb, width, height, levels, dither);
      const out = Buffer.alloc(q.length);
      for (let i = 0; i < q.length; i++) out[i] = levelValue(q[i]!, levels[i % 3]!);
      const png = await (await loadSharp())(out, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer();
      return { png };
    }
    case 'cip': {
      // CIP (Cisco developer notes): 0 = white … 3 = black, the reverse of the grey level.
      const values = quantize(luma(rgb, pixels), width, height, [4], dither).map((l) => 3 - l);
      const data = packCip(values, width, height);
      return { png: await cipPreviewPng(values, width, height, options.previewScale ?? 1), cip: { width, height, data, values } };
    }
  }
}

/**
 * A greyscale PNG (8 bits, colour type 0) holding only the given values, so the levels arrive
 * exactly as quantized (a palette encoder may move a level by one step).
 */
async function greyPng(grey: Uint8Array, width: number, height: number): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(grey, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
}

/** How a CIP bitmap looks on the 7940/7960 panel, as a PNG for people (web page, README). */
export async function cipPreviewPng(values: Uint8Array, width: number, height: number, scale = 1): Promise<Buffer> {
  const grey = values.map((v) => CIP_GREYS[v]!);
  const factor = Math.max(1, Math.min(8, Math.round(scale)));
  if (factor === 1) return greyPng(grey, width, height);
  const big = new Uint8Array(width * factor * height * factor);
  for (let y = 0; y < height * factor; y++) {
    for (let x = 0; x < width * factor; x++) big[y * width * factor + x] = grey[Math.floor(y / factor) * width + Math.floor(x / factor)]!;
  }
  return greyPng(big, width * factor, height * factor);
}
