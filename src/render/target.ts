import type { Display } from '../phones/models.js';

/**
 * What a picture is rendered for. `grey`: a PNG with at most 2^bits grey levels (79x1, 4 bits);
 * `colour`: an RGB PNG posterized to the panel's bits per channel (12 bits = 4-4-4, 16 bits = 5-6-5);
 * `cip`: a CiscoIPPhoneImage bitmap, 2 bits per pixel (7940/7960).
 */
export type RenderTarget =
  | { kind: 'grey'; width: number; height: number; bits: number }
  | { kind: 'colour'; width: number; height: number; channelBits: readonly [number, number, number] }
  | { kind: 'cip'; width: number; height: number };

/** The target for a model's services area (Table 3-2 of Cisco's developer notes 7.1(3)). */
export function targetFor(display: Display, png: boolean, cipPane: { width: number; height: number }): RenderTarget {
  if (!png) return { kind: 'cip', width: cipPane.width, height: cipPane.height };
  const { width, height, depth } = display;
  if (!display.color) return { kind: 'grey', width, height, bits: Math.min(depth, 8) };
  // Cisco developer notes (PNG images): reduce the colours to what the panel shows, or the phone dithers badly.
  const channelBits: [number, number, number] = depth === 16 ? [5, 6, 5] : depth === 12 ? [4, 4, 4] : [8, 8, 8];
  return { kind: 'colour', width, height, channelBits };
}

/** A short stable name of a target, for cache keys. */
export function targetKey(t: RenderTarget): string {
  const depth = t.kind === 'grey' ? String(t.bits) : t.kind === 'colour' ? t.channelBits.join('') : '2';
  return `${t.kind}:${t.width}x${t.height}:${depth}`;
}

/** Small panels (the 133×65 CIP pane) get compact type and aliased text. */
export function isSmall(t: RenderTarget): boolean {
  return t.width < 200;
}
