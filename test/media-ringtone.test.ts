/**
 * WAV → Cisco ring tone conversion: WAV reading, resampling, µ-law and the length rules
 * (240–16,080 samples, multiples of 240, zero crossings at both ends).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeMulaw,
  encodeMulaw,
  fitRingtone,
  mixToMono,
  readWav,
  resample,
  RING_BLOCK,
  RING_MAX_SAMPLES,
  wavToRingtone,
} from '../src/media/index.js';
import { safeStem, shortDisplayName, uniqueFileNames } from '../src/media/names.js';
import { makeWav, rms, tone } from './helpers/media-wav.js';
import { WavError } from '../src/errors.js';

function decode(raw: Buffer): Float32Array {
  return Float32Array.from(raw, decodeMulaw);
}

function assertRingtoneShape(raw: Buffer): void {
  assert.ok(raw.length >= RING_BLOCK && raw.length <= RING_MAX_SAMPLES, `length ${raw.length}`);
  assert.equal(raw.length % RING_BLOCK, 0, `length ${raw.length} is not a multiple of 240`);
}

/** Largest difference between the decoded ring tone and the reference resampled signal, at the best start offset. */
function compareToReference(raw: Buffer, reference: Float32Array, audible: number): { offset: number; worst: number } {
  const decoded = decode(raw);
  const check = (offset: number) => {
    let worst = 0;
    for (let i = 16; i < audible - 40; i++) { // the first and last 2 ms are faded
      const expected = reference[offset + i]!;
      // µ-law keeps about 4 bits of mantissa: allow 1/16 of the value plus the smallest step.
      const diff = Math.abs(decoded[i]! - expected) - (Math.abs(expected) / 16 + 1 / 4096);
      worst = Math.max(worst, diff);
    }
    return worst;
  };
  let best = { offset: -1, worst: Infinity };
  for (let offset = 0; offset < RING_BLOCK; offset++) {
    const worst = check(offset);
    if (worst < best.worst) best = { offset, worst };
  }
  return best;
}

describe('µ-law (G.711)', () => {
  it('encodes the reference points and round-trips every code', () => {
    assert.equal(encodeMulaw(0), 0xff);
    assert.equal(encodeMulaw(1), 0x80);
    assert.equal(encodeMulaw(-1), 0x00);
    for (let code = 0; code < 256; code++) {
      const back = encodeMulaw(decodeMulaw(code));
      assert.equal(back, code === 0x7f ? 0xff : code, `code ${code}`); // 0x7F is "negative zero"
    }
  });

  it('keeps the error within the G.711 step size', () => {
    for (let x = -1; x <= 1; x += 0.0037) {
      const err = Math.abs(decodeMulaw(encodeMulaw(x)) - x);
      assert.ok(err <= Math.abs(x) / 16 + 1 / 4096, `x=${x} err=${err}`);
    }
  });
});

describe('WAV reading', () => {
  const left = tone(8000, 0.05, [[440, 0.5]]);
  const right = tone(8000, 0.05, [[880, 0.25]]);

  for (const encoding of ['u8', 's16', 's24', 's32', 'f32'] as const) {
    it(`reads ${encoding} stereo`, () => {
      const audio = readWav(makeWav({ rate: 8000, channels: [left, right], encoding }));
      assert.equal(audio.sampleRate, 8000);
      assert.equal(audio.channels.length, 2);
      const tolerance = encoding === 'u8' ? 1 / 100 : 1 / 30000;
      for (let i = 0; i < left.length; i++) {
        assert.ok(Math.abs(audio.channels[0]![i]! - left[i]!) < tolerance);
        assert.ok(Math.abs(audio.channels[1]![i]! - right[i]!) < tolerance);
      }
    });
  }

  it('reads WAVE_FORMAT_EXTENSIBLE like the plain format', () => {
    const plain = readWav(makeWav({ rate: 44100, channels: [left, right], encoding: 's24' }));
    const extensible = readWav(makeWav({ rate: 44100, channels: [left, right], encoding: 's24', extensible: true }));
    assert.deepEqual(extensible, plain);
  });

  it('skips LIST, bext, fact and odd-sized chunks around the audio', () => {
    const plain = makeWav({ rate: 22050, channels: [left] });
    const busy = makeWav({
      rate: 22050,
      channels: [left],
      before: [{ id: 'bext', data: Buffer.alloc(602, 0x41) }, { id: 'junk', data: Buffer.alloc(27) }],
      between: [{ id: 'fact', data: Buffer.from([1, 2, 3, 4]) }, { id: 'LIST', data: Buffer.from('INFOINAM\x05\x00\x00\x00Bell\x00\x00', 'latin1') }],
      after: [{ id: 'LIST', data: Buffer.from('INFOICMT\x03\x00\x00\x00ok\x00\x00', 'latin1') }],
    });
    assert.deepEqual(readWav(busy), readWav(plain));
    assert.deepEqual(wavToRingtone(busy).raw, wavToRingtone(plain).raw);
  });

  it('mixes channels to mono by averaging them', () => {
    const mono = mixToMono([Float32Array.of(1, 0.5, -1), Float32Array.of(0, 0.5, 1)]);
    assert.deepEqual([...mono], [0.5, 0.5, 0]);
  });
});

