/**
 * WAV → Cisco ring-tone `.raw` (pure). The phones play headerless 8 kHz 8-bit µ-law, 240 to
 * 16,080 samples in multiples of 240, starting and ending at a zero crossing
 * (Cisco XSI developer guide; usecallmanager.nz ring-tones; same rules for `Play:` files).
 */
import { encodeMulawBuffer, MULAW_SILENCE } from './mulaw.js';
import { resample } from './resample.js';
import { mixToMono, readWav } from './wav.js';
import { WavError } from '../errors.js';

export const RING_RATE = 8000;
export const RING_BLOCK = 240;
export const RING_MAX_SAMPLES = 16_080;

/** How far to look for a zero crossing at either end (30 ms). */
const CROSSING_SEARCH = 240;
/** Fade applied when a long file is cut (50 ms). */
const CUT_FADE = 400;
/** Fade guarding an end with no crossing near (4 ms). */
const END_FADE = 32;
/** Fade that takes the sample nearest a crossing the rest of the way to exactly zero (2 ms). */
const EDGE_FADE = 16;
/** Below this a sample counts as silence: the smallest step µ-law resolves. */
const ZERO = 1 / 8192;

export interface RingtoneAudio {
  /** The `.raw` bytes. */
  raw: Buffer;
  /** Length of the source in seconds. */
  sourceSeconds: number;
  /** The source was longer than a ring tone may be and was cut with a fade-out. */
  cut: boolean;
}

/** Converts a WAV file to a ring tone. Throws WavError for files that cannot be read. */
export function wavToRingtone(wav: Uint8Array): RingtoneAudio {
  const audio = readWav(wav);
  const mono = mixToMono(audio.channels);
  if (mono.length === 0) throw new WavError('contains no audio');
  // Only the first ring-tone's worth (plus room to find a crossing) is ever needed.
  const pcm = resample(mono, audio.sampleRate, RING_RATE, { maxOutput: RING_MAX_SAMPLES + 2 * CROSSING_SEARCH });
  const total = Math.floor((mono.length * RING_RATE) / audio.sampleRate);
  const { samples, cut } = fitRingtone(pcm, total > pcm.length);
  return { raw: padToBlock(encodeMulawBuffer(samples)), sourceSeconds: mono.length / audio.sampleRate, cut };
}

/**
 * Trims 8 kHz samples to ring-tone length: starts at the first zero crossing, ends at a zero
 * crossing (with a fade-out when the sound had to be cut short). `more` says the source goes on
 * beyond `pcm`.
 */
export function fitRingtone(pcm: Float32Array, more = false): { samples: Float32Array; cut: boolean } {
  const start = firstCrossing(pcm, 0, Math.min(pcm.length, CROSSING_SEARCH));
  const samples = pcm.slice(start ?? 0);
  fadeIn(samples, start === undefined ? END_FADE : EDGE_FADE);
  const cut = more || samples.length > RING_MAX_SAMPLES;
  const limit = Math.min(samples.length, RING_MAX_SAMPLES);
  const end = lastCrossing(samples, limit, Math.max(1, limit - (cut ? 2 * CROSSING_SEARCH : CROSSING_SEARCH)));
  const body = samples.subarray(0, end ?? limit);
  fadeOut(body, cut ? CUT_FADE : end === undefined ? END_FADE : EDGE_FADE);
  return { samples: body, cut };
}

/** Index of the sample nearest zero at the first sign change (or silent sample) in [from, to). */
function firstCrossing(s: Float32Array, from: number, to: number): number | undefined {
  for (let i = from; i < to; i++) {
    if (Math.abs(s[i]!) < ZERO) return i;
    if (i + 1 < s.length && Math.sign(s[i]!) !== Math.sign(s[i + 1]!)) return Math.abs(s[i]!) <= Math.abs(s[i + 1]!) ? i : i + 1;
  }
  return undefined;
}

/** End (exclusive) just after the sample nearest zero at the last sign change in [from, to). */
function lastCrossing(s: Float32Array, to: number, from: number): number | undefined {
  for (let i = to - 1; i >= from; i--) {
    if (Math.abs(s[i]!) < ZERO) return i + 1;
    if (Math.sign(s[i - 1]!) !== Math.sign(s[i]!)) return Math.abs(s[i]!) <= Math.abs(s[i - 1]!) ? i + 1 : i;
  }
  return undefined;
}

/** Raised-cosine fade over the last `length` samples, reaching exactly 0 at the final one. */
function fadeOut(s: Float32Array, length: number): void {
  const n = Math.min(length, s.length);
  for (let j = 0; j < n; j++) {
    const i = s.length - n + j;
    s[i] = s[i]! * 0.5 * (1 + Math.cos((Math.PI * (j + 1)) / n));
  }
}

/** Raised-cosine fade from exactly 0 over the first `length` samples. */
function fadeIn(s: Float32Array, length: number): void {
  const n = Math.min(length, s.length);
  for (let i = 0; i < n; i++) s[i] = s[i]! * 0.5 * (1 - Math.cos((Math.PI * i) / n));
}

/** Pads with µ-law silence to a whole number of 240-sample blocks (at least one). */
function padToBlock(raw: Buffer): Buffer {
  const length = Math.max(RING_BLOCK, Math.ceil(raw.length / RING_BLOCK) * RING_BLOCK);
  if (length === raw.length) return raw;
  const out = Buffer.alloc(length, MULAW_SILENCE);
  raw.copy(out);
  return out;
}
