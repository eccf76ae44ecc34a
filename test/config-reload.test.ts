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
import type { ServeProcess } from './helpers/serve-process.js';
import { testApp } from './helpers/app.js';
import { parseConfig } from '../src/config/load.js';
import { applyConfig } from '../src/reload.js';

import { configText, fetchSep, save, servedAfter, startIn, waitForLog } from './helpers/reload.js';

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
    await waitForLog(serve, /config reloaded: phones changed/);
  });

  it('keeps the last good config on an invalid edit, logs and shows each problem with its path', async () => {
    const out = path.join(dir, 'sep-bad.xml');
    await save(file, configText('Broken').replace('model: "7941"', 'model: "7999"'));
    await waitForLog(serve, /problem\(s\); the last good config stays in force/);
    await waitForLog(serve, /phones\[0\]\.model/);
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
    await waitForLog(serve, /take effect after a restart/);
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
      await waitForLog(serve, /SIGHUP: reading .*ciscophone\.yaml again/);
      const { code } = await serve.stop('SIGTERM');
      assert.equal(code, 0);
    } finally {
      serve.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('what a reload replaces (in process)', () => {
  it('a changed directory section restarts the phone book; /lookup and the Services menu follow', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'reload-dir-'));
    const [a, b] = [path.join(dir, 'a.vcf'), path.join(dir, 'b.vcf')];
    await writeFile(a, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Alt\r\nTEL:+49894411220\r\nEND:VCARD\r\n');
    await writeFile(b, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bernd Neu\r\nTEL:+49894411220\r\nEND:VCARD\r\n');
    const text = (vcf: string, extra: string) =>
      `server: { publicUrl: "http://phones.test:8080" }\npbx: { host: 127.0.0.1 }\nphones:\n  - { mac: "001122334455", model: "7941", lines: [ { number: "620" } ] }\ndirectory: { sources: [ { type: vcard, name: D, path: ${vcf} } ] }\n${extra}`;
    const t = await testApp(text(a, ''));
    try {
      await t.ctx.contacts.start();
      const lookup = async () => (await t.app.inject({ method: 'GET', url: '/lookup?number=0894411220' })).body;
      const menu = async () => (await t.app.inject({ method: 'GET', url: '/services?name=SEP001122334455' })).body;
      assert.equal(await lookup(), 'Anna Alt');
      assert.doesNotMatch(await menu(), /Weather/);
      const before = { contacts: t.ctx.contacts, calendar: t.ctx.calendar };
      const applied = await applyConfig(t.ctx, parseConfig(text(b, 'services: [ { name: Weather, url: "http://example.org/w.xml" } ]\n'), path.join(t.dir, 'ciscophone.yaml')));
      assert.deepEqual(applied.sections.sort(), ['directory', 'services']);
      assert.notEqual(t.ctx.contacts, before.contacts, 'phone book restarted');
      assert.equal(t.ctx.calendar, before.calendar, 'calendars untouched: their section did not change');
      assert.equal(await lookup(), 'Bernd Neu');
      assert.match(await menu(), /Weather/, 'the cached menu was dropped');
    } finally {
      await t.ctx.stop();
      await t.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
