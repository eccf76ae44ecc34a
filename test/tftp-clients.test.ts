/**
 * The TFTP server against real clients: tftp-hpa, atftp and curl.
 * Every file fetched is compared byte for byte (by hash for the big one).
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bufferFile, type VirtualFileProvider } from '../src/tftp/index.js';
import { makeTempDir, removeDir, runClient, sha256, startServer, writePatternFile, type RunningServer } from './helpers/tftp-fixture.js';

const ROLLOVER_SIZE = 34_000_000; // > 65535 × 512 = 33,553,920: block numbers wrap at 512-byte blocks
const VIRTUAL_CONFIG = '<device><deviceProtocol>SIP</deviceProtocol></device>\n';

describe('TFTP with real clients', () => {
  let dir: string;
  let out: string;
  let srv: RunningServer;
  const expected = new Map<string, Buffer>();

  before(async () => {
    dir = await makeTempDir();
    const root = join(dir, 'root');
    out = join(dir, 'out');
    await mkdir(join(root, 'Desktops', '320x196x4'), { recursive: true });
    await mkdir(out);
    const files: Record<string, Buffer> = {
      'empty.bin': Buffer.alloc(0),
      'exact512.bin': Buffer.alloc(512, 0x5a),
      'ringlist.xml': Buffer.from('<CiscoIPPhoneRingList>\n  <Ring><DisplayName>Old</DisplayName></Ring>\n</CiscoIPPhoneRingList>\n'),
      'Desktops/320x196x4/List.xml': Buffer.from('<CiscoIPPhoneImageList/>\n'),
    };
    for (const [name, data] of Object.entries(files)) {
      await writeFile(join(root, name), data);
      expected.set(name, data);
    }
    // Lines ending in LF, CR LF and a bare CR, past several 64 kB conversion chunks (and a pair split across blocks).
    const text = Buffer.from(Array.from({ length: 12_000 }, (_, i) => `line ${i}${['\n', '\r\n', '\r'][i % 3]}`).join(''));
    await writeFile(join(root, 'lines.txt'), text);
    expected.set('lines.txt', text);
    await writePatternFile(join(root, 'medium.bin'), 3 * 1024 * 1024 + 77);
    expected.set('medium.bin', await readFile(join(root, 'medium.bin')));
    await writePatternFile(join(root, 'rollover.bin'), ROLLOVER_SIZE);
    const provider: VirtualFileProvider = {
      resolve: (name) => (name === 'SEP001122334455.cnf.xml' ? bufferFile(VIRTUAL_CONFIG) : null),
    };
    srv = await startServer(root, { providers: [provider] });
  });

  after(async () => {
    await srv.stop();
    await removeDir(dir);
  });

  async function fetched(local: string): Promise<Buffer> {
    return readFile(join(out, local));
  }

  const hpa = (remote: string, local: string, mode = 'binary') =>
    runClient('tftp', ['127.0.0.1', String(srv.port), '-m', mode, '-c', 'get', remote, local], out);

  for (const name of ['empty.bin', 'exact512.bin', 'ringlist.xml', 'medium.bin']) {
    it(`tftp-hpa fetches ${name}`, async () => {
      const local = `hpa-${name}`;
      await hpa(name, local);
      assert.deepEqual(await fetched(local), expected.get(name));
    });

    it(`curl fetches ${name} with blksize 1428`, async () => {
      const local = `curl-${name}`;
      const run = await runClient('curl', ['-sS', '--tftp-blksize', '1428', '-o', local, `tftp://127.0.0.1:${srv.port}/${name}`], out);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(await fetched(local), expected.get(name));
    });

    it(`atftp fetches ${name} with blksize 1428 and windowsize 8`, async () => {
      const local = `atftp-${name}`;
      const run = await runClient(
        'atftp',
        ['--get', '-r', name, '-l', local, '--option', 'blksize 1428', '--option', 'windowsize 8', '127.0.0.1', String(srv.port)],
        out,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(await fetched(local), expected.get(name));
    });
  }

  it('tftp-hpa fetches a 34,000,000-byte file (block numbers roll over to 0)', async () => {
    const run = await hpa('rollover.bin', 'rollover.bin');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(sha256(await fetched('rollover.bin')), sha256(await readFile(join(srv.root, 'rollover.bin'))));
  });

  it('resolves names case-insensitively, with a leading slash and backslashes', async () => {
    await hpa('RINGLIST.XML', 'upper.xml');
    assert.deepEqual(await fetched('upper.xml'), expected.get('ringlist.xml'));
    await hpa('/RingList.xml', 'slash.xml');
    assert.deepEqual(await fetched('slash.xml'), expected.get('ringlist.xml'));
    const run = await runClient('curl', ['-sS', '-o', 'sub.xml', `tftp://127.0.0.1:${srv.port}/desktops/320X196X4/list.xml`], out);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await fetched('sub.xml'), expected.get('Desktops/320x196x4/List.xml'));
    await hpa('Desktops\\320x196x4\\List.xml', 'backslash.xml');
    assert.deepEqual(await fetched('backslash.xml'), expected.get('Desktops/320x196x4/List.xml'));
  });

  it('serves a file from a virtual provider', async () => {
    await hpa('SEP001122334455.cnf.xml', 'virtual.xml');
    assert.equal((await fetched('virtual.xml')).toString(), VIRTUAL_CONFIG);
    const run = await runClient('atftp', ['--get', '-r', 'SEP001122334455.cnf.xml', '-l', 'virtual2.xml', '--option', 'tsize 0', '127.0.0.1', String(srv.port)], out);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await fetched('virtual2.xml')).toString(), VIRTUAL_CONFIG);
  });

  it('converts netascii and tftp-hpa restores the original bytes', async () => {
    await hpa('ringlist.xml', 'ascii.xml', 'netascii');
    assert.deepEqual(await fetched('ascii.xml'), expected.get('ringlist.xml'));
  });

  it('converts a many-block text file to netascii block by block, and tftp-hpa restores it exactly', async () => {
    const run = await hpa('lines.txt', 'ascii-lines.txt', 'netascii');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await fetched('ascii-lines.txt'), expected.get('lines.txt'));
  });

  it('serves over IPv6 (::1)', async () => {
    const v6 = await startServer(srv.root, { host: '::1' });
    try {
      const run = await runClient('curl', ['-sS', '-o', 'v6.xml', `tftp://[::1]:${v6.port}/ringlist.xml`], out);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(await fetched('v6.xml'), expected.get('ringlist.xml'));
    } finally {
      await v6.stop();
    }
  });

  it('answers "File not found" for a missing file', async () => {
    const run = await hpa('SEPFFFFFFFFFFFF.cnf.xml', 'missing.xml');
    assert.match(run.stdout + run.stderr, /Error code 1: File not found/);
    const curl = await runClient('curl', ['-sS', '-o', 'missing2.xml', `tftp://127.0.0.1:${srv.port}/nothere`], out);
    assert.equal(curl.code, 68, curl.stderr); // CURLE_TFTP_NOTFOUND
  });
});
