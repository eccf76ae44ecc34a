/**
 * WAV (RIFF/WAVE) reader (pure): PCM 8/16/24/32-bit integer, 32/64-bit float, plain or
 * WAVE_FORMAT_EXTENSIBLE, any rate and channel count. Chunks other than `fmt ` and `data`
 * (LIST, fact, bext, cue, …) are skipped. Samples come out as floats in [-1, 1], one array per channel.
 */
import { WavError } from '../errors.js';


export interface WavAudio {
  sampleRate: number;
  /** One array per channel, samples in [-1, 1]. */
  channels: Float32Array[];
}

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_EXTENSIBLE = 0xfffe;

interface Format {
  codec: 'pcm' | 'float';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
}

export function readWav(data: Uint8Array): WavAudio {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < 12 || tag(data, 0) !== 'RIFF' || tag(data, 8) !== 'WAVE') throw new WavError('not a RIFF/WAVE file');
  let format: Format | undefined;
  let body: Uint8Array | undefined;
  let offset = 12;
  while (offset + 8 <= data.length) {
    const id = tag(data, offset);
    const size = view.getUint32(offset + 4, true);
    const start = offset + 8;
    // A data chunk whose size runs past the end (a cut-off download, streaming writers) keeps what is there.
    const end = Math.min(start + size, data.length);
    if (id === 'fmt ') format = parseFormat(view, start, end - start);
    else if (id === 'data') body = data.subarray(start, end);
    if (format && body) break;
    offset = start + size + (size & 1); // RIFF chunks are padded to an even length
  }
  if (!format) throw new WavError('no fmt chunk');
  if (!body) throw new WavError('no data chunk');
  return { sampleRate: format.sampleRate, channels: decodeSamples(body, format) };
}

function tag(data: Uint8Array, at: number): string {
  return String.fromCharCode(data[at]!, data[at + 1]!, data[at + 2]!, data[at + 3]!);
}

function parseFormat(view: DataView, at: number, size: number): Format {
  if (size < 16) throw new WavError('fmt chunk too short');
  let formatTag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (formatTag === FORMAT_EXTENSIBLE) {
    // WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) SubFormat GUID whose first two bytes are the format tag.
    if (size < 40) throw new WavError('extensible fmt chunk too short');
    formatTag = view.getUint16(at + 24, true);
  }
  let codec: Format['codec'];
  if (formatTag === FORMAT_PCM && [8, 16, 24, 32].includes(bitsPerSample)) codec = 'pcm';
  else if (formatTag === FORMAT_FLOAT && (bitsPerSample === 32 || bitsPerSample === 64)) codec = 'float';
  else throw new WavError(`unsupported encoding (format ${formatTag}, ${bitsPerSample} bits)`);
  if (channels < 1 || channels > 32) throw new WavError(`unsupported channel count ${channels}`);
  if (sampleRate < 1000 || sampleRate > 768_000) throw new WavError(`unsupported sample rate ${sampleRate}`);
  if (blockAlign < channels * (bitsPerSample / 8)) throw new WavError('block size smaller than one frame');
  return { codec, channels, sampleRate, bitsPerSample, blockAlign };
}

function decodeSamples(body: Uint8Array, f: Format): Float32Array[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const frames = Math.floor(body.length / f.blockAlign);
  const bytes = f.bitsPerSample / 8;
  const read = sampleReader(view, f);
  const out: Float32Array[] = [];
  for (let c = 0; c < f.channels; c++) {
    const channel = new Float32Array(frames);
    for (let i = 0, at = c * bytes; i < frames; i++, at += f.blockAlign) channel[i] = read(at);
    out.push(channel);
  }
  return out;
}

function sampleReader(view: DataView, f: Format): (at: number) => number {
  if (f.codec === 'float') {
    return f.bitsPerSample === 32
      ? (at) => clamp(view.getFloat32(at, true))
      : (at) => clamp(view.getFloat64(at, true));
  }
  switch (f.bitsPerSample) {
    case 8: // 8-bit WAV is unsigned, centred on 128
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

function clamp(x: number): number {
  if (Number.isNaN(x)) return 0;
  return x > 1 ? 1 : x < -1 ? -1 : x;
}

/** Mixes all channels down to one (their average). */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const length = channels[0]?.length ?? 0;
  const mono = new Float32Array(length);
  const gain = 1 / channels.length;
  for (const channel of channels) for (let i = 0; i < length; i++) mono[i] = mono[i]! + channel[i]! * gain;
  return mono;
}
