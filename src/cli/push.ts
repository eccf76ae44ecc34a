/**
 * `ciscophone push`: show a text, a page or a picture on phones, make them dial or play a sound.
 *
 * The phones fetch pictures and long texts from the running server, which the CLI process is not.
 * So with `api.token` configured the CLI hands the push to the running server (`POST /api/push`);
 * when no server answers there it pushes directly what needs no server (a short text, a URL,
 * dial, play) and says what needed the server.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ResolvedConfig } from '../config/load.js';
import { createContext } from '../context.js';
import { UsageError } from '../errors.js';
import { createLogger } from '../logger.js';
import { ringtoneToPlay } from '../media/play.js';
import { pushActionProblem, type PushAction } from '../push/action.js';
import { IMAGE_MAX_BYTES } from '../push/image.js';
import { pushToPhones, type PushResult } from '../push/push.js';
import type { Command, CommandIO } from './command.js';

// Errors that mean "no server listens there", as opposed to a server that failed.
const NOT_LISTENING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNRESET']);

type ServerAnswer =
  | { kind: 'results'; results: PushResult[] }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'failed'; code: number; message: string };

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

async function readPicture(file: string): Promise<Buffer> {
  const info = await stat(file);
  if (info.size > IMAGE_MAX_BYTES) throw new UsageError(`--image: ${file} is larger than ${IMAGE_MAX_BYTES} bytes`);
  return readFile(file);
}

/** Hands the push to the running server's API. */
async function viaServer(base: string, token: string, phones: string[], action: PushAction, timeoutMs: number): Promise<ServerAnswer> {
  const { image, ...rest } = action;
  const body = JSON.stringify({ phone: phones, ...rest, ...(image ? { image: image.toString('base64') } : {}) });
  let response: Response;
  try {
    response = await fetch(`${base.replace(/\/+$/, '')}/api/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const code = ((err as { cause?: { code?: string } }).cause?.code ?? '') as string;
    if (NOT_LISTENING.has(code)) return { kind: 'unavailable', reason: `no server answers at ${base} (${code})` };
    return { kind: 'failed', code: 1, message: `the server at ${base} did not answer: ${(err as Error).message}` };
  }
  const answer = (await response.json().catch(() => ({}))) as { results?: PushResult[]; error?: string };
  if (response.ok && Array.isArray(answer.results)) return { kind: 'results', results: answer.results };
  if (response.status === 404) return { kind: 'unavailable', reason: `the server at ${base} has no push API (api.token not set there)` };
  if (response.status === 401) return { kind: 'failed', code: 1, message: `the server at ${base} refused api.token (is it running with this config?)` };
  return { kind: 'failed', code: response.status === 400 ? 2 : 1, message: `the server at ${base} answered ${response.status}: ${answer.error ?? 'no details'}` };
}

async function direct(config: ResolvedConfig, file: string | undefined, phones: string[], action: PushAction): Promise<PushResult[]> {
  const ctx = createContext({ config, configFile: file, log: createLogger('silent') });
  // The address each phone's config lock holds, as the server recorded it.
  await ctx.configLocks.load();
  return pushToPhones(ctx, phones, action);
}

export function printResults(io: CommandIO, results: PushResult[]): void {
  if (results.length === 0) io.out('no phones to push to');
  for (const r of results) {
    const who = r.label && r.name ? `${r.label} (${r.name})` : (r.name ?? r.target);
    io[r.ok ? 'out' : 'err'](`${who}${r.address ? ` at ${r.address}` : ''}: ${r.ok ? 'ok' : `${r.status}: ${r.message}`}`);
  }
}

export const pushCommand: Command = {
  name: 'push',
  summary: 'push a text, page, picture, number to dial or sound to phones',
  usage:
    'ciscophone push --config FILE --phone <label|SEP…|all> [--phone …] (--text "…" [--title T] | --url URL | --image FILE) [--dial N] [--play RINGTONE] [--server URL] [--direct]',
  options: {
    phone: { type: 'string', short: 'p', multiple: true },
    text: { type: 'string' },
    title: { type: 'string' },
    url: { type: 'string' },
    image: { type: 'string' },
    dial: { type: 'string' },
    play: { type: 'string' },
    server: { type: 'string' },
    direct: { type: 'boolean' },
  },
  async run(io) {
    const phones = (io.values.phone as string[] | undefined) ?? [];
    if (phones.length === 0) {
      io.err(`--phone is required (a label, SEP…, or all)\nusage: ${pushCommand.usage}`);
      return 2;
    }
    const imageFile = str(io.values.image);
    const action: PushAction = {};
    for (const key of ['text', 'title', 'url', 'dial', 'play'] as const) {
      const value = str(io.values[key]);
      if (value !== undefined) action[key] = value;
    }
    if (imageFile !== undefined) action.image = await readPicture(imageFile);
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    const { config, file } = loaded;
    if (action.play !== undefined) {
      // `--play Chime` / `Chime.wav` / the name the phone shows: the converted ring tone's .raw file.
      const ring = await ringtoneToPlay(createContext({ config, configFile: file, log: createLogger('silent'), ephemeral: true }), action.play);
      if ('problem' in ring) {
        io.err(ring.problem);
        return 2;
      }
      action.play = ring.fileName;
    }
    const problem = pushActionProblem(action);
    if (problem) {
      io.err(`${problem}\nusage: ${pushCommand.usage}`);
      return 2;
    }

    const token = config.api?.token;
    if (token && !io.values.direct) {
      const base = str(io.values.server) ?? config.server.publicUrl;
      const timeoutMs = ((config.push?.timeout ?? 10) + 60) * 1000;
      const answer = await viaServer(base, token, phones, action, timeoutMs);
      if (answer.kind === 'results') {
        printResults(io, answer.results);
        return answer.results.length > 0 && answer.results.every((r) => r.ok) ? 0 : 1;
      }
      if (answer.kind === 'failed') {
        io.err(answer.message);
        return answer.code;
      }
      io.err(`${answer.reason}; pushing directly`);
    }
    const results = await direct(config, file, phones, action);
    printResults(io, results);
    if (results.some((r) => r.status === 'needs-server')) {
      io.err(
        token
          ? 'pictures and long texts are served by the running server: start `ciscophone serve` (or pass --server URL)'
          : 'pictures and long texts are served by the running server: set api.token in the config, run `ciscophone serve`, and push again',
      );
    }
    return results.length > 0 && results.every((r) => r.ok) ? 0 : 1;
  },
};