describe('corrupt WAV files', () => {
  const good = makeWav({ rate: 16000, channels: [tone(16000, 0.3, [[500, 0.5, 1]])] });
  const cases: Record<string, Buffer> = {
    empty: Buffer.alloc(0),
    'random bytes': Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 7919) % 256)),
    'header only': good.subarray(0, 12),
    'no data chunk': (() => {
      const b = Buffer.from(good.subarray(0, 36));
      b.writeUInt32LE(28, 4);
      return b;
    })(),
    'ADPCM (unsupported)': (() => {
      const b = Buffer.from(good);
      b.writeUInt16LE(2, 20);
      return b;
    })(),
    'zero channels': (() => {
      const b = Buffer.from(good);
      b.writeUInt16LE(0, 22);
      return b;
    })(),
    'silly sample rate': (() => {
      const b = Buffer.from(good);
      b.writeUInt32LE(3, 24);
      return b;
    })(),
    'no audio': makeWav({ rate: 8000, channels: [[]] }),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    it(`refuses ${name} with a WavError`, () => {
      assert.throws(() => wavToRingtone(bytes), WavError);
    });
  }

  it('keeps what is there when the data chunk is cut short', () => {
    const { raw } = wavToRingtone(good.subarray(0, good.length - 3001));
    assertRingtoneShape(raw);
  });

  it('never throws anything but WavError on truncated or damaged files', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 400; n++) {
      const bytes = Buffer.from(good.subarray(0, 8 + Math.floor(random() * (good.length - 8))));
      for (let k = 0; k < 4; k++) bytes[Math.floor(random() * Math.min(bytes.length, 80))] = Math.floor(random() * 256);
      try {
        assertRingtoneShape(wavToRingtone(bytes).raw);
      } catch (err) {
        assert.ok(err instanceof WavError, `unexpected ${String(err)}`);
      }
    }
  });
});

describe('resampling', () => {
  it('removes content above 4 kHz instead of folding it back (44.1 kHz → 8 kHz)', () => {
    const high = tone(44100, 0.5, [[6000, 0.8]]); // would alias to 2 kHz
    const out = resample(high, 44100, 8000);
    assert.ok(rms(out, 200, out.length - 200) < 0.8 * 0.005, `alias level ${rms(out, 200, out.length - 200)}`);
  });

  it('passes the telephone band unchanged', () => {
    for (const [rate, f] of [[44100, 440], [48000, 3000], [11025, 1000], [6000, 700]] as const) {
      const out = resample(tone(rate, 0.5, [[f, 0.5]]), rate, 8000);
      const expected = tone(8000, 0.5, [[f, 0.5]]);
      for (let i = 300; i < out.length - 300; i++) assert.ok(Math.abs(out[i]! - expected[i]!) < 0.01, `${rate} Hz, ${f} Hz tone, sample ${i}`);
    }
  });
});

