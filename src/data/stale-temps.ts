/** Removes the temporary files an interrupted write left in the data folder (run at start, under the instance lock). */
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_SUFFIX } from './atomic-write.js';

/** Folders below the data folder that are searched (the caches are two levels deep at most). */
const MAX_DEPTH = 3;
/** Names of earlier releases' temporary files (`<file>.tmp`, `<file>.<pid>.tmp`). */
const OLD_TEMP = /\.tmp$/;

/** The paths removed. A missing or unreadable folder removes nothing. */
export async function removeStaleTemps(dir: string, depth = 0): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && depth < MAX_DEPTH) removed.push(...(await removeStaleTemps(full, depth + 1)));
    else if (entry.isFile() && (entry.name.endsWith(TEMP_SUFFIX) || OLD_TEMP.test(entry.name))) {
      if (await unlink(full).then(() => true, () => false)) removed.push(full);
    }
  }
  return removed;
}
