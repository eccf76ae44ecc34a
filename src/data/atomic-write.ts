/**
 * The one way a file in the data folder is written: to a temporary file with a name no other
 * write (in this process or another) uses, flushed to the disk, then renamed over the target.
 * A reader sees the old file or the new one, never a part; a failed write leaves no temporary file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Temporary files end like this; whatever is left of them at start is removed (see `removeStaleTemps`). */
export const TEMP_SUFFIX = '.ciscophone-tmp';

/** `<file>.<pid>-<random>.ciscophone-tmp`: unique per write, recognisable when a crash leaves one. */
function tempName(file: string): string {
  return `${file}.${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
}

/** `mode`: the new file's permissions (default owner-only: data files may hold secrets). */
export async function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = tempName(file);
  const handle = await open(tmp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
