/**
 * Test WAV files built in memory: any rate, channel count and sample encoding, with optional
 * extra chunks before and after the audio.
 */

export type WavEncoding = 'u8' | 's16' | 's24' | 's32' | 'f32';

export interface WavSpec {
  rate: number;
  /** Samples in [-1, 1], one array per channel (all the same length). */
  channels: Float32Array[] | number[][];
  encoding?: WavEncoding;
  /** Write WAVE_FORMAT_EXTENSIBLE instead of the plain format tag. */
  extensible?: boolean;
  /** Chunks placed before `fmt `, between `fmt ` and `data`, and after `data`. */
  before?: Chunk[];
  between?: Chunk[];
  after?: Chunk[];
}

export interface Chunk {
  id: string;
  data: Buffer;
}

const BYTES: Record<WavEncoding, number> = { u8: 1, s16: 2, s24: 3, s32: 4, f32: 4 };

export function makeWav(spec: WavSpec): Buffer {
  const encoding = spec.encoding ?? 's16';
  const bytes = BYTES[encoding];
  const channels = spec.channels.length;
  const frames = spec.channels[0]!.length;
  const data = Buffer.alloc(frames * channels * bytes);
  let at = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const x = Math.max(-1, Math.min(1, spec.channels[c]![i]!));
      switch (encoding) {
        case 'u8': data.writeUInt8(Math.round(x * 127) + 128, at); break;
        case 's16': data.writeInt16LE(Math.round(x * 32767), at); break;
        case 's24': data.writeIntLE(Math.round(x * 8388607), at, 3); break;
        case 's32': data.writeInt32LE(Math.round(x * 2147483647), at); break;
        case 'f32': data.writeFloatLE(x, at); break;
      }
      at += bytes;
    }
  }
  const formatTag = encoding === 'f32' ? 3 : 1;
  const fmt = Buffer.alloc(spec.extensible ? 40 : 16);
  fmt.writeUInt16LE(spec.extensible ? 0xfffe : formatTag, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(spec.rate, 4);
  fmt.writeUInt32LE(spec.rate * channels * bytes, 8);
  fmt.writeUInt16LE(channels * bytes, 12);
  fmt.writeUInt16LE(bytes * 8, 14);
  if (spec.extensible) {
    fmt.writeUInt16LE(22, 16); // cbSize
    fmt.writeUInt16LE(bytes * 8, 18); // valid bits
    fmt.writeUInt32LE(channels === 2 ? 3 : 4, 20); // channel mask
    // SubFormat GUID 0000xxxx-0000-0010-8000-00aa00389b71
    fmt.writeUInt16LE(formatTag, 24);
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(fmt, 26);
  }
  const chunks = [...(spec.before ?? []), { id: 'fmt ', data: fmt }, ...(spec.between ?? []), { id: 'data', data }, ...(spec.after ?? [])];
  const body = Buffer.concat(chunks.map(chunkBytes));
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WAVE', 8, 'latin1');
  return Buffer.concat([header, body]);
}

function chunkBytes(chunk: Chunk): Buffer {
  const head = Buffer.alloc(8);
  head.write(chunk.id, 0, 'latin1');
  head.writeUInt32LE(chunk.data.length, 4);
  // odd-sized chunks carry one pad byte
  return Buffer.concat([head, chunk.data, Buffer.alloc(chunk.data.length & 1)]);
}

/** `seconds` of a sum of sines: [frequency Hz, amplitude, phase]. */
export function tone(rate: number, seconds: number, partials: [number, number, number?][]): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (const [f, a, p = 0] of partials) v += a * Math.sin((2 * Math.PI * f * i) / rate + p);
    out[i] = v;
  }
  return out;
}

/** Root-mean-square level. */
export function rms(s: ArrayLike<number>, from = 0, to = s.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += s[i]! * s[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}
