/**
 * The data folder: atomic writes, stale temporary files, one server per folder, a full disk (a
 * 64 kB tmpfs) and a read-only mount. The mounts need root; without it those tests are skipped
 * with a message.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { TEMP_SUFFIX, writeFileAtomic } from '../src/data/atomic-write.js';
import { DataFolder } from '../src/data/data-folder.js';
import { LOCK_FILE } from '../src/data/instance-lock.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { waitFor } from './helpers/tftp-fixture.js';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ciscophone-data-'));
  temps.push(dir);
  return dir;
}
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Every file below `dir`, relative. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

function capturingLog() {
  const lines: Array<{ level: number; msg: string; reason?: string }> = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines, warnings: () => lines.filter((l) => l.level === 40) };
}

/** A tmpfs of `size` mounted on a fresh folder, or null (and the test skipped) when mounting is not permitted. */
function mountTmpfs(t: TestContext, size: string): string | null {
  const dir = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    t.skip(`cannot mount a tmpfs here (${String((err as Error).message).split('\n')[0]}): run as root to test a full disk and a read-only data folder`);
    return null;
  }
  t.after(() => {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      // already unmounted
    }
  });
  return dir;
}

describe('data folder', () => {
  it('writes atomically: concurrent writes of one file leave one whole version and no temporary file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sub', 'state.json');
    const versions = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, fill: 'x'.repeat(10_000 + i) }));
    await Promise.all(versions.map((v) => writeFileAtomic(file, v)));
    assert.ok(versions.includes(readFileSync(file, 'utf8')));
    assert.deepEqual(filesBelow(dir), ['sub/state.json']);
  });

  it('removes temporary files an interrupted write left, at start', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'media', 'backgrounds'), { recursive: true });
    writeFileSync(path.join(dir, 'activity.json'), '[]');
    writeFileSync(path.join(dir, `activity.json.123-abcdef${TEMP_SUFFIX}`), '[');
    writeFileSync(path.join(dir, 'media', 'backgrounds', `a-320x196x4.png.9-00${TEMP_SUFFIX}`), 'partial');
    writeFileSync(path.join(dir, 'activity.json.tmp'), 'older release');
    const { log, lines } = capturingLog();
    const data = new DataFolder({ dir, log });
    await data.open();
    assert.deepEqual(filesBelow(dir), ['activity.json', LOCK_FILE]);
    assert.ok(lines.some((l) => /removed 3 temporary file/.test(l.msg)));
    await data.close();
    assert.deepEqual(filesBelow(dir), ['activity.json'], 'the lock is released');
  });

  it('a second ciscophone on the same data folder refuses to start, with a clear message', async () => {
    const dir = tempDir();
    const yaml = `server: { dataDir: ./data, http: { host: 127.0.0.1, port: 0 }, tftp: { enabled: false }, provisioningHttp: { enabled: false } }\npbx: { host: 127.0.0.1 }\n`;
    writeFileSync(path.join(dir, 'ciscophone.yaml'), yaml);
    const first = await startServer({ config: parseConfig(yaml, path.join(dir, 'ciscophone.yaml')), log: createLogger('silent') });
    try {
      const entry = path.resolve('test/helpers/cli-entry.ts');
      const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry, 'serve', '--config', 'ciscophone.yaml'], {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += String(d)));
      child.stderr.on('data', (d) => (output += String(d)));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 1, output);
      assert.match(output, new RegExp(`data folder ${path.join(dir, 'data').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another ciscophone \\(process ${process.pid}\\)`));
      assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
    } finally {
      await first.stop();
    }
    // Once the first one has stopped, the folder is free again.
    const second = await startServer({ config: parseConfig(yaml, path.join(dir, 'ciscophone.yaml')), log: createLogger('silent') });
    await second.stop();
  });

  it('a full disk: the failed write is logged once with its reason, leaves no temporary file, keeps the old copy, and is retried', async (t) => {
    const dir = mountTmpfs(t, '64k');
    if (!dir) return;
    const { log, warnings, lines } = capturingLog();
    const data = new DataFolder({ dir, log, retryMs: 200 });
    await data.open();
    const file = path.join(dir, 'calendar', 'home.json');
    assert.equal(await data.write(file, 'old copy', { retry: true }), true);
    writeFileSync(path.join(dir, 'filler'), Buffer.alloc(48 * 1024));
    const big = 'n'.repeat(20 * 1024);
    assert.equal(await data.write(file, big, { retry: true }), false);
    assert.equal(await data.write(path.join(dir, 'activity.json'), big, { retry: true }), false);
    assert.equal(warnings().length, 1, JSON.stringify(warnings()));
    assert.match(warnings()[0]!.reason!, /^ENOSPC: no space left on device/);
    assert.equal(readFileSync(file, 'utf8'), 'old copy');
    assert.deepEqual(filesBelow(dir), ['calendar/home.json', LOCK_FILE, 'filler'].sort(), 'no partial temporary file');
    assert.equal(data.waiting, 2);

    rmSync(path.join(dir, 'filler'));
    await waitFor(() => data.waiting === 0, 15_000);
    assert.equal(readFileSync(file, 'utf8'), big);
    assert.ok(lines.some((l) => /takes writes again/.test(l.msg)));
    await data.close();
  });

  it('a read-only data folder: the server still starts, says why nothing is saved, and saves once the folder is writable', async (t) => {
    const dir = mountTmpfs(t, '1m');
    if (!dir) return;
    const yaml = `server: { dataDir: ${dir}, http: { host: 127.0.0.1, port: 0 }, tftp: { enabled: false }, provisioningHttp: { enabled: false } }\npbx: { host: 127.0.0.1 }\n`;
    writeFileSync(path.join(dir, 'activity.json'), JSON.stringify([{ name: 'SEP001122334455', ip: '10.0.0.9' }]));
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    const { log, warnings } = capturingLog();
    const server = await startServer({ config: parseConfig(yaml, path.join(tempDir(), 'ciscophone.yaml')), log });
    try {
      assert.equal(server.ctx.activity.get('SEP001122334455')?.ip, '10.0.0.9', 'what was saved is read');
      assert.equal(warnings().length, 1);
      assert.match(warnings()[0]!.reason!, /^EROFS: read-only file system/);
      server.ctx.activity.record({ via: 'tftp', ip: '10.0.0.10', path: 'SEP001122334455.cnf.xml', status: 'ok' });
      await server.ctx.activity.flush();
      assert.equal(server.ctx.data.waiting, 1, 'kept for a retry');
      assert.equal(warnings().length, 1, 'the same reason is not logged again');
      execFileSync('mount', ['-o', 'remount,rw', dir]);
    } finally {
      await server.stop();
    }
    const saved = JSON.parse(readFileSync(path.join(dir, 'activity.json'), 'utf8')) as Array<{ name: string; ip: string }>;
    assert.equal(saved.find((p) => p.name === 'SEP001122334455')?.ip, '10.0.0.10', 'saved when the server stopped, the folder writable again');
  });
});
