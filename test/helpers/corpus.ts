/**
 * Test helper: the real-world contact and calendar files in `../shared/corpus/real-world/` beside
 * the repository, when that folder is there. Tests use them in addition to their own fixtures and
 * skip (with a message) without them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS_DIR = path.resolve(ROOT, '../shared/corpus/real-world');

/** `skip` for node:test when the corpus is absent, else false. */
export const CORPUS_SKIP: string | false = existsSync(CORPUS_DIR) ? false : `no ${path.relative(ROOT, CORPUS_DIR)} beside the repository`;

/** The files of one corpus folder ('vcard' or 'ics'), sorted, as { name, bytes }. */
export function corpusFiles(folder: 'vcard' | 'ics'): { name: string; bytes: Buffer }[] {
  if (CORPUS_SKIP) return [];
  const dir = path.join(CORPUS_DIR, folder);
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, bytes: readFileSync(path.join(dir, name)) }));
}