describe('ring tone conversion', () => {
  it('converts a 16-bit 8 kHz mono WAV within µ-law tolerance of the source', () => {
    const source = tone(8000, 1, [[440, 0.6, 1.1], [1320, 0.2]]);
    const { raw, cut } = wavToRingtone(makeWav({ rate: 8000, channels: [source] }));
    assert.equal(cut, false);
    assertRingtoneShape(raw);
    assert.equal(raw.length, 8160); // 8000 samples padded to 34 × 240
    const reference = resample(source, 8000, 8000);
    const { offset, worst } = compareToReference(raw, reference, 7900);
    assert.ok(worst <= 0.005, `worst difference ${worst} at offset ${offset}`);
    assert.ok(raw.subarray(8000).every((b) => b === 0xff), 'padding is µ-law silence');
  });

  it('converts a 24-bit stereo 44.1 kHz WAV: mixed to mono, resampled, µ-law', () => {
    // The 1 kHz partial is in antiphase between the channels, so the mono mix holds only 440 Hz.
    const left = tone(44100, 1.5, [[440, 0.5, 0.7], [1000, 0.3]]);
    const right = tone(44100, 1.5, [[440, 0.5, 0.7], [1000, -0.3]]);
    const wav = makeWav({ rate: 44100, channels: [left, right], encoding: 's24' });
    const { raw } = wavToRingtone(wav);
    assertRingtoneShape(raw);
    assert.equal(raw.length, 12000);
    const audio = readWav(wav);
    const reference = resample(mixToMono(audio.channels), 44100, 8000);
    const { worst } = compareToReference(raw, reference, 11800);
    assert.ok(worst <= 0.005, `worst difference ${worst}`);
    // No 1 kHz left: correlate with both quadratures.
    const decoded = decode(raw);
    let c = 0;
    let s = 0;
    for (let i = 0; i < 11000; i++) {
      c += decoded[i]! * Math.cos((2 * Math.PI * 1000 * i) / 8000);
      s += decoded[i]! * Math.sin((2 * Math.PI * 1000 * i) / 8000);
    }
    assert.ok(Math.hypot(c, s) / 11000 < 0.005, 'antiphase partial cancelled');
  });

  it('starts and ends at a zero crossing', () => {
    const { raw } = wavToRingtone(makeWav({ rate: 16000, channels: [tone(16000, 0.77, [[523, 0.7, 1.3]])] }));
    const decoded = decode(raw);
    assert.equal(raw[0], 0xff, `first sample ${decoded[0]}`);
    assert.ok(Math.abs(decoded[1]!) < 0.03, `second sample ${decoded[1]}`);
    let last = decoded.length - 1;
    while (last > 0 && raw[last] === 0xff) last--;
    assert.ok(Math.abs(decoded[last]!) < 0.01, `last sound sample ${decoded[last]}`);
  });

  it('cuts a 30-second WAV to 16,080 samples with a fade-out', () => {
    const wav = makeWav({ rate: 16000, channels: [tone(16000, 30, [[440, 0.8, 0.4]])] });
    const { raw, cut, sourceSeconds } = wavToRingtone(wav);
    assert.equal(cut, true);
    assert.equal(sourceSeconds, 30);
    assert.equal(raw.length, RING_MAX_SAMPLES);
    const decoded = decode(raw);
    const full = rms(decoded, 4000, 8000);
    assert.ok(Math.abs(full - 0.8 / Math.SQRT2) < 0.02, `level before the fade ${full}`);
    let end = decoded.length;
    while (end > 0 && raw[end - 1] === 0xff) end--;
    assert.ok(end > RING_MAX_SAMPLES - 2 * RING_BLOCK, 'cut near the limit');
    // Level falls steadily over the last 50 ms and reaches silence.
    const quarters = [0, 1, 2, 3].map((q) => rms(decoded, end - 400 + q * 100, end - 300 + q * 100));
    for (let q = 1; q < 4; q++) assert.ok(quarters[q]! < quarters[q - 1]!, `fade quarters ${quarters.join(', ')}`);
    assert.ok(quarters[0]! < full && quarters[3]! < 0.1 * full);
    assert.ok(Math.abs(decoded[end - 1]!) < 0.01);
  });

  it('pads a very short sound to one block of 240 samples', () => {
    const { raw } = wavToRingtone(makeWav({ rate: 8000, channels: [tone(8000, 0.01, [[1000, 0.5]])] }));
    assert.equal(raw.length, RING_BLOCK);
  });

  it('fades in when the sound never crosses zero at the start', () => {
    const dc = new Float32Array(4000).fill(0.4);
    const { samples } = fitRingtone(dc);
    assert.equal(samples[0], 0);
    assert.ok(Math.abs(samples[samples.length - 1]!) < 1e-6);
  });
});

describe('ring tone names', () => {
  it('shortens display names to 25 characters at a word boundary', () => {
    assert.equal(shortDisplayName('Chime'), 'Chime');
    const long = shortDisplayName('The quick brown fox jumps over the lazy dog');
    assert.ok(long.length <= 25, long);
    assert.equal(long, 'The quick brown fox..');
    assert.equal(shortDisplayName('Supercalifragilisticexpialidocious').length, 25);
    assert.equal(shortDisplayName('  Küche   Glocke '), 'Küche Glocke');
  });

  it('makes safe, unique file names of at most 25 characters', () => {
    const names = uniqueFileNames(['Küche', 'kuche', 'A very long ring tone name indeed', 'A very long ring tone name too', '../etc', '日本', 'Türklingel sehr lang und stereo'], '.raw', 25);
    assert.deepEqual(names.slice(0, 2), ['Kuche.raw', 'kuche-2.raw']);
    assert.equal(names[6], 'Turklingel_sehr_lang.raw');
    for (const n of names) assert.match(n, /^[A-Za-z0-9_-]{0,20}[A-Za-z0-9]\.raw$/);
    assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length);
    assert.equal(safeStem('../etc'), 'etc');
  });
});
