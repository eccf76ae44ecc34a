/**
 * The data folder (`server.dataDir`): the instance lock, stale temporary files removed at start,
 * and every write through `writeFileAtomic`. A write that fails (full disk, read-only folder) is
 * logged once with its reason, kept in memory and retried until the folder takes it again.
 */
import type { Logger } from '../logger.js';
import { writeFileAtomic } from './atomic-write.js';
import { lockDataFolder, type InstanceLock } from './instance-lock.js';
import { removeStaleTemps } from './stale-temps.js';

/** How often failed writes are tried again. */
export const WRITE_RETRY_MS = 30_000;

export interface WriteOptions {
  /**
   * Keep the data and try again later when the write fails (state such as the activity log and
   * the last good copy of a source). Off for caches that are simply redone when missing.
   */
  retry?: boolean;
}

export interface DataFolderOptions {
  dir: string;
  log: Logger;
  retryMs?: number;
}

export class DataFolder {
  readonly dir: string;
  private readonly log: Logger;
  private readonly retryMs: number;
  /** Latest data of each file whose write failed, waiting for the next try. */
  private readonly pending = new Map<string, string | Buffer>();
  /** The reason of the current failure (null while writes succeed), so it is logged once. */
  private failure: string | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private lock: InstanceLock | undefined;

  constructor(options: DataFolderOptions) {
    this.dir = options.dir;
    this.log = options.log;
    this.retryMs = options.retryMs ?? WRITE_RETRY_MS;
  }

  /**
   * Takes the folder for this process and removes what interrupted writes left. Throws
   * DataFolderInUseError when another ciscophone uses it; a folder that cannot be written is
   * logged and the server runs on (nothing is saved until it can be).
   */
  async open(): Promise<void> {
    try {
      this.lock = await lockDataFolder(this.dir);
    } catch (err) {
      if (!isFileSystemError(err)) throw err;
      this.noteFailure(err as NodeJS.ErrnoException, this.dir);
      return;
    }
    const removed = await removeStaleTemps(this.dir);
    if (removed.length > 0) this.log.info({ removed }, `removed ${removed.length} temporary file(s) an interrupted write left in the data folder`);
  }

  /** Writes `file` atomically; never rejects (a failure is logged once and, with `retry`, tried again). */
  async write(file: string, data: string | Buffer, options: WriteOptions = {}): Promise<boolean> {
    try {
      await writeFileAtomic(file, data);
      this.pending.delete(file);
      this.noteSuccess();
      return true;
    } catch (err) {
      this.noteFailure(err as NodeJS.ErrnoException, file);
      if (options.retry) {
        this.pending.set(file, data);
        this.scheduleRetry();
      }
      return false;
    }
  }

  /** Files waiting for a retry. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Tries the waiting writes once more, stops retrying and releases the folder. */
  async close(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.retryNow();
    if (this.pending.size > 0) this.log.warn({ files: [...this.pending.keys()] }, 'stopping with data that could not be saved');
    await this.lock?.release();
    this.lock = undefined;
  }

  private async retryNow(): Promise<void> {
    for (const [file, data] of [...this.pending]) {
      if (!(await this.write(file, data, { retry: true }))) return;
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.retryNow();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private noteFailure(err: NodeJS.ErrnoException, file: string): void {
    const reason = err.code ? `${err.code}: ${err.message.replace(/^\w+: /, '').split(',')[0]}` : err.message;
    if (this.failure === reason) return;
    this.failure = reason;
    this.log.warn(
      { dir: this.dir, file, reason },
      `cannot write to the data folder ${this.dir} (${reason}); the data stays in memory and is saved when the folder takes it again (tried every ${Math.round(this.retryMs / 1000)} s)`,
    );
  }

  private noteSuccess(): void {
    if (this.failure === null) return;
    this.failure = null;
    this.log.info({ dir: this.dir }, 'the data folder takes writes again');
  }
}

function isFileSystemError(err: unknown): boolean {
  return typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).syscall !== undefined;
}
