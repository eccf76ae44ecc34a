/**
 * Static files held in memory: served byte for byte to real clients (tftp-hpa, atftp), read from
 * disk once, read again when the file changes, least recently used out first, and the same bytes
 * from disk (in chunks) when the cache is off or the file is too large for it.
 */
import assert from 'node:assert/strict';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeRootAndOut, removeDir, runClient, startServer, writePatternFile } from './helpers/tftp-fixture.js';

describe('TFTP file cache', () => {
  let dir: string;
  let root: string;
  let out: string;

  before(async () => {
    ({ dir, root, out } = await makeRootAndOut());
    await writePatternFile(join(root, 'a.bin'), 600_000);
    await writePatternFile(join(root, 'b.bin'), 600_001);
    await writePatternFile(join(root, 'large.bin'), 2_500_123);
  });

  after(async () => removeDir(dir));

  const hpa = (port: number, name: string, local: string) =>
    runClient('tftp', ['127.0.0.1', String(port), '-m', 'binary', '-c', 'get', name, local], out);
  const atftp = (port: number, name: string, local: string) =>
    runClient('atftp', ['--get', '-r', name, '-l', local, '--option', 'blksize 1428', '--option', 'windowsize 8', '127.0.0.1', String(port)], out);

  async function assertSame(local: string, name: string): Promise<void> {
    assert.deepEqual(await readFile(join(out, local)), await readFile(join(root, name)));
  }

  it('reads a file from disk once for many fetches and serves the same bytes each time', async () => {
    const srv = await startServer(root);
    try {
      await hpa(srv.port, 'a.bin', 'a1');
      await atftp(srv.port, 'a.bin', 'a2');
      await hpa(srv.port, 'a.bin', 'a3');
      for (const local of ['a1', 'a2', 'a3']) await assertSame(local, 'a.bin');
      assert.deepEqual(srv.server.stats().cache, { files: 1, bytes: 600_000, hits: 2, misses: 1 });
    } finally {
      await srv.stop();
    }
  });

  it('serves the new contents of a file rewritten on disk', async () => {
    const srv = await startServer(root);
    const path = join(root, 'changing.bin');
    try {
      await writeFile(path, Buffer.alloc(5000, 0x41));
      await hpa(srv.port, 'changing.bin', 'c1');
      assert.deepEqual(await readFile(join(out, 'c1')), Buffer.alloc(5000, 0x41));
      // Same size, new contents; a later modification time as a copy onto the server would give.
      await writeFile(path, Buffer.alloc(5000, 0x42));
      const later = new Date(Date.now() + 5000);
      await utimes(path, later, later);
      await hpa(srv.port, 'changing.bin', 'c2');
      assert.deepEqual(await readFile(join(out, 'c2')), Buffer.alloc(5000, 0x42));
      assert.equal(srv.server.stats().cache.misses, 2);
    } finally {
      await srv.stop();
    }
  });

  it('drops the least recently used file when the cache is full', async () => {
    const srv = await startServer(root, { fileCacheBytes: 1_000_000 });
    try {
      await hpa(srv.port, 'a.bin', 'e1');
      await hpa(srv.port, 'b.bin', 'e2');
      await hpa(srv.port, 'a.bin', 'e3');
      await assertSame('e1', 'a.bin');
      await assertSame('e2', 'b.bin');
      await assertSame('e3', 'a.bin');
      const { cache } = srv.server.stats();
      assert.deepEqual(cache, { files: 1, bytes: 600_000, hits: 0, misses: 3 });
    } finally {
      await srv.stop();
    }
  });

  it('serves files from disk in chunks when the cache is off', async () => {
    const srv = await startServer(root, { fileCacheBytes: 0 });
    try {
      await hpa(srv.port, 'large.bin', 'd1');
      await atftp(srv.port, 'large.bin', 'd2');
      await assertSame('d1', 'large.bin');
      await assertSame('d2', 'large.bin');
      assert.deepEqual(srv.server.stats().cache, { files: 0, bytes: 0, hits: 0, misses: 0 });
    } finally {
      await srv.stop();
    }
  });
});
