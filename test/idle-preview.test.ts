import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { momentOf } from '../src/cli/idle.js';
import { runCli } from './helpers/cli.js';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../assets/demo/ciscophone.yaml');


describe('ciscophone idle-preview', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'idle-preview-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the picture of a model and of a configured phone', async () => {
    for (const [args, size] of [
      [['--model', '7941'], [298, 144]],
      [['--model', '7975'], [298, 168]],
      [['--model', '7940', '--scale', '3'], [399, 195]],
      [['--phone', 'Kitchen'], [298, 168]],
    ] as const) {
      const out = path.join(dir, 'idle.png');
      const r = await runCli(['idle-preview', '--config', DEMO, ...args, '--out', out, '--at', '2025-06-03T09:42']);
      assert.equal(r.code, 0, r.err);
      const meta = await sharp(readFileSync(out)).metadata();
      assert.deepEqual([meta.width, meta.height], size, args.join(' '));
    }
  });

  it('reads --at without an offset in the time zone of the picture', () => {
    assert.equal(momentOf('2025-06-03T09:42', 'Europe/Berlin')?.toISOString(), '2025-06-03T07:42:00.000Z');
    assert.equal(momentOf('2025-12-03 09:42:30', 'America/New_York')?.toISOString(), '2025-12-03T14:42:30.000Z');
    assert.equal(momentOf('2025-06-03', 'Europe/Berlin')?.toISOString(), '2025-06-02T22:00:00.000Z');
    assert.equal(momentOf('2025-06-03T09:42Z', 'Europe/Berlin')?.toISOString(), '2025-06-03T09:42:00.000Z');
    assert.equal(momentOf('2025-06-03T09:42+02:00', 'UTC')?.toISOString(), '2025-06-03T07:42:00.000Z');
    for (const bad of ['garbage', '2025-13-03T09:42', '2025-06-03T24:00', '09:42', 'June 3']) assert.equal(momentOf(bad, 'UTC'), undefined, bad);
  });

  it('draws the same picture as the server at that moment', async () => {
    const a = path.join(dir, 'a.png');
    const b = path.join(dir, 'b.png');
    assert.equal((await runCli(['idle-preview', '--config', DEMO, '--phone', 'Office', '--at', '2025-06-03T09:42', '--out', a])).code, 0);
    assert.equal((await runCli(['idle-preview', '--config', DEMO, '--phone', 'Office', '--at', '2025-06-03T07:42:00Z', '--out', b])).code, 0);
    assert.ok(readFileSync(a).equals(readFileSync(b)), 'the wall clock of Europe/Berlin and the same instant in UTC');
  });

  it('refuses bad options with a message and exit code 2', async () => {
    const out = path.join(dir, 'bad.png');
    for (const [args, message] of [
      [['--model', '7999'], /unknown model 7999/],
      [['--model', '7941', '--lang', 'fr'], /--lang must be en or de/],
      [['--model', '7940', '--scale', 'abc'], /--scale must be a whole number from 1 to 4/],
      [['--model', '7940', '--scale', '0'], /--scale/],
      [['--model', '7941', '--at', 'soon'], /--at soon is not a date and time/],
      [['--model', '7941', '--at', '2025-02-31T25:00'], /is not a date and time/],
    ] as const) {
      const r = await runCli(['idle-preview', '--config', DEMO, ...args, '--out', out]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message);
    }
    const missing = await runCli(['idle-preview', '--config', DEMO, '--phone', 'Nobody', '--out', out]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no phone Nobody/);
  });
});
