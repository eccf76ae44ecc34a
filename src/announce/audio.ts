/**
 * The sound of an announcement as 8 kHz µ-law (what RTPRx streams carry): a WAV file through
 * our resampler, a ring tone by name (its source WAV, or a `.raw` file in the TFTP root as it
 * is), or text spoken by `espeak-ng` in the phone's language. Cut to the longest announcement.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AppContext } from '../context.js';
import { AnnounceSourceError, SpeechUnavailableError, WavError } from '../errors.js';
import type { Language } from '../i18n/messages.js';
import { findRingtone } from '../media/play.js';
import { encodeMulawBuffer } from '../media/mulaw.js';
import { resample } from '../media/resample.js';
import { mixToMono, readWav } from '../media/wav.js';
import { SAMPLE_RATE } from './rtp.js';

/** Longest text `espeak-ng` is given (characters). */
export const SAY_TEXT_MAX = 1000;
/** How long `espeak-ng` may take for one text. */
export const SPEECH_TIMEOUT_MS = 30_000;
/** Most bytes read from `espeak-ng` (22,050 Hz 16-bit mono: about 6 minutes). */
const SPEECH_MAX_BYTES = 16 * 1024 * 1024;

export type AnnounceSource = { file: Buffer } | { ringtone: string } | { say: string };

export interface AnnounceAudio {
  /** 8 kHz µ-law samples. */
  mulaw: Buffer;
  /** The sound was longer than the limit and was cut. */
  cut: boolean;
}

/** A WAV file as 8 kHz µ-law, at most `maxSamples` long. Throws AnnounceSourceError. */
export function wavToMulaw(bytes: Uint8Array, maxSamples: number): AnnounceAudio {
  try {
    const wav = readWav(bytes);
    const mono = mixToMono(wav.channels);
    if (mono.length === 0) throw new WavError('contains no audio');
    const total = Math.floor((mono.length * SAMPLE_RATE) / wav.sampleRate);
    const pcm = resample(mono, wav.sampleRate, SAMPLE_RATE, { maxOutput: maxSamples });
    return { mulaw: encodeMulawBuffer(pcm), cut: total > maxSamples };
  } catch (err) {
    if (err instanceof WavError) throw new AnnounceSourceError(`WAV file: ${err.message}`);
    throw err;
  }
}

/** The sound of `source`; `language` is the voice for `say`. */
export async function announceAudio(ctx: AppContext, source: AnnounceSource, language: Language, maxSamples: number): Promise<AnnounceAudio> {
  if ('file' in source) return wavToMulaw(source.file, maxSamples);
  if ('say' in source) return wavToMulaw(await speak(source.say, language), maxSamples);
  const found = await findRingtone(ctx, source.ringtone);
  if ('problem' in found) throw new AnnounceSourceError(found.problem);
  if ('ring' in found) {
    // The source WAV plays whole (the phones' own ring tone is cut at 2 s); the .raw when it is gone.
    const wav = await readFile(found.ring.source).catch(() => undefined);
    return wav ? wavToMulaw(wav, maxSamples) : cutRaw(found.ring.raw, maxSamples);
  }
  return cutRaw(await readFile(found.staticRaw), maxSamples);
}

function cutRaw(raw: Buffer, maxSamples: number): AnnounceAudio {
  return { mulaw: raw.subarray(0, maxSamples), cut: raw.length > maxSamples };
}

/**
 * `espeak-ng -v <language> --stdout`, the text on its standard input (never on the command line,
 * so no text is taken for an option): a WAV file. Found on the PATH; SpeechUnavailableError when
 * it is not there.
 */
export function speak(text: string, language: Language): Promise<Buffer> {
  const words = text.trim();
  if (words === '') return Promise.reject(new AnnounceSourceError('the text to say is empty'));
  if (words.length > SAY_TEXT_MAX) return Promise.reject(new AnnounceSourceError(`the text to say is longer than ${SAY_TEXT_MAX} characters`));
  return new Promise((resolve, reject) => {
    const child = spawn('espeak-ng', ['-v', language, '--stdout'], { stdio: ['pipe', 'pipe', 'pipe'] });
    // Not spawn's own `timeout`: its timer outlives a child that never started (ENOENT).
    const timer = setTimeout(() => child.kill(), SPEECH_TIMEOUT_MS);
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > SPEECH_MAX_BYTES) child.kill();
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-400)));
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ENOENT') reject(new SpeechUnavailableError('espeak-ng is not installed (Debian package espeak-ng): text cannot be spoken'));
      else reject(new AnnounceSourceError(`espeak-ng: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && size > 0 && size <= SPEECH_MAX_BYTES) resolve(Buffer.concat(out));
      else if (signal) reject(new AnnounceSourceError(`espeak-ng stopped (${signal}): took longer than ${SPEECH_TIMEOUT_MS / 1000} s or spoke too long`));
      else reject(new AnnounceSourceError(`espeak-ng failed (exit ${code}): ${stderr.trim() || 'no output'}`));
    });
    child.stdin.on('error', () => {}); // a child that exits early closes its input; 'close' reports it
    child.stdin.end(words, 'utf8');
  });
}
