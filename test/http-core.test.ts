import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/app.js';
import { defineService, discoverServices } from '../src/http/services.js';
import { createLogger } from '../src/logger.js';
import { DEMO_PHONES, phoneHeaders, testApp, type TestApp } from './helpers/app.js';
import { checkPhoneXml, injectPath } from './helpers/phone-xml.js';

const execFileAsync = promisify(execFile);
const OFFICE = 'SEP008041AEFD7E';
const KITCHEN = 'SEP0019E8A17970';
const HALL = 'SEP001120AABBCC';

describe('Services menu and phone replies', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp(`pbx: { host: pbx }
${DEMO_PHONES}
services:
  - { name: 'Tom & Jerry <"QA">', url: "http://example.org/a?x=1&y=2" }
  - { name: "Wetter – München €", url: "http://example.org/weather.xml" }
`);
  });
  after(() => t.close());

  it('lists the configured services with Select/Exit at the 79xx positions', async () => {
    const res = await t.app.inject({ url: `/services?name=${OFFICE}`, headers: phoneHeaders('7941') });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/xml; charset=UTF-8');
    assert.equal(Number(res.headers['content-length']), res.rawPayload.length);
    assert.equal(res.headers['transfer-encoding'], undefined);
    const menu = checkPhoneXml(res.rawPayload, res.headers['content-type']);
    assert.equal(menu.kind, 'Menu');
    assert.equal(menu.title, 'Services');
    const names = menu.items.map((i) => i.name);
    assert.ok(names.includes('Tom & Jerry <"QA">'));
    assert.ok(res.body.includes('Tom &amp; Jerry &lt;&quot;QA&quot;&gt;'));
    assert.ok(res.body.includes('http://example.org/a?x=1&amp;y=2'));
    assert.deepEqual(menu.softKeys.map((k) => [k.position, k.url]), [[1, 'SoftKey:Select'], [3, 'SoftKey:Exit']]);
  });

  it('speaks German to the kitchen phone', async () => {
    const res = await t.app.inject({ url: `/services?name=${KITCHEN}`, headers: phoneHeaders('7970') });
    const menu = checkPhoneXml(res.rawPayload, res.headers['content-type']);
    assert.equal(menu.title, 'Dienste');
    assert.deepEqual(menu.softKeys.map((k) => k.name), ['Auswahl', 'Ende']);
  });

  it('sends ISO-8859-1 with transliteration and no softkeys to a 7940', async () => {
    const res = await t.app.inject({ url: `/services?name=${HALL}`, headers: phoneHeaders('7940') });
    assert.equal(res.headers['content-type'], 'text/xml; charset=ISO-8859-1');
    const menu = checkPhoneXml(res.rawPayload, res.headers['content-type']);
    assert.deepEqual(menu.softKeys, []);
    assert.ok(menu.items.some((i) => i.name === 'Wetter - München EUR'), JSON.stringify(menu.items));
    assert.ok(res.rawPayload.includes(Buffer.from([0xfc])), 'ü as one Latin-1 byte');
  });

  it('answers unknown paths with 200 and a phone text in its language, like every other error', async () => {
    const res = await t.app.inject({ url: `/no-such-page?name=${KITCHEN}` });
    assert.equal(res.statusCode, 200);
    const text = checkPhoneXml(res.rawPayload, res.headers['content-type']);
    assert.equal(text.kind, 'Text');
    assert.equal(text.text, 'Diese Seite gibt es nicht.');
  });

  it('writes canonical header names on the wire (curl)', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const { stdout } = await execFileAsync('curl', ['-s', '-D', '-', '-o', '/dev/null', `http://127.0.0.1:${port}/no-such-page?name=${HALL}`], { timeout: 30_000 });
    const names = stdout.split('\r\n').slice(1).map((line) => line.split(':')[0]!).filter(Boolean);
    for (const name of ['Content-Type', 'Content-Length', 'Expires']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    assert.deepEqual(names.filter((n) => /^[a-z]/.test(n) || (n.includes('-') && !/^([A-Z][a-z]*-?)+$/.test(n))), [], 'no lower-case names');
  });

  it('survives a 10 kB query string', async () => {
    const res = await t.app.inject({ url: `/services?name=${OFFICE}&junk=${'x'.repeat(10_000)}&page=-5` });
    assert.equal(res.statusCode, 200);
    assert.equal(checkPhoneXml(res.rawPayload, res.headers['content-type']).kind, 'Menu');
  });
});

