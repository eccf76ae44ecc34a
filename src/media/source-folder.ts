/**
 * The owner's media folders: which files are there and whether they changed since last time.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface SourceFile {
  path: string;
  /** File name as found in the folder. */
  name: string;
  /** Changes whenever the file does (modification time and size). */
  version: string;
}

/** Regular files in `folder` whose extension is in `extensions` (lower case, with dot), in natural name order. */
export async function scanFolder(folder: string, extensions: ReadonlySet<string>): Promise<SourceFile[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return []; // no folder, no media
  }
  const wanted = names.filter((n) => !n.startsWith('.') && extensions.has(path.extname(n).toLowerCase()));
  wanted.sort((a, b) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }));
  const files: SourceFile[] = [];
  for (const name of wanted) {
    const full = path.join(folder, name);
    try {
      const s = await stat(full);
      if (s.isFile()) files.push({ path: full, name, version: `${s.mtimeMs}:${s.size}` });
    } catch {
      // removed between readdir and stat
    }
  }
  return files;
}
