import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { createDialer } from '../src/contacts/dialing.js';
import { parseFritzBoxPhonebook } from '../src/contacts/fritzbox.js';
import { ContactStore } from '../src/contacts/store.js';
import { parseVCards } from '../src/contacts/vcard.js';
import { createLogger } from '../src/logger.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'directory-sources-'));
  dirs.push(d);
  return d;
}

const card = (fn: string, tel: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${fn}\r\nTEL;TYPE=CELL:${tel}\r\nEND:VCARD\r\n`;

describe('directory: sources', () => {
  test('vCard 2.1 quoted-printable (UTF-8 and ISO-8859-1), bare types, Apple labels, 4.0 tel: URIs', () => {
    const text = [
      'BEGIN:VCARD', 'VERSION:2.1', 'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen',
      'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BC=', 'ller', 'TEL;CELL;PREF:+491701234567', 'TEL;HOME:089 555', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:2.1', 'N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Wei=DF;Bj=F6rn', 'TEL;WORK;FAX:+4940111', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:3.0', 'FN:Apple', 'item1.TEL:+49 30 8888', 'item1.X-ABLabel:_$!<Mobile>!$_', 'item2.TEL:+49 30 7777', 'item2.X-ABLabel:Büro', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:Zoë', 'TEL;VALUE=uri;TYPE="voice,work":tel:+1-555-010-4477;ext=42', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:3.0', 'FN:Group', 'X-ADDRESSBOOKSERVER-KIND:group', 'END:VCARD',
    ].join('\r\n');
    const { contacts, unread: warnings } = parseVCards(text, 'old.vcf');
    assert.deepEqual(warnings, []);
    assert.deepEqual(contacts.map((c) => [c.name, c.numbers.map((n) => `${n.type}:${n.number}`)]), [
      ['Jürgen Müller', ['mobile:+491701234567', 'home:089 555']],
      ['Björn Weiß', ['fax:+4940111']],
      ['Apple', ['mobile:+49 30 8888', 'Büro:+49 30 7777']],
      ['Zoë', ['work:tel:+1-555-010-4477;ext=42']],
    ]);
  });

  test('a broken value loses only itself, with a warning naming the card; the rest of the book stays', () => {
    const text = card('Before', '1') + 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Bernd\r\nTEL;TYPE=CELL;=x:1\r\nEND:VCARD\r\n' + card('After', '2');
    const { contacts, unread: warnings } = parseVCards(text, 'book.vcf');
    assert.deepEqual(contacts.map((c) => [c.name, c.numbers.length]), [['Before', 1], ['Broken Bernd', 0], ['After', 1]]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^book\.vcf: card 2 \("Broken Bernd"\): TEL not read \(Empty parameter name/);
  });

  test('FRITZ!Box phone book export', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?><phonebooks><phonebook owner="1" name="Telefonbuch">
      <contact><category>0</category><person><realName>Oma &amp; Opa Grün</realName></person>
        <telephony nid="2"><number type="home" prio="1" id="0">08141 12345</number><number type="mobile" id="1">0170 1112223</number></telephony></contact>
      <contact><person><realName>Fax Büro</realName></person><telephony nid="1"><number type="fax_work" id="0">089 999</number></telephony></contact>
    </phonebook></phonebooks>`;
    assert.deepEqual(parseFritzBoxPhonebook(xml), [
      { name: 'Oma & Opa Grün', numbers: [{ type: 'home', number: '08141 12345' }, { type: 'mobile', number: '0170 1112223' }] },
      { name: 'Fax Büro', numbers: [{ type: 'fax', number: '089 999' }] },
    ]);
    assert.throws(() => parseFritzBoxPhonebook('<html/>'), /not a FRITZ!Box/);
  });

  test('dialling rules: trunk prefix at home, international prefix abroad, outside line prefix', () => {
    const d = createDialer({ country: '49', internationalPrefix: '00', trunkPrefix: '0', outsideLinePrefix: '' });
    assert.equal(d.dialable('+49 (0)89 1234567'), '0891234567');
    assert.equal(d.dialable('+44 20 7946 0018'), '00442079460018');
    assert.equal(d.dialable('620'), '620');
    assert.equal(d.dialable('**600'), '**600');
    assert.equal(d.dialable('tel:+1-555-010-4477;ext=42'), '0015550104477');
    const pbx = createDialer({ country: '1', internationalPrefix: '011', trunkPrefix: '1', outsideLinePrefix: '9' });
    assert.equal(pbx.dialable('+1 212 555 0199'), '912125550199');
    assert.equal(pbx.dialable('+49 89 1234567'), '901149891234567');
    assert.equal(pbx.key('011 49 89 1234567'), '+49891234567');
  });

  test('a folder of .vcf files and a FRITZ!Box file, reloaded when they change', async () => {
    const dir = tempDir();
    const folder = path.join(dir, 'cards');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.vcf'), card('Anna Berg', '+49 171 1'));
    writeFileSync(path.join(dir, 'fritz.xml'), '<phonebooks><phonebook><contact><person><realName>Karl Fritz</realName></person><telephony><number type="home">089 1</number></telephony></contact></phonebook></phonebooks>');
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const config = parseConfig(
      'pbx: { host: 127.0.0.1 }\ndirectory:\n  sources:\n    - { type: vcard, path: ./cards }\n    - { type: fritzbox, name: Box, path: ./fritz.xml }\n',
      path.join(dir, 'ciscophone.yaml'),
    );
    const store = new ContactStore({ config, log: createLogger('warn', sink), clock: () => new Date() });
    await store.start();
    try {
      assert.deepEqual(store.status().map((s) => [s.name, s.type, s.count, s.state]), [['Contacts', 'vcard', 1, 'ok'], ['Box', 'fritzbox', 1, 'ok']]);
      assert.equal(store.search('karl')[0]?.source, '2');
      writeFileSync(path.join(folder, 'b.vcf'), card('Bernd Brot', '+49 171 2') + 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kaputt\r\nTEL;=:1\r\nEND:VCARD\r\n');
      for (let i = 0; i < 100 && store.search('bernd').length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(store.search('bernd')[0]?.name, 'Bernd Brot', 'new file picked up');
      assert.ok(lines.some((l) => /b\.vcf: card 2 \(\\?"Kaputt\\?"\): TEL not read/.test(l)), lines.join(''));
      assert.equal(store.status()[0]!.state, 'warning');
      assert.match(store.status()[0]!.warnings![0]!, /^b\.vcf: card 2 \("Kaputt"\): TEL not read/);
      rmSync(path.join(folder, 'a.vcf'));
      for (let i = 0; i < 100 && store.search('anna').length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(store.search('anna'), []);
    } finally {
      await store.stop();
    }
  });

  test('a restart with the file unchanged serves the cache without reading the file again; a changed file is read', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'book.vcf'), card('Anna Berg', '+49 171 1'));
    const config = parseConfig('pbx: { host: 127.0.0.1 }\ndirectory:\n  sources:\n    - { type: vcard, path: ./book.vcf }\n', path.join(dir, 'ciscophone.yaml'));
    const open = async () => {
      const store = new ContactStore({ config, log: createLogger('silent'), clock: () => new Date() });
      await store.start();
      return store;
    };
    await (await open()).stop();
    // Mark the cached copy, so what the next start serves shows where it came from.
    const cacheDir = path.join(config.server.dataDir, 'directory');
    const [cacheName] = readdirSync(cacheDir);
    const cachePath = path.join(cacheDir, cacheName!);
    writeFileSync(cachePath, readFileSync(cachePath, 'utf8').replace('Anna Berg', 'Anna Cached'));
    const again = await open();
    try {
      assert.equal(again.search('anna')[0]?.name, 'Anna Cached');
      assert.equal(again.status()[0]?.state, 'ok');
    } finally {
      await again.stop();
    }
    writeFileSync(path.join(dir, 'book.vcf'), card('Anna Berg', '+49 171 12'));
    utimesSync(path.join(dir, 'book.vcf'), new Date(), new Date(Date.now() + 5000));
    const changed = await open();
    try {
      assert.equal(changed.search('anna')[0]?.name, 'Anna Berg');
      assert.equal(changed.search('anna')[0]?.dial, '017112');
    } finally {
      await changed.stop();
    }
  });
});
