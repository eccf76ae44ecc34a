/**
 * Trust on first use for the files that carry a phone's passwords: the first address a phone's
 * own config file is served to holds that phone's lock until the owner releases it (web page,
 * `DELETE /api/ui/phones/:name/lock`). Kept in data/config-locks.json, so a restart does not
 * hand the lock to the next asker. Only `claim` takes a lock and nothing else moves one.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ConfigLock {
  /** The only client address the phone's config file is served to. */
  address: string;
  /** When the lock was taken (ISO 8601). */
  since: string;
}

export class ConfigLocks {
  private readonly locks = new Map<string, ConfigLock>();
  private saving: Promise<void> = Promise.resolve();

  /** `save` writes the file (the data folder's atomic, retried write); without it nothing is saved. */
  constructor(
    private readonly file: string | undefined,
    private readonly clock: () => Date = () => new Date(),
    private readonly save?: (file: string, text: string) => Promise<void>,
  ) {}

  static fileIn(dataDir: string): string {
    return path.join(dataDir, 'config-locks.json');
  }

  async load(): Promise<void> {
    if (!this.file) return;
    let saved: unknown;
    try {
      saved = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      return; // No file yet: no phone has fetched its config.
    }
    if (!saved || typeof saved !== 'object') return;
    for (const [name, lock] of Object.entries(saved as Record<string, Partial<ConfigLock>>)) {
      if (typeof lock?.address === 'string' && typeof lock.since === 'string') this.locks.set(name, { address: lock.address, since: lock.since });
    }
  }

  get(name: string): ConfigLock | undefined {
    return this.locks.get(name);
  }

  /** Gives the phone's lock to `address` when nobody holds it; the holder either way. */
  claim(name: string, address: string): ConfigLock {
    const held = this.locks.get(name);
    if (held) return held;
    const lock = { address, since: this.clock().toISOString() };
    this.locks.set(name, lock);
    this.persist();
    return lock;
  }

  /** Frees the phone's lock (it moved): its next config fetch takes it again. False when none was held. */
  release(name: string): boolean {
    if (!this.locks.delete(name)) return false;
    this.persist();
    return true;
  }

  /** Waits until every change is on disk. */
  async flush(): Promise<void> {
    await this.saving;
  }

  private persist(): void {
    const { file, save } = this;
    if (!file || !save) return;
    const text = JSON.stringify(Object.fromEntries(this.locks), null, 1);
    // Writes run one after another, each with the state of its moment; the last one wins. A failed
    // write is logged by the data folder and retried there; the locks hold in memory meanwhile.
    this.saving = this.saving.then(() => save(file, text));
  }
}
