/**
 * One ciscophone per data folder: `ciscophone.pid` holds the process id of the server that uses
 * it. A second server finds the first one alive and refuses to start; a file left by a process
 * that is gone is taken over.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DataFolderInUseError } from '../errors.js';

export const LOCK_FILE = 'ciscophone.pid';

export interface InstanceLock {
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data folder. Throws DataFolderInUseError when a live process holds it; rejects with
 * the file system's error (EROFS, EACCES, ENOSPC) when the lock file cannot be written.
 */
export async function lockDataFolder(dir: string): Promise<InstanceLock> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  // A lock whose process is gone is removed and taken; a few tries in case another server starts at the same moment.
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      return { release: () => releaseIfOurs(file) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw err;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    // A pid file with our own pid is a leftover (a container restarts with the same pid).
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) throw new DataFolderInUseError(dir, holder);
    await unlink(file).catch(() => undefined);
  }
}

async function releaseIfOurs(file: string): Promise<void> {
  const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
  if (holder === process.pid) await unlink(file).catch(() => undefined);
}
