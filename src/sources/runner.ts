/**
 * The background life of one directory or calendar source: a refresh that runs once at a time
 * (callers who ask while it runs share it), the schedule of the next one, the back-off after
 * failures, and the status the web page and the CLI show. The stores keep only their reading,
 * parsing and indexing; they hand the runner one `refresh` function.
 */
import type { Logger } from '../logger.js';
import { unreadStatus, type SourceStatus } from './status.js';
import { DavError } from '../errors.js';

/** First retry after a failure; each further failure in a row doubles it. */
export const RETRY_FIRST_SECONDS = 30;

/**
 * Seconds until the next refresh. The back-off policy of every source:
 * - after a success: the source's interval;
 * - after the n-th failure in a row: 30 s × 2^(n−1) (30 s, 1 min, 2 min, …), but never later than
 *   the interval, so a short outage is bridged quickly and a long one costs no more requests than
 *   a healthy source;
 * - after an authentication failure (HTTP 401): the interval, since retrying cannot fix a wrong
 *   password.
 */
export function nextRefreshSeconds(intervalSeconds: number, failures: number, authFailed: boolean): number {
  if (failures === 0 || authFailed) return intervalSeconds;
  return Math.min(intervalSeconds, RETRY_FIRST_SECONDS * 2 ** (failures - 1));
}

/** Whether an error is the server refusing our credentials (by HTTP status, never by message). */
export function isAuthFailure(err: unknown): boolean {
  return err instanceof DavError && err.status === 401;
}

/** A status line for a failed refresh: what went wrong. */
export function failureReason(err: unknown): string {
  if (isAuthFailure(err)) return 'authentication failed (HTTP 401): check username and password';
  if (err instanceof DavError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'file not found';
  return e?.message ?? String(err);
}

export interface SourceRunnerOptions {
  name: string;
  type: string;
  /** Seconds between refreshes of a healthy source. */
  intervalSeconds: number;
  /**
   * What the source holds ("calendar"), when its status line should say what is shown while it
   * fails ("…; showing the calendar as of <last sync>" or "…; no calendar data yet").
   */
  holds?: string;
  log: Logger;
  /** One refresh: reads the source and serves what it read. Throws on failure (the last good data stays). */
  refresh(): Promise<void>;
  /** When the data now served was last read successfully (also from an earlier run, via the disk cache). */
  lastSync(): string | undefined;
  /** Items currently served from this source. */
  count(): number;
  /** One line per item of the data now served that was skipped or read only in part (the store logs them). */
  unread(): readonly string[];
}

/** Runs one source: single-flight refresh, schedule, back-off and status. */
export class SourceRunner {
  private failures = 0;
  private authFailed = false;
  private lastError: string | undefined;
  private refreshed = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly options: SourceRunnerOptions) {}

  get name(): string {
    return this.options.name;
  }

  /**
   * Starts the schedule: a source not refreshed yet is refreshed at once in the background; one
   * that was (the caller awaited a first refresh) next after its interval.
   */
  start(): void {
    this.stopped = false;
    if (this.running) return;
    if (this.refreshed || this.failures > 0) this.schedule(nextRefreshSeconds(this.options.intervalSeconds, this.failures, this.authFailed));
    else void this.refresh();
  }

  /** Stops the schedule and waits for a refresh under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Refreshes now (joining one under way) and resolves when done; failures end up in status(). */
  refresh(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Whether the last refresh failed (the data served is older than it should be). */
  get failing(): boolean {
    return this.lastError !== undefined;
  }

  status(): SourceStatus {
    const lastSync = this.options.lastSync();
    const unread = this.options.unread();
    return {
      name: this.options.name,
      type: this.options.type,
      count: this.options.count(),
      state: this.lastError ? 'error' : !this.refreshed && !lastSync ? 'pending' : unread.length ? 'warning' : 'ok',
      ...unreadStatus(unread),
      ...(lastSync ? { lastSync } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private async run(): Promise<void> {
    clearTimeout(this.timer);
    const log = this.options.log.child({ source: this.options.name });
    try {
      await this.options.refresh();
      this.refreshed = true;
      this.failures = 0;
      this.authFailed = false;
      this.lastError = undefined;
    } catch (err) {
      this.failures++;
      this.authFailed = isAuthFailure(err);
      const { holds } = this.options;
      const lastSync = this.options.lastSync();
      const shown = holds === undefined ? '' : lastSync ? `; showing the ${holds} as of ${lastSync}` : `; no ${holds} data yet`;
      this.lastError = `${failureReason(err)}${shown}`;
      log.warn({ reason: this.lastError }, 'refresh failed, serving the last good copy');
    } finally {
      this.schedule(nextRefreshSeconds(this.options.intervalSeconds, this.failures, this.authFailed));
    }
  }

  private schedule(seconds: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), seconds * 1000);
    this.timer.unref();
  }
}
