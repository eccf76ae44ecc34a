/**
 * The one way a picture from outside (the owner's files, a URL, a push request) is opened: with a
 * limit on its decoded size, so a small file that claims 16000×16000 pixels is refused at once
 * instead of taking a gigabyte and seconds to decode.
 */
import type { Sharp, SharpOptions } from 'sharp';

/** The largest decoded picture accepted (about a 24-megapixel photo). */
export const MAX_PICTURE_PIXELS = 25_000_000;

export type DecodeOptions = Omit<SharpOptions, 'limitInputPixels'>;

type SharpFactory = (typeof import('sharp'))['default'];
let sharpModule: Promise<SharpFactory> | undefined;

/**
 * sharp, loaded when the first picture is made: libvips takes about 12 MB of memory, which a
 * server whose phones never ask for a picture does not need to spend.
 */
export function loadSharp(): Promise<SharpFactory> {
  sharpModule ??= import('sharp').then((m) => m.default);
  return sharpModule;
}

export async function decodeImage(input: Buffer | string, options: DecodeOptions = {}): Promise<Sharp> {
  const sharp = await loadSharp();
  return sharp(input, { ...options, limitInputPixels: MAX_PICTURE_PIXELS });
}
