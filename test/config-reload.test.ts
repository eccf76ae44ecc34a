/**
 * Live reload against a real `ciscophone serve` process: the config file edited under it (saved
 * the way editors save: a new file renamed over the old one), an invalid edit, and SIGHUP. What a
 * phone gets is fetched over TFTP with curl.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configText, fetchSep, MAC, save, servedAfter, startIn } from './helpers/reload.js';
import type { ServeProcess } from './helpers/serve-process.js';

/** What the issue asks: a saved change is served within 2 s. */
const RELOAD_WITHIN_MS = 2000;

describe('config reload under a running server', () => {
  let dir: string;
  let file: string;
  let serve: ServeProcess;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'reload-'));
    file = path.join(dir, 'ciscophone.yaml');
    await writeFile(file, configText('Office'));
    serve = await startIn(dir, file);
  });
  after(async () => {
    serve?.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it(`serves a saved change over TFTP within ${RELOAD_WITHIN_MS} ms`, async () => {
    const out = path.join(dir, 'sep.xml');
    assert.match(await fetchSep(serve.tftpPort, out), /<displayName>Office<\/displayName>/);
    const saved = performance.now();
    await save(file, configText('Reception'));
    const ms = await servedAfter(serve.tftpPort, out, '<displayName>Reception</displayName>', saved);
    assert.ok(ms < RELOAD_WITHIN_MS, `served after ${Math.round(ms)} ms`);
    await serve.logShows(/config reloaded: phones changed/);
  });

  it('answers phone book searches from the new phone book when `directory:` changes', async () => {
    const book = (name: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${name}\r\nTEL;TYPE=work:+49 30 1234567\r\nEND:VCARD\r\n`;
    await writeFile(path.join(dir, 'first.vcf'), book('Anna First'));
    await writeFile(path.join(dir, 'second.vcf'), book('Anna Second'));
    const directory = (file: string) => `directory:\n  sources: [{ type: vcard, name: Office, path: ./${file} }]`;
    const search = async () => {
      const res = await fetch(`http://127.0.0.1:${serve.httpPort}/directory/results?name=SEP${MAC}&q=Anna`);
      return res.text();
    };
    const until = async (wanted: string) => {
      const deadline = performance.now() + 30_000;
      for (let text = await search(); !text.includes(wanted); text = await search()) {
        assert.ok(performance.now() < deadline, `${wanted} never found; last answer:\n${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await save(file, configText('Reception', directory('first.vcf')));
    await until('Anna First');
    await save(file, configText('Reception', directory('second.vcf')));
    await until('Anna Second');
    assert.doesNotMatch(await search(), /Anna First/, 'no page kept from the old phone book');
  });

  it('applies a changed or removed api.token at once', async () => {
    // An empty body: the token check (onRequest) answers before the body is validated (400).
    const status = async (token: string) =>
      (await fetch(`http://127.0.0.1:${serve.httpPort}/api/push`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).status;
    const until = async (token: string, wanted: number) => {
      const deadline = performance.now() + 30_000;
      for (let got = await status(token); got !== wanted; got = await status(token)) {
        assert.ok(performance.now() < deadline, `token ${token}: ${got}, expected ${wanted}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await save(file, configText('Reception', 'api: { token: first-token-0123456789 }'));
    await until('first-token-0123456789', 400);
    await save(file, configText('Reception', 'api: { token: second-token-0123456789 }'));
    await until('second-token-0123456789', 400);
    assert.equal(await status('first-token-0123456789'), 401, 'the old token no longer opens the API');
    await save(file, configText('Reception'));
    await until('second-token-0123456789', 404);
  });

  it('keeps the last good config on an invalid edit, logs and shows each problem with its path', async () => {
    const out = path.join(dir, 'sep-bad.xml');
    await save(file, configText('Broken').replace('model: "7941"', 'model: "7999"'));
    const deadline = performance.now() + 30_000;
    while (!/problem\(s\); the last good config stays in force/.test(serve.log())) {
      assert.ok(performance.now() < deadline, serve.log());
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(serve.log(), /phones\[0\]\.model/);
    const served = await fetchSep(serve.tftpPort, out);
    assert.match(served, /<displayName>Reception<\/displayName>/, 'the old file is still served');
    const health = (await (await fetch(`http://127.0.0.1:${serve.httpPort}/api/ui/health`)).json()) as { config: { problems: { path: string }[] } };
    assert.deepEqual(
      health.config.problems.map((p) => p.path),
      ['phones[0].model'],
    );
    // Fixed: applied, and the page shows no problem any more.
    const fixed = performance.now();
    await save(file, configText('Fixed'));
    await servedAfter(serve.tftpPort, out, '<displayName>Fixed</displayName>', fixed);
    const after = (await (await fetch(`http://127.0.0.1:${serve.httpPort}/api/ui/health`)).json()) as { config: { problems: unknown[] } };
    assert.deepEqual(after.config.problems, []);
  });

  it('names the settings that need a restart in one line, and keeps serving on the old port', async () => {
    const out = path.join(dir, 'sep-port.xml');
    const saved = performance.now();
    // (The ports are fixed by --http-port/--tftp-port, which every reload applies again.)
    await save(file, configText('Moved').replace('http: { host: 127.0.0.1', 'http: { host: 127.0.0.2').replace('tftp: { host: 127.0.0.1', 'tftp: { host: 127.0.0.3'));
    await servedAfter(serve.tftpPort, out, '<displayName>Moved</displayName>', saved);
    await serve.logShows(/take effect after a restart/);
    const lines = serve.log().split('\n').filter((l) => l.includes('take effect after a restart'));
    assert.equal(lines.length, 1, serve.log());
    assert.match(lines[0]!, /server\.http\.host, server\.tftp\.host changed/);
  });
});

describe('SIGHUP', () => {
  it('reads the config again (a symlinked file the folder watch does not see change)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'reload-hup-'));
    const real = path.join(dir, 'elsewhere', 'ciscophone.yaml');
    await mkdir(path.dirname(real));
    await writeFile(real, configText('Before'));
    const file = path.join(dir, 'ciscophone.yaml');
    await symlink(real, file);
    const serve = await startIn(dir, file);
    try {
      const out = path.join(dir, 'sep.xml');
      assert.match(await fetchSep(serve.tftpPort, out), /<displayName>Before<\/displayName>/);
      await writeFile(real, configText('After'));
      await new Promise((r) => setTimeout(r, 1000));
      assert.match(await fetchSep(serve.tftpPort, out), /<displayName>Before<\/displayName>/, 'not seen without the signal');
      serve.child.kill('SIGHUP');
      await servedAfter(serve.tftpPort, out, '<displayName>After</displayName>', performance.now());
      await serve.logShows(/SIGHUP: reading .*ciscophone\.yaml again/);
      const { code } = await serve.stop('SIGTERM');
      assert.equal(code, 0);
    } finally {
      serve.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
