import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkPhoneXml, injectPath, submitInput, type ParsedPhoneXml } from './helpers/phone-xml.js';
import { DEMO_PHONES, phoneHeaders, testApp, type TestApp } from './helpers/app.js';

const OFFICE = 'SEP008041AEFD7E'; // 7941, English
const KITCHEN = 'SEP0019E8A17970'; // 7970, German
const HALL = 'SEP001120AABBCC'; // 7940

/** 40 extra people named A… so one search gives more than one page. */
function manyCards(): string {
  return Array.from({ length: 40 }, (_, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Aaron Test${String(i).padStart(2, '0')}\r\nN:Test${i};Aaron;;;\r\nTEL;TYPE=CELL:+49 170 55${String(i).padStart(5, '0')}\r\nEND:VCARD\r\n`).join('');
}

describe('directory: the handset flow', () => {
  let t: TestApp;

  before(async () => {
    t = await testApp(`pbx: { host: 192.168.1.1 }\n${DEMO_PHONES}\ndirectory:\n  sources:\n    - { type: vcard, name: Family, path: ./family.vcf }\n    - { type: vcard, name: Team, path: ./team }\n`);
    copyFileSync(path.resolve('assets/demo-contacts.vcf'), path.join(t.dir, 'family.vcf'));
    const team = path.join(t.dir, 'team');
    (await import('node:fs')).mkdirSync(team);
    writeFileSync(path.join(team, 'many.vcf'), manyCards());
    await t.ctx.contacts.start();
  });
  after(async () => {
    await t?.ctx.contacts.stop();
    await t?.close();
  });

  async function get(url: string, model: '7940' | '7941' | '7970'): Promise<{ page: ParsedPhoneXml; headers: Record<string, unknown> }> {
    const res = await t.app.inject({ method: 'GET', url: injectPath(url), headers: phoneHeaders(model) });
    assert.equal(res.statusCode, 200, res.body);
    return { page: checkPhoneXml(res.rawPayload, res.headers['content-type']), headers: res.headers };
  }

  test('7941: Menu → Input → Directory, paging with Next/Previous softkeys', async () => {
    const { page: menu } = await get(`http://phones.test:8080/directory?name=${OFFICE}`, '7941');
    assert.equal(menu.kind, 'Menu');
    assert.deepEqual(menu.items.map((i) => i.name), ['Search', 'Browse A–Z', 'Family', 'Team']);

    const { page: form } = await get(menu.items[0]!.url, '7941');
    assert.equal(form.kind, 'Input');
    assert.deepEqual(form.inputItems.map((i) => [i.displayName, i.param]), [['Name or number', 'q']]);

    // T9: 6855 → Müller, one entry per number, labelled by type.
    const { page: mueller } = await get(submitInput(form, { q: '6855' }), '7941');
    assert.equal(mueller.kind, 'Directory');
    assert.deepEqual(mueller.entries, [
      { name: 'Hans Müller (work)', telephone: '0301234567' },
      { name: 'Hans Müller (mobile)', telephone: '01729876543' },
    ]);
    assert.deepEqual(mueller.softKeys.map((k) => [k.position, k.url]), [[1, 'SoftKey:Dial'], [3, 'SoftKey:Exit'], [5, 'SoftKey:EditDial']]);

    // "2" finds Anna (keypad) and every Aaron: more than one page.
    const { page: first } = await get(submitInput(form, { q: '2' }), '7941');
    assert.equal(first.entries.length, 32);
    assert.equal(first.entries[0]!.name, 'Aaron Test00 (mobile)');
    assert.match(first.prompt ?? '', /^Page 1 of \d+$/);
    const next = first.softKeys.find((k) => k.name === 'Next');
    assert.equal(next?.position, 2, 'Next at the 79xx position');
    assert.ok(!first.softKeys.some((k) => k.name === 'Previous'));
    assert.ok(first.softKeys.some((k) => k.url === 'SoftKey:Dial') && first.softKeys.some((k) => k.url === 'SoftKey:EditDial') && first.softKeys.some((k) => k.url === 'SoftKey:Exit'));

    const { page: second } = await get(next!.url, '7941');
    assert.match(second.prompt ?? '', /^Page 2 of/);
    assert.ok(second.entries.some((e) => e.name === 'Anna Berg (mobile)'));
    const previous = second.softKeys.find((k) => k.name === 'Previous');
    assert.equal(previous?.position, 4);
    const { page: back } = await get(previous!.url, '7941');
    assert.deepEqual(back.entries, first.entries);
    // EditDial stays in one place whichever paging keys a page has.
    const editDial = (p: ParsedPhoneXml) => p.softKeys.find((k) => k.url === 'SoftKey:EditDial')?.position;
    assert.deepEqual([mueller, first, second, back].map(editDial), [5, 5, 5, 5]);
  });

  test('a query the phone appends with "?" to a URL that has one is read like "&"', async () => {
    const { page } = await get(`http://phones.test:8080/directory/results?name=${OFFICE}?q=6855`, '7941');
    assert.equal(page.kind, 'Directory');
    assert.equal(page.entries[0]?.name, 'Hans Müller (work)');
  });

  test('7940: Menu first, ISO-8859-1, no softkeys, paging through the Refresh header', async () => {
    const { page: menu } = await get(`http://phones.test:8080/directory?name=${HALL}`, '7940');
    assert.equal(menu.kind, 'Menu');
    assert.equal(menu.charset, 'iso-8859-1');
    assert.equal(menu.softKeys.length, 0);
    const { page: form } = await get(menu.items[0]!.url, '7940');
    assert.equal(form.kind, 'Input');
    const { page: first, headers } = await get(submitInput(form, { q: 'aaron' }), '7940');
    assert.equal(first.kind, 'Directory');
    assert.equal(first.softKeys.length, 0);
    assert.equal(first.entries.length, 32);
    const refresh = String(headers.refresh ?? '');
    const m = /^0; url=(.+)$/.exec(refresh);
    assert.ok(m, `Refresh header with the next page: ${refresh}`);
    const { page: second, headers: lastHeaders } = await get(m![1]!, '7940');
    assert.equal(second.entries.length, 8);
    assert.equal(lastHeaders.refresh, undefined, 'no Next on the last page');
    // Latin-1 phone: umlauts stay, other characters are transliterated.
    const { page: lukasz } = await get(submitInput(form, { q: 'lukasz' }), '7940');
    assert.equal(lukasz.entries[0]!.name, 'Lukasz Nowak (mobile)');
  });

  test('letters, accents, umlaut spellings, nicknames, organisations and odd characters', async () => {
    const names = (q: string) => t.ctx.contacts.search(q).map((h) => h.name);
    for (const q of ['Müller', 'muller', 'MUELLER', 'mül', 'hansi', 'söhne']) assert.ok(names(q).includes('Hans Müller'), q);
    assert.ok(names('obrien').includes("Siobhán O'Brien"));
    assert.ok(names("o'brien").includes("Siobhán O'Brien"));
    assert.ok(names('tom jerry').includes('Tom & Jerry <"QA">'));
    assert.ok(names('2').includes('Anna Berg'));
    assert.ok(names('0171').includes('Anna Berg'), 'digits find numbers');
    assert.deepEqual(names('+49 89 4411220'), ['Anna Berg']);
  });

  test('labels in the phone\'s language; & and < survive the XML', async () => {
    const { page: form } = await get(`http://phones.test:8080/directory/search?name=${KITCHEN}`, '7970');
    const { page } = await get(submitInput(form, { q: 'anna' }), '7970');
    assert.deepEqual(page.entries.map((e) => e.name), ['Anna Berg (mobil)', 'Anna Berg (geschäftl.)', 'Anna Berg (privat)']);
    const { page: tom } = await get(submitInput(form, { q: '866' }), '7970');
    assert.equal(tom.entries[0]!.name, 'Tom & Jerry <"QA"> (geschäftl.)');
    assert.equal(tom.entries[0]!.telephone, '00442079460018');
  });

  test('no result gives a friendly text', async () => {
    const { page: form } = await get(`http://phones.test:8080/directory/search?name=${OFFICE}`, '7941');
    const { page } = await get(submitInput(form, { q: '99999999' }), '7941');
    assert.equal(page.kind, 'Text');
    assert.equal(page.title, 'Nothing found');
  });

  test('a source picked from the menu limits the search', async () => {
    const { page: menu } = await get(`http://phones.test:8080/directory?name=${OFFICE}`, '7941');
    const { page: team } = await get(menu.items[3]!.url, '7941');
    assert.equal(team.title, 'Team');
    assert.deepEqual(team.items.map((i) => i.name), ['Search', 'Browse A–Z']);
    const { page: form } = await get(team.items[0]!.url, '7941');
    const { page } = await get(submitInput(form, { q: 'anna' }), '7941');
    assert.equal(page.kind, 'Text', 'Anna is in Family, not in Team');
  });

  test('Browse A–Z: nine keypad groups, then the contacts of one', async () => {
    const { page: menu } = await get(`http://phones.test:8080/directory?name=${OFFICE}`, '7941');
    const { page: groups } = await get(menu.items[1]!.url, '7941');
    assert.equal(groups.items.length, 9);
    assert.match(groups.items[1]!.name, /^2 {2}ABC \(\d+\)$/);
    const { page: def } = await get(groups.items[2]!.url, '7941');
    assert.equal(def.kind, 'Directory');
    assert.ok(def.entries.every((e) => /^[DEF]/i.test(e.name)), JSON.stringify(def.entries));
    assert.ok(def.entries.some((e) => e.name.startsWith('Dr. Karl-Heinz')));
  });

  test('hostile input never breaks anything', async () => {
    const base = `/directory/results?name=${OFFICE}`;
    const urls = [
      `${base}&q=${'x'.repeat(10_000)}`,
      `${base}&q=2&page=-5`,
      `${base}&q=2&page=99999999999999999999`,
      `${base}&q=2&page=abc`,
      `${base}&q=%3C%26%3E%22'%00%01`,
      `${base}&q=%E2%80%AE%F0%9F%98%80`,
      `${base}&q=%ZZ`,
      `${base}&q=a&q=b`,
      `${base}&q=`,
      `${base}&source=../../etc&q=2`,
      `/directory/list?name=${OFFICE}&group=<script>&page=-1`,
      `/directory?name=${OFFICE}&source=${'9'.repeat(5000)}`,
      `/directory/search?source[]=x`,
    ];
    for (const url of urls) {
      const res = await t.app.inject({ method: 'GET', url, headers: phoneHeaders('7941') });
      assert.equal(res.statusCode, 200, `${url.slice(0, 80)} → ${res.statusCode}`);
      const page = checkPhoneXml(res.rawPayload, res.headers['content-type']);
      assert.ok(['Directory', 'Text', 'Menu', 'Input'].includes(page.kind), url.slice(0, 80));
      for (const u of page.urls) assert.ok(u.length <= 255);
    }
  });

  test('caller-ID lookup: any spelling of a number, empty when unknown', async () => {
    const lookup = async (n: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/lookup?number=${encodeURIComponent(n)}` });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      return res.body;
    };
    for (const n of ['+49 89 4411220', '0894411220', '0049894411220', '+49 (0)89 441 12 20', '+49-89-4411220']) assert.equal(await lookup(n), 'Anna Berg', n);
    assert.equal(await lookup('+44 20 7946 0018'), 'Tom & Jerry <"QA">');
    assert.equal(await lookup('600'), 'Reception');
    assert.equal(await lookup('0123'), '');
    assert.equal(await lookup(''), '');
    assert.equal(await lookup('x'.repeat(10_000)), '');
    const none = await t.app.inject({ method: 'GET', url: '/lookup' });
    assert.equal(none.statusCode, 200);
    assert.equal(none.body, '');
  });
});
