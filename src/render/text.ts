/**
 * Measuring and shortening text. Widths come from Pango itself (sharp's `text` input with our
 * font file), the same engine that draws the SVG, so a line that is said to fit does fit.
 */
import { loadSharp } from './decode.js';
import { xmlCharsOnly } from '../xml/chars.js';
import { fontFile, FONT_FAMILY, useBundledFonts, type FontWeight } from './fonts.js';

export interface TextStyle {
  size: number;
  weight: FontWeight;
}

export const ELLIPSIS = '…';

const widths = new Map<string, number>();
const MAX_REMEMBERED = 4000;

/**
 * Text as Pango markup or SVG content: characters XML 1.0 forbids are removed (librsvg and Pango
 * refuse the whole document otherwise) and the characters markup gives meaning to are escaped.
 */
export function escapeMarkup(text: string): string {
  return xmlCharsOnly(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Ink width in pixels of one line of text. */
export async function textWidth(text: string, style: TextStyle): Promise<number> {
  if (text.trim() === '') return 0;
  const key = `${style.weight}|${style.size}|${text}`;
  const known = widths.get(key);
  if (known !== undefined) return known;
  useBundledFonts();
  const sharp = await loadSharp();
  const { info } = await sharp({
    text: {
      text: escapeMarkup(text),
      font: `${FONT_FAMILY} ${style.weight === 'bold' ? 'Bold ' : ''}${style.size}px`,
      fontfile: fontFile(style.weight),
      dpi: 72,
      wrap: 'none',
    },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (widths.size >= MAX_REMEMBERED) widths.clear();
  widths.set(key, info.width);
  return info.width;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Grapheme clusters, so an accent or emoji sequence is never split. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The text itself when it fits in `maxWidth`, else its longest prefix (whole graphemes, trailing
 * space trimmed) followed by an ellipsis that fits; '' when not even the ellipsis fits.
 */
export async function fitText(text: string, style: TextStyle, maxWidth: number): Promise<string> {
  const clean = text.replace(/\s+/g, ' ').trim();
  if ((await textWidth(clean, style)) <= maxWidth) return clean;
  const parts = graphemes(clean);
  const candidate = (n: number): string => parts.slice(0, n).join('').trimEnd() + ELLIPSIS;
  let lo = 0;
  let hi = parts.length - 1;
  if ((await textWidth(candidate(0), style)) > maxWidth) return '';
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((await textWidth(candidate(mid), style)) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return candidate(lo);
}
