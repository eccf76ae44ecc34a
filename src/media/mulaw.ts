/**
 * G.711 µ-law (ITU-T G.711 §3, the "u-law" of the Cisco ring-tone format): 14-bit linear samples
 * compressed to 8 bits, stored inverted. Silence (linear 0) is 0xFF.
 */

const BIAS = 0x84;
const CLIP = 32635;

export const MULAW_SILENCE = 0xff;

/** Encodes one sample in [-1, 1]. */
export function encodeMulaw(sample: number): number {
  let pcm = Math.round(sample * 32767);
  const sign = pcm < 0 ? 0x80 : 0;
  if (pcm < 0) pcm = -pcm;
  if (pcm > CLIP) pcm = CLIP;
  pcm += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (pcm & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (pcm >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Decodes one µ-law byte to a sample in [-1, 1]. */
export function decodeMulaw(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return ((u & 0x80) !== 0 ? -magnitude : magnitude) / 32768;
}

export function encodeMulawBuffer(samples: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = encodeMulaw(samples[i]!);
  return out;
}
