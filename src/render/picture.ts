/**
 * An owner's picture (PNG, JPEG, SVG, …) scaled to fit a box on the idle screen. Untrusted input:
 * the decoded size is capped (a 20000×20000 PNG or an SVG that claims a huge canvas is refused),
 * warnings such as a truncated JPEG count as errors, and the work has a time limit.
 */
import { decodeImage } from './decode.js';
import { PictureError } from '../errors.js';

const TIMEOUT_SECONDS = 10;

export interface Box {
  width: number;
  height: number;
}

/** RGB pixels, 3 bytes each, row-major. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Decodes `input`, scales it to fit inside `box` keeping its proportions, and flattens it onto `background`. */
export async function preparePicture(input: Buffer, box: Box, background: string): Promise<RawImage> {
  if (box.width < 1 || box.height < 1) throw new PictureError('no room for the picture');
  const options = { failOn: 'warning' as const };
  try {
    const meta = await (await decodeImage(input, options)).metadata();
    if (!meta.width || !meta.height) throw new PictureError('the picture has no size');
    // An SVG is drawn at the density that makes it fill the box, so it stays sharp.
    const density =
      meta.format === 'svg'
        ? Math.min(2400, Math.max(1, 72 * Math.min(box.width / meta.width, box.height / meta.height)))
        : undefined;
    const { data, info } = await (await decodeImage(input, { ...options, ...(density ? { density } : {}) }))
      .timeout({ seconds: TIMEOUT_SECONDS })
      .rotate()
      .resize(box.width, box.height, { fit: 'inside', kernel: 'lanczos3' })
      .flatten({ background })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (err) {
    if (err instanceof PictureError) throw err;
    throw new PictureError((err as Error).message.split('\n')[0] ?? 'unreadable picture');
  }
}