describe('Services menu paging and plugins', () => {
  it('pages more than 100 entries instead of truncating', async () => {
    const services = Array.from({ length: 150 }, (_, i) => `  - { name: "Service ${i + 1}", url: "http://example.org/${i}" }`).join('\n');
    const t = await testApp(`pbx: { host: pbx }\n${DEMO_PHONES}\nservices:\n${services}\n`, { services: [] });
    try {
      const first = checkPhoneXml((await t.app.inject({ url: `/services?name=${OFFICE}` })).rawPayload, 'text/xml; charset=UTF-8');
      assert.equal(first.items.length, 100);
      assert.equal(first.prompt, 'Page 1 of 2');
      const next = first.softKeys.find((k) => k.name === 'Next');
      assert.ok(next, 'a Next softkey');
      assert.equal(next.position, 2);
      assert.match(next.url, /^http:\/\/phones\.test:8080\/services\?name=SEP008041AEFD7E&page=2$/);
      const res = await t.app.inject({ url: injectPath(next.url) });
      const second = checkPhoneXml(res.rawPayload, res.headers['content-type']);
      assert.equal(second.items.length, 50);
      assert.equal(second.items[0]!.name, 'Service 101');
      assert.ok(second.softKeys.some((k) => k.name === 'Previous' && k.position === 4));
    } finally {
      await t.close();
    }
  });

  it('lists discovered service plugins and turns a failing handler into a phone text', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
    const config = parseConfig(`server: { publicUrl: "http://phones.test:8080" }\npbx: { host: pbx }\n${DEMO_PHONES}`, path.resolve('c.yaml'));
    const ctx = createContext({ config, log: createLogger('info', sink), ephemeral: true });
    const weather = defineService({
      id: 'weather',
      title: { en: 'Weather', de: 'Wetter' },
      path: '/weather',
      plugin: async (app) => {
        app.get('/weather', async () => {
          throw new Error('upstream exploded');
        });
      },
    });
    const hidden = defineService({ id: 'lookup', title: { en: 'Lookup', de: 'Suche' }, path: '/lookup', menu: false, plugin: async () => {} });
    const app = await buildApp(ctx, { services: [weather, hidden] });
    try {
      const menu = checkPhoneXml((await app.inject({ url: `/services?name=${KITCHEN}` })).rawPayload, 'text/xml; charset=UTF-8');
      assert.deepEqual(menu.items.map((i) => [i.name, i.url]), [['Wetter', `http://phones.test:8080/weather?name=${KITCHEN}`]]);
      const res = await app.inject({ url: `/weather?name=${KITCHEN}` });
      assert.equal(res.statusCode, 200);
      const text = checkPhoneXml(res.rawPayload, res.headers['content-type']);
      assert.equal(text.kind, 'Text');
      assert.equal(text.title, 'Entschuldigung');
      assert.ok(!res.body.includes('upstream exploded'), 'no error detail on the phone');
      assert.ok(lines.some((l) => l.includes('upstream exploded') && l.includes('handler failed')), 'the error is logged');
      assert.ok(lines.some((l) => /"phone":"SEP0019E8A17970".*"path":"\/weather\?name=SEP0019E8A17970".*"status":200/.test(l)), 'one line per request');
    } finally {
      await app.close();
    }
  });

  it('never logs a password from a query string', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
    const config = parseConfig(`pbx: { host: pbx }\n${DEMO_PHONES}`, path.resolve('c.yaml'));
    const app = await buildApp(createContext({ config, log: createLogger('info', sink), ephemeral: true }), { services: [] });
    await app.inject({ url: `/authenticate?UserID=u&Password=hunter2&devicename=${OFFICE}` });
    await app.close();
    assert.ok(lines.length > 0);
    assert.ok(!lines.join('').includes('hunter2'));
  });

  it('discovers service folders', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'services-'));
    mkdirSync(path.join(dir, 'clock'));
    writeFileSync(
      path.join(dir, 'clock', 'index.ts'),
      `export default { id: 'clock', title: { en: 'Clock', de: 'Uhr' }, path: '/clock', plugin: async () => {} };\n`,
    );
    mkdirSync(path.join(dir, 'empty'));
    writeFileSync(path.join(dir, 'README.md'), 'not a service');
    const found = await discoverServices(dir);
    assert.deepEqual(found.map((s) => s.id), ['clock']);
  });
});
