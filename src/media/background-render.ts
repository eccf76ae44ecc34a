/**
 * Background pictures for `Desktops/<W>x<H>x<D>/` (Cisco 7941/7975 admin guides; usecallmanager.nz
 * background-images): the picture cropped to fill the screen, then reduced to what the panel shows:
 * 2^D grey levels for the grey models (16 for 320x196x4), 4 bits per channel for 12-bit colour,
 * 5-6-5 for 16-bit colour. Ordered dithering keeps gradients smooth at those depths. PNG without
 * alpha.
 */
import { decodeImage, loadSharp } from '../render/decode.js';

export interface DesktopSpec {
  width: number;
  height: number;
  depth: number;
  /** Canonical directory name, e.g. `320x196x4`. */
  dir: string;
}

export interface Size {
  width: number;
  height: number;
}

const MIN_SIDE = 16;
const MAX_SIDE = 2048;
const DEPTHS = new Set([1, 2, 4, 8, 12, 16, 24, 32]);

/** Parses a directory name such as `320x196x4`; null when it is not one or out of sane bounds. */
export function parseDesktopDir(name: string): DesktopSpec | null {
  const m = /^(\d{1,4})x(\d{1,4})x(\d{1,2})$/i.exec(name);
  if (!m) return null;
  const [width, height, depth] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE || !DEPTHS.has(depth)) return null;
  return { width, height, depth, dir: `${width}x${height}x${depth}` };
}

/** Thumbnail sizes Cisco documents for its own directories (7941/7970/7975 admin guides). */
const KNOWN_THUMBNAILS: Record<string, Size> = {
  '320x196': { width: 80, height: 49 },
  '320x212': { width: 80, height: 53 },
  '320x216': { width: 80, height: 53 },
};

/** The thumbnail is a quarter of the full size in each direction. */
export function thumbnailSize(spec: DesktopSpec): Size {
  return (
    KNOWN_THUMBNAILS[`${spec.width}x${spec.height}`] ?? {
      width: Math.max(1, Math.round(spec.width / 4)),
      height: Math.max(1, Math.round(spec.height / 4)),
    }
  );
}

/** Levels per channel the panel shows: [grey] or [r, g, b]; null for full 8-bit colour. */
export function panelLevels(depth: number): number[] | null {
  if (depth <= 8) return [2 ** depth];
  if (depth === 12) return [16, 16, 16];
  if (depth === 16) return [32, 64, 32];
  return null;
}

/** Renders `input` (any format sharp reads) for one directory at `size` (full or thumbnail). */
export async function renderBackground(input: Buffer | string, spec: DesktopSpec, size: Size): Promise<Buffer> {
  const levels = panelLevels(spec.depth);
  const grey = levels?.length === 1;
  const { data, info } = await (await decodeImage(input, { failOn: 'error' }))
    .rotate() // honour EXIF orientation
    .flatten({ background: '#ffffff' })
    .resize(size.width, size.height, { fit: 'cover', position: 'centre' })
    .toColourspace(grey ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (levels) ditherInPlace(data, info.width, info.channels, levels);
  const sharp = await loadSharp();
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .toColourspace(grey ? 'b-w' : 'srgb') // otherwise one raw channel is written as RGB
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toBuffer();
}

const BAYER_4X4 = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

/** Quantises interleaved 8-bit pixels to `levels[c]` steps per channel with a 4×4 ordered dither. */
function ditherInPlace(data: Buffer, width: number, channels: number, levels: readonly number[]): void {
  const pixels = data.length / channels;
  for (let p = 0; p < pixels; p++) {
    const x = p % width;
    const y = (p / width) | 0;
    const threshold = (BAYER_4X4[(y & 3) * 4 + (x & 3)]! + 0.5) / 16 - 0.5;
    for (let c = 0; c < channels; c++) {
      const steps = levels[Math.min(c, levels.length - 1)]! - 1;
      const i = p * channels + c;
      const q = Math.min(steps, Math.max(0, Math.round((data[i]! / 255) * steps + threshold)));
      data[i] = Math.round((q * 255) / steps);
    }
  }
}
