/**
 * The one way a picture from outside (the owner's files, a URL, a push request) is opened: with a
 * limit on its decoded size, so a small file that claims 16000×16000 pixels is refused at once
 * instead of taking a gigabyte and seconds to decode.
 */
import sharp, { type Sharp, type SharpOptions } from 'sharp';

/** The largest decoded picture accepted (about a 24-megapixel photo). */
export const MAX_PICTURE_PIXELS = 25_000_000;

export type DecodeOptions = Omit<SharpOptions, 'limitInputPixels'>;

export function decodeImage(input: Buffer | string, options: DecodeOptions = {}): Sharp {
  return sharp(input, { ...options, limitInputPixels: MAX_PICTURE_PIXELS });
}
