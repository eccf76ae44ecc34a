/**
 * Reduces pixels to the few levels a panel shows. Pixels inside the dither mask (photos) get
 * Floyd–Steinberg error diffusion, so shades survive as patterns; everything else (text, lines,
 * flat colour) snaps to the nearest level and stays crisp. Error never crosses into unmasked pixels.
 */

/** Per channel: 8-bit value → level index 0..levels-1. Returns level indexes, interleaved like the input. */
export function quantize(
  data: Uint8Array,
  width: number,
  height: number,
  levels: readonly number[],
  ditherMask?: Uint8Array,
): Uint8Array {
  const channels = levels.length;
  const out = new Uint8Array(width * height * channels);
  if (!ditherMask) {
    for (let i = 0; i < out.length; i++) out[i] = nearest(data[i]!, levels[i % channels]!);
    return out;
  }
  const work = Float32Array.from(data);
  const masked = (x: number, y: number): boolean => x >= 0 && x < width && y < height && ditherMask[y * width + x] === 1;
  const spread = (x: number, y: number, c: number, amount: number): void => {
    if (masked(x, y)) work[(y * width + x) * channels + c]! += amount;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      for (let c = 0; c < channels; c++) {
        const i = p * channels + c;
        const n = levels[c]!;
        const value = Math.min(255, Math.max(0, work[i]!));
        const level = nearest(value, n);
        out[i] = level;
        if (ditherMask[p] !== 1) continue;
        const error = value - levelValue(level, n);
        spread(x + 1, y, c, (error * 7) / 16);
        spread(x - 1, y + 1, c, (error * 3) / 16);
        spread(x, y + 1, c, (error * 5) / 16);
        spread(x + 1, y + 1, c, error / 16);
      }
    }
  }
  return out;
}

/** Nearest level index of an 8-bit value on a scale of `levels` evenly spaced steps. */
export function nearest(value: number, levels: number): number {
  return Math.round((value * (levels - 1)) / 255);
}

/** The 8-bit value of a level index (0 → 0, levels-1 → 255), bit replication of the panel's bits. */
export function levelValue(level: number, levels: number): number {
  return Math.round((level * 255) / (levels - 1));
}

/** 0.299 R + 0.587 G + 0.114 B of interleaved RGB. */
export function luma(rgb: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    out[p] = Math.round(0.299 * rgb[p * 3]! + 0.587 * rgb[p * 3 + 1]! + 0.114 * rgb[p * 3 + 2]!);
  }
  return out;
}
