/**
 * CIP bitmaps of CiscoIPPhoneImage (Cisco developer notes 7.1(3)): depth 2, values 0..3 with 3 = black and 0 = white,
 * four pixels per byte with the leftmost pixel in the least significant bits, rows top to bottom
 * as one stream, the end padded with zero pixels, each byte as two hex digits.
 */
import { PictureError } from '../errors.js';
import { cipDataLength } from '../xml/limits.js';

/** Packs pixel values (0..3, one per pixel, row-major) into the `<Data>` hex string. */
export function packCip(values: Uint8Array, width: number, height: number): string {
  const pixels = width * height;
  const bytes = Buffer.alloc(Math.ceil(pixels / 4));
  for (let i = 0; i < pixels; i++) bytes[i >> 2]! |= (values[i]! & 3) << ((i & 3) * 2);
  return bytes.toString('hex').toUpperCase();
}

/** Reads `<Data>` back into one value (0..3) per pixel. */
export function unpackCip(data: string, width: number, height: number): Uint8Array {
  const expected = cipDataLength(width, height, 2);
  if (data.length !== expected || !/^[0-9A-Fa-f]*$/.test(data)) {
    throw new PictureError(`CIP data for ${width}x${height} needs ${expected} hex digits, got ${data.length}`);
  }
  const bytes = Buffer.from(data, 'hex');
  const values = new Uint8Array(width * height);
  for (let i = 0; i < values.length; i++) values[i] = (bytes[i >> 2]! >> ((i & 3) * 2)) & 3;
  return values;
}

/** What the 7940/7960 panel shows for each value: 0 white … 3 black. */
export const CIP_GREYS: readonly number[] = [255, 170, 85, 0];
