/**
 * A stalled-request flood: requests that are never acknowledged, asking for the longest timeout
 * and netascii, from many sources. They fill every slot for a moment, hold no file in memory,
 * and free their slots on their own; then real clients (tftp-hpa, curl) get their files.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeRootAndOut, removeDir, runClient, startServer, waitFor, writePatternFile, type RunningServer } from './helpers/tftp-fixture.js';
import { RawClient } from './helpers/tftp-raw-client.js';

const SLOTS = 64;
const PER_CLIENT = 8;
/** Short for the test; the server's default is 30 s. */
const SILENCE_LIMIT_MS = 3000;
/** A text file with many line ends: netascii makes it larger than the source. */
const TEXT_BYTES = 4 * 1024 * 1024;

describe('TFTP under a stalled-request flood', () => {
  let dir: string;
  let out: string;
  let srv: RunningServer;
  const clients: RawClient[] = [];

  before(async () => {
    let root: string;
    ({ dir, root, out } = await makeRootAndOut());
    await writeFile(join(root, 'lines.txt'), Buffer.alloc(TEXT_BYTES, 'abc\n'));
    await writePatternFile(join(root, 'firmware.bin'), 200_000);
    srv = await startServer(root, { maxTransfers: SLOTS, maxPerClient: PER_CLIENT, silenceLimitMs: SILENCE_LIMIT_MS });
  });

  after(async () => {
    for (const client of clients) client.close();
    await srv.stop();
    await removeDir(dir);
  });

  it('declines timeout 255, holds no whole file per request, frees every slot, then serves real clients', async () => {
    const heapBefore = process.memoryUsage().arrayBuffers;
    // Eight source addresses with eight ports each: every slot, within the per-client cap.
    for (let host = 2; host < 2 + SLOTS / PER_CLIENT; host++) {
      for (let i = 0; i < PER_CLIENT; i++) clients.push(await RawClient.open(`127.0.0.${host}`));
    }
    for (const client of clients) await client.rrq(srv.port, 'lines.txt', 'netascii', { timeout: '255', tsize: '0' });
    const firsts = await Promise.all(clients.map((c) => c.next(10_000)));
    for (const reply of firsts) {
      assert.equal(reply?.packet.op, 'OACK');
      const options = reply.packet.op === 'OACK' ? Object.fromEntries(reply.packet.options) : {};
      assert.equal(options.timeout, undefined, 'timeout 255 is declined');
      assert.equal(Number(options.tsize), (TEXT_BYTES / 4) * 5, 'netascii size: every LF became CR LF');
    }
    assert.equal(srv.server.stats().active, SLOTS);
    // 64 × 5 MB of converted text would show here if each request held its file.
    const held = process.memoryUsage().arrayBuffers - heapBefore;
    assert.ok(held < 64 * 1024 * 1024, `memory held by ${SLOTS} stalled netascii requests: ${held} bytes`);

    const busy = await runClient('tftp', ['127.0.0.1', String(srv.port), '-m', 'binary', '-c', 'get', 'firmware.bin', 'busy.bin'], out);
    assert.match(busy.stdout + busy.stderr, /busy/i, 'every slot is taken during the flood');

    // No client ever answers: each transfer ends after the silence limit, whatever timeout it asked for.
    await waitFor(() => srv.server.stats().active === 0, SILENCE_LIMIT_MS + 20_000);

    const hpa = await runClient('tftp', ['127.0.0.1', String(srv.port), '-m', 'binary', '-c', 'get', 'firmware.bin', 'hpa.bin'], out);
    assert.equal(hpa.code, 0, hpa.stderr);
    const curl = await runClient('curl', ['-sS', '-o', 'curl.bin', `tftp://127.0.0.1:${srv.port}/firmware.bin`], out);
    assert.equal(curl.code, 0, curl.stderr);
    const expected = await readFile(join(srv.root, 'firmware.bin'));
    assert.deepEqual(await readFile(join(out, 'hpa.bin')), expected);
    assert.deepEqual(await readFile(join(out, 'curl.bin')), expected);
  });
});
