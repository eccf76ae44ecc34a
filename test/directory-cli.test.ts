import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from './helpers/radicale.js';
import { runCli } from './helpers/cli.js';


describe('directory: ciscophone directory status|search', () => {
  let dir: string;
  let config: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'directory-cli-'));
    writeFileSync(
      path.join(dir, 'club.vcf'),
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jürgen Müller\r\nN:Müller;Jürgen;;;\r\nTEL;TYPE=CELL:+49 171 7654321\r\nTEL;TYPE=WORK:+44 20 7946 0018\r\nEND:VCARD\r\n',
    );
    // Nothing listens on this port: the source fails with a clear error.
    const down = await freePort();
    config = path.join(dir, 'ciscophone.yaml');
    writeFileSync(
      config,
      [
        'pbx: { host: 127.0.0.1 }',
        'server: { dataDir: ./data }',
        'directory:',
        '  sources:',
        '    - { type: vcard, name: Club, path: ./club.vcf }',
        `    - { type: carddav, name: Cloud, url: "http://127.0.0.1:${down}/", username: alice, password: s3cret-pw, timeout: 2s }`,
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('status: one line per source with count and last sync, the error of a failing one, exit code 1', async () => {
    const r = await runCli(['directory', 'status', '--config', config]);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0]!, /^Club \(vcard\): ok, 1 contact\(s\), last sync \d{4}-\d\d-\d\dT/);
    assert.match(lines[1]!, /^Cloud \(carddav\): error, 0 contact\(s\)$/);
    assert.match(lines[2]!, /^ {2}last error: cannot reach http:\/\/127\.0\.0\.1:\d+/);
    assert.doesNotMatch(r.out, /s3cret-pw/);
  });

  test('search: one line per number with its type, what the phone dials, and the source', async () => {
    const r = await runCli(['directory', 'search', '6855', '--config', config]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.split('\n'), ['Jürgen Müller (mobile)  01717654321  [Club]', 'Jürgen Müller (work)  00442079460018  [Club]']);
    assert.equal((await runCli(['directory', 'search', 'nobody', '--config', config])).out, 'nothing found for "nobody"');
  });

  test('usage errors exit with 2', async () => {
    assert.equal((await runCli(['directory', '--config', config])).code, 2);
    assert.equal((await runCli(['directory', 'search', '--config', config])).code, 2);
  });
});
