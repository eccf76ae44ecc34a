/**
 * CIP bitmaps (CiscoIPPhoneImage, GraphicMenu, IconMenu icons, Status): hex Data, four 2-bit pixels
 * per byte, leftmost pixel in the least-significant bits, rows top to bottom; 3 is black, 0 white.
 * Depth 1: eight pixels per byte, same order (1 is black).
 */

/** Pixel values (0..3, or 0..1 for depth 1) of a width×height image; missing data reads as white. */
export function decodeCip(hex, width, height, depth = 2) {
  const perByte = depth === 1 ? 8 : 4;
  const mask = depth === 1 ? 1 : 3;
  const pixels = new Uint8Array(width * height);
  const clean = String(hex).replace(/[^0-9a-fA-F]/g, '');
  for (let i = 0; i < pixels.length; i++) {
    const byteIndex = Math.floor(i / perByte);
    if (byteIndex * 2 + 2 > clean.length) break;
    const byte = parseInt(clean.slice(byteIndex * 2, byteIndex * 2 + 2), 16);
    pixels[i] = (byte >> ((i % perByte) * depth)) & mask;
  }
  return pixels;
}

/** RGBA bytes for the pixels with a palette of four CSS-like [r, g, b] colours (index = value; 0 white … 3 black). */
export function cipToRgba(pixels, palette, depth = 2) {
  const out = new Uint8ClampedArray(pixels.length * 4);
  for (let i = 0; i < pixels.length; i++) {
    const value = depth === 1 ? pixels[i] * 3 : pixels[i];
    const [r, g, b] = palette[value];
    out.set([r, g, b, 255], i * 4);
  }
  return out;
}
