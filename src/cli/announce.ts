/**
 * `ciscophone announce`: play a WAV file, a ring tone or spoken text on phones' speakers. The
 * command streams the sound itself (it is the RTP source the phones are told about) and returns
 * when the announcement has ended; Ctrl-C stops it and tells the phones.
 */
import { readFile, stat } from 'node:fs/promises';
import { sourceOf, ANNOUNCE_WAV_MAX_BYTES } from '../announce/routes.js';
import { createContext } from '../context.js';
import { AnnounceSourceError, SpeechUnavailableError, UsageError } from '../errors.js';
import { createLogger } from '../logger.js';
import type { Command } from './command.js';
import { printResults, str } from './push.js';

async function readSound(file: string): Promise<Buffer> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`--file: no file ${file}`);
  if (info.size > ANNOUNCE_WAV_MAX_BYTES) throw new UsageError(`--file: ${file} is larger than ${ANNOUNCE_WAV_MAX_BYTES} bytes`);
  return readFile(file);
}

export const announceCommand: Command = {
  name: 'announce',
  summary: "play a WAV file, a ring tone or spoken text on phones' speakers",
  usage: 'ciscophone announce --config FILE --phone <label|SEP…|all> [--phone …] (--file X.wav | --ringtone NAME | --say "text") [--volume 0-100]',
  options: {
    phone: { type: 'string', short: 'p', multiple: true },
    file: { type: 'string' },
    ringtone: { type: 'string' },
    say: { type: 'string' },
    volume: { type: 'string' },
  },
  async run(io) {
    const phones = (io.values.phone as string[] | undefined) ?? [];
    const volumeText = str(io.values.volume);
    const volume = volumeText === undefined ? undefined : Number(volumeText);
    const fileName = str(io.values.file);
    const wanted = sourceOf({ file: fileName, ringtone: str(io.values.ringtone), say: str(io.values.say) });
    const problem =
      phones.length === 0 ? '--phone is required (a label, SEP…, or all)'
      : 'problem' in wanted ? wanted.problem.replace(/\b(file|ringtone|say)\b/g, '--$1')
      : volume !== undefined && !(Number.isInteger(volume) && volume >= 0 && volume <= 100) ? '--volume: a whole number 0-100'
      : undefined;
    if (problem) {
      io.err(`${problem}\nusage: ${announceCommand.usage}`);
      return 2;
    }
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    let source = wanted as Exclude<typeof wanted, { problem: string }>;
    if (fileName !== undefined) {
      try {
        source = { file: await readSound(fileName) };
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        io.err(err.message);
        return 2;
      }
    }
    const ctx = createContext({ config: loaded.config, configFile: loaded.file, log: createLogger('silent') });
    // The address each phone's config lock holds, as the server recorded it.
    await ctx.configLocks.load();
    let started;
    try {
      started = await ctx.announcements.start({ phones, source, ...(volume !== undefined ? { volume } : {}) });
    } catch (err) {
      if (err instanceof AnnounceSourceError || err instanceof SpeechUnavailableError) {
        io.err(err.message);
        return err instanceof SpeechUnavailableError ? 1 : 2;
      }
      throw err;
    }
    printResults(io, started.results);
    const listening = started.results.filter((r) => r.ok).length;
    if (listening > 0) {
      io.out(`playing ${(started.durationMs / 1000).toFixed(1)} s to ${listening} phone(s)${started.cut ? ` (cut to announce.maxSeconds)` : ''}`);
      const stop = (): void => void ctx.announcements.stop(started.id);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await ctx.announcements.ended(started.id);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    return started.results.length > 0 && started.results.every((r) => r.ok) ? 0 : 1;
  },
};
