/**
 * Ring-tone conversion time for a 2-second and a 60-second WAV (44.1 kHz stereo 16-bit, the
 * usual export format), against a same-run baseline: only reading and decoding the same WAV.
 * Also the time to render one background for 320x196x4 and its thumbnail.
 *
 *   node --import tsx bench/media.ts [--out /tmp/team/results-media.md]
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { mixToMono, parseDesktopDir, readWav, renderBackground, thumbnailSize, wavToRingtone } from '../src/media/index.js';
import { makeWav, tone } from '../test/helpers/media-wav.js';

function measure(fn: () => unknown, minMs = 1500): { median: number; runs: number } {
  const times: number[] = [];
  const until = performance.now() + minMs;
  fn(); // warm-up
  while (performance.now() < until || times.length < 5) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, runs: times.length };
}

async function measureAsync(fn: () => Promise<unknown>, runs = 30): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const rows: string[] = [];
for (const seconds of [2, 60]) {
  const wav = makeWav({ rate: 44100, channels: [tone(44100, seconds, [[440, 0.5, 1]]), tone(44100, seconds, [[660, 0.3]])] });
  const baseline = measure(() => mixToMono(readWav(wav).channels));
  const convert = measure(() => wavToRingtone(wav));
  rows.push(
    `| ${seconds} s, 44.1 kHz stereo 16-bit (${(wav.length / 1e6).toFixed(1)} MB) | ${baseline.median.toFixed(2)} ms | ${convert.median.toFixed(2)} ms | ${(convert.median - baseline.median).toFixed(2)} ms | ${convert.runs} |`,
  );
}

const picture = fileURLToPath(new URL('../assets/backgrounds/Evening.png', import.meta.url));
const spec = parseDesktopDir('320x196x4')!;
const full = await measureAsync(() => renderBackground(picture, spec, spec));
const thumb = await measureAsync(() => renderBackground(picture, spec, thumbnailSize(spec)));

const report = `## Media (ring tones, backgrounds)

Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, nproc ${os.availableParallelism()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Command: \`node --import tsx bench/media.ts\`. Medians over repeated runs in one process.

Ring-tone conversion (\`wavToRingtone\`: decode, mix to mono, windowed-sinc resample to 8 kHz,
zero-crossing trim / fade, µ-law, pad to 240). Baseline: reading and decoding the same WAV to
mono floats only (\`readWav\` + \`mixToMono\`), which the conversion includes.

| WAV | baseline: read + decode | full conversion | conversion beyond decoding | runs |
|---|---|---|---|---|
${rows.join('\n')}

Only the first 2.07 s (16,560 output samples) are resampled, since a ring tone holds at most
16,080 samples, so the cost beyond decoding does not grow with the length of the file.
Conversions happen once per version of a file (cached in memory and in the data folder).

Background rendering with sharp (Evening.png 640×400 → \`Desktops/320x196x4\`, grey, 16 levels,
ordered dither, PNG): full size ${full.toFixed(1)} ms, thumbnail 80×49 ${thumb.toFixed(1)} ms (median of 30; cached after the first request).
`;

const outIndex = process.argv.indexOf('--out');
if (outIndex > 0 && process.argv[outIndex + 1]) writeFileSync(process.argv[outIndex + 1]!, report);
process.stdout.write(report);
