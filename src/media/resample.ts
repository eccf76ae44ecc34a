/**
 * Sample-rate conversion (pure) with a Kaiser-windowed sinc low-pass. The cut-off sits at 90 % of
 * the lower of the two Nyquist frequencies, so going down to 8 kHz removes everything above 3.6 kHz
 * before it can fold back as aliasing. The kernel is tabulated once and read with linear
 * interpolation, which keeps any ratio (44.1 kHz → 8 kHz, 22.05 kHz → 8 kHz, 6 kHz → 8 kHz) exact.
 */

/** Zero crossings of the sinc on each side of the centre. */
const ZERO_CROSSINGS = 24;
/** Table entries per zero crossing. */
const TABLE_RESOLUTION = 512;
/** Kaiser β: about 80 dB of stop-band attenuation. */
const KAISER_BETA = 8;
/** Pass band as a fraction of the lower Nyquist frequency. */
const ROLLOFF = 0.9;

const KERNEL = buildKernel();

function buildKernel(): Float64Array {
  const n = ZERO_CROSSINGS * TABLE_RESOLUTION;
  const table = new Float64Array(n + 2); // one spare entry so interpolation never reads past the end
  const norm = besselI0(KAISER_BETA);
  for (let i = 0; i <= n; i++) {
    const u = i / TABLE_RESOLUTION;
    const r = i / n;
    const sinc = i === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    table[i] = (sinc * besselI0(KAISER_BETA * Math.sqrt(1 - r * r))) / norm;
  }
  return table;
}

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50 && term > 1e-12 * sum; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

export interface ResampleOptions {
  /** Stop after this many output samples (the rest would be thrown away anyway). */
  maxOutput?: number;
}

/** Converts `input` from `fromRate` to `toRate` samples per second. */
export function resample(input: Float32Array, fromRate: number, toRate: number, options: ResampleOptions = {}): Float32Array {
  const step = fromRate / toRate; // input samples per output sample
  const total = Math.floor((input.length * toRate) / fromRate);
  const count = Math.min(total, options.maxOutput ?? total);
  const out = new Float32Array(count);
  // Cut-off in cycles per input sample; the sinc's zero crossings are 1 / (2·fc) input samples apart.
  const fc = (ROLLOFF * 0.5 * Math.min(fromRate, toRate)) / fromRate;
  const twoFc = 2 * fc;
  const halfWidth = ZERO_CROSSINGS / twoFc;
  const tableScale = twoFc * TABLE_RESOLUTION;
  const last = input.length - 1;
  for (let n = 0; n < count; n++) {
    const t = n * step;
    const from = Math.max(0, Math.ceil(t - halfWidth));
    const to = Math.min(last, Math.floor(t + halfWidth));
    let acc = 0;
    for (let k = from; k <= to; k++) {
      const pos = Math.abs(t - k) * tableScale;
      const i = pos | 0;
      const a = KERNEL[i]!;
      acc += input[k]! * (a + (pos - i) * (KERNEL[i + 1]! - a));
    }
    out[n] = acc * twoFc;
  }
  return out;
}
