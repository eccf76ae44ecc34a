/**
 * Converted media kept in the data folder so a restart does not redo them. An entry is named
 * `<group>-<variant><ext>`: the group is a hash of the source file and its version, the variant
 * says what was made of it. A sweep removes the groups of sources that changed or went away.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { DataFolder } from '../data/data-folder.js';

export class DiskCache {
  constructor(
    private readonly data: DataFolder,
    private readonly dir: string,
    private readonly ext: string,
  ) {}

  /** The group for one version of one source file (plus the converter's own version). */
  group(...parts: string[]): string {
    return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
  }

  async get(group: string, variant: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(group, variant));
    } catch {
      return null;
    }
  }

  /** Stores an entry; a failure (logged by the data folder) only costs a later re-conversion, so it is not retried. */
  async put(group: string, variant: string, data: Buffer): Promise<void> {
    await this.data.write(this.file(group, variant), data);
  }

  /** Deletes the entries of every group not in `keep`. */
  async sweep(keep: ReadonlySet<string>): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.endsWith(this.ext) && !keep.has(name.split('-')[0]!)) await unlink(path.join(this.dir, name)).catch(() => {});
    }
  }

  private file(group: string, variant: string): string {
    return path.join(this.dir, `${group}-${variant}${this.ext}`);
  }
}
