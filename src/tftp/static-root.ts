/**
 * Lookup of a normalised request name under the static root.
 *
 * Each path segment is matched exactly first, then case-insensitively (phones
 * ask for `RINGLIST.XML` and `ringlist.xml` alike). The real path of the result
 * must stay inside the root, so no symlink leads out of it.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

export type StaticLookup =
  | { status: 'found'; path: string; size: number }
  | { status: 'missing' }
  | { status: 'denied' };

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The entry of `dir` equal to `name` ignoring case (first in sorted order), or null. */
async function findIgnoringCase(dir: string, name: string): Promise<string | null> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return null;
  }
  const wanted = name.toLowerCase();
  return entries.sort().find((entry) => entry.toLowerCase() === wanted) ?? null;
}

export function isInside(root: string, path: string): boolean {
  const base = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(base);
}

/**
 * Resolves `name` (already normalised: relative, `/`-separated, no `..`) under `root`.
 */
export async function resolveStatic(root: string, name: string): Promise<StaticLookup> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return { status: 'missing' };
  }
  let current = realRoot;
  for (const segment of name.split('/')) {
    const exact = join(current, segment);
    if (await exists(exact)) {
      current = exact;
      continue;
    }
    const match = await findIgnoringCase(current, segment);
    if (match === null) return { status: 'missing' };
    current = join(current, match);
  }
  let real: string;
  try {
    real = await realpath(current);
  } catch (err) {
    return errorCode(err) === 'EACCES' ? { status: 'denied' } : { status: 'missing' };
  }
  if (!isInside(realRoot, real)) return { status: 'denied' };
  try {
    const info = await stat(real);
    return info.isFile() ? { status: 'found', path: real, size: info.size } : { status: 'missing' };
  } catch (err) {
    return errorCode(err) === 'EACCES' ? { status: 'denied' } : { status: 'missing' };
  }
}
