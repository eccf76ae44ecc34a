/** The HTTP kit (src/http/) is what features build on: it imports none of them; src/app.ts assembles them. */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

const HTTP_DIR = path.join(import.meta.dirname, '..', 'src', 'http');
const FEATURES = ['activity', 'calendar', 'cli', 'contacts', 'dav', 'idle', 'media', 'provisioning', 'push', 'sources', 'web'];

test('src/http imports no feature', async () => {
  const found: string[] = [];
  for (const file of (await readdir(HTTP_DIR)).filter((f) => f.endsWith('.ts'))) {
    const text = await readFile(path.join(HTTP_DIR, file), 'utf8');
    for (const [, target] of text.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms)) {
      const top = path.relative(path.join(HTTP_DIR, '..'), path.resolve(HTTP_DIR, target!)).split(path.sep)[0]!;
      if (FEATURES.includes(top) || target!.includes('/services/')) found.push(`${file} -> ${target}`);
    }
  }
  assert.deepEqual(found, []);
});
