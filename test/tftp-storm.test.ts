/**
 * A small boot storm: phones fetching their SEP file (generated) and then the same firmware file
 * (from the root) all at once, in 512-byte lock-step as phones do, with real clients (tftp-hpa,
 * atftp, curl). Every file must arrive byte for byte, and the firmware is read from disk once.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bufferFile, type VirtualFileProvider } from '../src/tftp/index.js';
import { makeRootAndOut, removeDir, runClient, startServer, writePatternFile, type RunningServer } from './helpers/tftp-fixture.js';

const PHONES = 12;
const FIRMWARE = 'SIP41.9-4-2SR3-1S.loads';
const FIRMWARE_BYTES = 1_500_017;

const sepName = (i: number): string => `SEP0011AA0000${i.toString(16).toUpperCase().padStart(2, '0')}.cnf.xml`;
const sepBody = (i: number): string => `<device><deviceProtocol>SIP</deviceProtocol><phone>${i}</phone>${'x'.repeat(700 + 97 * i)}</device>\n`;

describe('TFTP boot storm', () => {
  let dir: string;
  let out: string;
  let firmware: Buffer;
  let srv: RunningServer;

  before(async () => {
    let root: string;
    ({ dir, root, out } = await makeRootAndOut());
    await writePatternFile(join(root, FIRMWARE), FIRMWARE_BYTES);
    firmware = await readFile(join(root, FIRMWARE));
    const provider: VirtualFileProvider = {
      resolve: (name) => {
        const i = Array.from({ length: PHONES }, (_, n) => n).find((n) => sepName(n) === name);
        return i === undefined ? null : bufferFile(sepBody(i));
      },
    };
    // All clients share 127.0.0.1 here, where phones have one address each.
    srv = await startServer(root, { providers: [provider], maxPerClient: 2 * PHONES });
  });

  after(async () => {
    await srv.stop();
    await removeDir(dir);
  });

  /** One phone with one of the three clients, no options (512-byte lock-step). */
  function fetch(i: number, remote: string, local: string) {
    const port = String(srv.port);
    switch (i % 3) {
      case 0:
        return runClient('tftp', ['127.0.0.1', port, '-m', 'binary', '-c', 'get', remote, local], out, 180_000);
      case 1:
        return runClient('atftp', ['--get', '-r', remote, '-l', local, '127.0.0.1', port], out, 180_000);
      default:
        return runClient('curl', ['-sS', '--tftp-no-options', '-o', local, `tftp://127.0.0.1:${port}/${remote}`], out, 180_000);
    }
  }

  it(`serves ${PHONES} phones booting at once, every byte exact, the firmware read once`, async () => {
    const runs = await Promise.all(
      Array.from({ length: PHONES }, async (_, i) => {
        const sep = await fetch(i, sepName(i), `sep-${i}`);
        const fw = await fetch(i, FIRMWARE, `fw-${i}`);
        return { sep, fw };
      }),
    );
    for (const [i, { sep, fw }] of runs.entries()) {
      assert.equal(sep.code, 0, `phone ${i} SEP: ${sep.stderr}`);
      assert.equal(fw.code, 0, `phone ${i} firmware: ${fw.stderr}`);
      assert.equal(await readFile(join(out, `sep-${i}`), 'utf8'), sepBody(i), `phone ${i} SEP file`);
      assert.ok((await readFile(join(out, `fw-${i}`))).equals(firmware), `phone ${i} firmware`);
    }
    const stats = srv.server.stats();
    assert.equal(stats.served, 2 * PHONES);
    assert.equal(stats.errors, 0);
    assert.equal(stats.bytesSent, PHONES * FIRMWARE_BYTES + runs.reduce((sum, _, i) => sum + Buffer.byteLength(sepBody(i)), 0));
    assert.deepEqual(stats.cache, { files: 1, bytes: FIRMWARE_BYTES, hits: PHONES - 1, misses: 1 });
  });
});
