import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';

export type { Logger };

const SECRET_KEYS = ['password', 'authPassword', 'sshPassword', 'phonePassword', 'token', 'authorization', 'Password'];

/**
 * The process logger, secrets redacted wherever they appear in a logged object: JSON lines (for
 * journald, files and log collectors), or readable coloured lines when a person watches a terminal.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const paths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k.toLowerCase()}`]);
  const out = destination ?? (process.stdout.isTTY ? prettyStream() : batchedStdout());
  return pino({ level, redact: { paths, censor: '***' } }, out);
}

/** Log bytes gathered before they are written to stdout at once (one write per ~150 request lines). */
export const LOG_BATCH_BYTES = 32 * 1024;
/** Longest a log line waits before it is written. */
export const LOG_BATCH_MS = 200;

/** What each batching logger of this process still holds, written at exit (one listener for all). */
const atExitWrites = new Set<() => void>();

function atExit(write: () => void): void {
  if (atExitWrites.size === 0) process.once('exit', () => atExitWrites.forEach((w) => w()));
  atExitWrites.add(write);
}

/**
 * stdout written in batches (one line per phone request would otherwise be one system call each):
 * at LOG_BATCH_BYTES, or LOG_BATCH_MS after the first line of a batch, and what is left when the
 * process exits. The lines are gathered here and handed to pino's destination as one string: its
 * own buffer measures the bytes it holds at every write, which costs more the larger it is.
 */
function batchedStdout(): pino.DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false });
  let lines: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (lines.length === 0) return;
    stream.write(lines.join(''));
    lines = [];
    size = 0;
  };
  // pino's destination writes what it holds at exit; the lines gathered here follow it.
  atExit(() => {
    flush();
    try {
      stream.flushSync();
    } catch {
      // stdout is closed already: nothing more can be written.
    }
  });
  return {
    write(line: string) {
      lines.push(line);
      size += line.length;
      if (size >= LOG_BATCH_BYTES) flush();
      else if (!timer) {
        timer = setTimeout(flush, LOG_BATCH_MS);
        timer.unref();
      }
    },
  };
}

/** Query parameters whose values are never logged. */
const SECRET_PARAMS = 'password|pwd|pass|token|secret';
const SECRET_PARAM = new RegExp(`^(?:${SECRET_PARAMS})$`, 'i');

/** Longest URL a log line repeats; a hostile 10 kB query string is cut, not copied. */
const MAX_LOGGED_URL = 512;

/** A request URL fit for a log line: password-like query values replaced by ***, cut to 512 characters. */
export function maskUrl(url: string): string {
  const masked = maskQuery(url);
  return masked.length > MAX_LOGGED_URL ? `${masked.slice(0, MAX_LOGGED_URL)}…` : masked;
}

/** A URL without this has no password-like parameter name, even percent-encoded (most phone URLs). */
const MAYBE_SECRET = new RegExp(`(?:${SECRET_PARAMS})=|%`, 'i');

function maskQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !MAYBE_SECRET.test(url)) return url;
  // A phone appends its own query to a URL that has one with '?' or '&' (authenticationURL).
  const params = url
    .slice(q + 1)
    .split(/(&|\?(?=[^&?=]*=))/)
    .map((pair, i) => {
      if (i % 2 === 1) return pair;
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_PARAM.test(decodeURIComponentSafe(key)) ? `${key}=***` : pair;
    });
  return `${url.slice(0, q)}?${params.join('')}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Readable lines for a terminal; pino-pretty is loaded only then (a service's JSON logs don't need it). */
function prettyStream(): pino.DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as (options: PrettyOptions) => pino.DestinationStream;
  return pretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId' });
}
