/**
 * vCards as real programs write them: group prefixes on BEGIN/END (`home.begin:vcard`), a card
 * cut off without END:VCARD, a vCard 2.1 AGENT card nested on its own lines, a line without a
 * colon, a card with numbers but no name, a file that is no vCard; each card skipped or read in
 * part is named in one warning and counted in the source's status (web page and `directory
 * status`), for files and for CardDAV resources on a real Radicale. With `../shared/corpus/real-world/` present, a vcard source reads that folder and every
 * card there with a name and a number is found by name and by number.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { ContactStore } from '../src/contacts/store.js';
import { decodeVcf, parseVCards } from '../src/contacts/vcard.js';
import { createLogger } from '../src/logger.js';
import { runCli } from './helpers/cli.js';
import { deleteItem, makeAddressBook, putItem, startRadicale, type RadicaleServer } from './helpers/radicale.js';
import { DataFolder } from '../src/data/data-folder.js';
import { CORPUS_DIR, CORPUS_SKIP, corpusFiles } from './helpers/corpus.js';
import { UnreadableContentError } from '../src/errors.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'directory-realworld-'));
  dirs.push(d);
  return d;
}

function store(dir: string, sourcePath: string): ContactStore {
  const config = parseConfig(`pbx: { host: 127.0.0.1 }\ndirectory:\n  sources:\n    - { type: vcard, name: Book, path: "${sourcePath}" }\n`, path.join(dir, 'ciscophone.yaml'));
  const log = createLogger('silent');
  return new ContactStore({ config, log, clock: () => new Date(), data: new DataFolder({ dir: config.server.dataDir, log }) });
}

describe('vCards as exporters write them', () => {
  test('a group prefix on BEGIN and END, in lower case (RFC 2426 §4), is read without a warning', () => {
    const text = ['home.begin:vcard', 'version:3.0', 'fn:Meister Berger', 'n:Berger;Meister', 'home.tel;type=fax,voice;type=msg:+49 3581 123456', 'END:VCARD', ''].join('\n');
    const { contacts, unread } = parseVCards(text, 'groups.vcf');
    assert.deepEqual(contacts, [{ name: 'Meister Berger', first: 'Meister', last: 'Berger', numbers: [{ type: 'fax', number: '+49 3581 123456' }] }]);
    assert.deepEqual(unread, []);
  });

  test('a card cut off without END:VCARD is read up to the next card and named', () => {
    const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Off\r\nTEL:0301\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Whole\r\nTEL:0302\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Last\r\nTEL:0303\r\n';
    const { contacts, unread } = parseVCards(text, 'cut.vcf');
    assert.deepEqual(contacts.map((c) => `${c.name} ${c.numbers[0]!.number}`), ['Cut Off 0301', 'Whole 0302', 'Last 0303']);
    assert.deepEqual(unread, ['cut.vcf: card 1 ("Cut Off"): the text ends without END:VCARD', 'cut.vcf: card 3 ("Last"): the text ends without END:VCARD']);
  });

  test('a vCard 2.1 AGENT card on its own lines stays inside its card', () => {
    const text = ['BEGIN:VCARD', 'VERSION:2.1', 'FN:Boss', 'TEL;WORK:0401', 'AGENT:', 'BEGIN:VCARD', 'VERSION:2.1', 'FN:Assistant', 'TEL:0402', 'END:VCARD', 'NOTE:after the agent', 'END:VCARD', ''].join('\r\n');
    const { contacts, unread } = parseVCards(text, 'agent.vcf');
    assert.deepEqual(contacts.map((c) => `${c.name} ${c.numbers.map((n) => n.number).join(',')}`), ['Boss 0401']);
    assert.deepEqual(unread, []);
  });

  test('a line without a colon is left out of its card, and a card with numbers but no name is named', () => {
    const text = 'BEGIN:VCARD\r\nFN\r\nN:\r\nORG:Ximian, Inc.\r\nTEL;WORK;VOICE:(617) 236-0442\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nUID:nameless-1\r\nTEL:0501\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@example.com\r\nEND:VCARD\r\n';
    const { contacts, unread } = parseVCards(text, 'ximian.vcf');
    assert.deepEqual(contacts.map((c) => c.name), ['Ximian, Inc.']);
    assert.deepEqual(unread, [
      'ximian.vcf: card 1 ("Ximian, Inc."): line 1 "FN" has no colon, left out',
      'ximian.vcf: card 2 (UID nameless-1): has numbers but no name (FN, N, ORG or NICKNAME), left out',
    ]);
  });

  test('a value ical.js refuses loses only itself: the card keeps its name and its other number', () => {
    const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carla Cruz\r\nTEL;TYPE=CELL;=x:0601\r\nTEL;TYPE=HOME:0602\r\nEND:VCARD\r\n';
    const { contacts, unread } = parseVCards(text, 'cruz.vcf');
    assert.deepEqual(contacts, [{ name: 'Carla Cruz', numbers: [{ type: 'home', number: '0602' }] }]);
    assert.deepEqual(unread, [`cruz.vcf: card 1 ("Carla Cruz"): TEL not read (Empty parameter name in ';TYPE=CELL;=x:0601')`]);
  });

  test('text that is no vCard is refused with a code; an empty file is an empty book', () => {
    assert.throws(
      () => parseVCards('sillyname:name\nprofile:sillyprofile\n', 'silly.vcf'),
      (err: unknown) => err instanceof UnreadableContentError && err.code === 'CONTENT_UNREADABLE' && /not a vCard file/.test(err.message),
    );
    assert.deepEqual(parseVCards('\r\n', 'empty.vcf'), { contacts: [], unread: [] });
  });
});

describe('a vcard source says what it could not read', () => {
  test('in a folder, a file that is no vCard and a partly read card are warnings, counted in the status; the rest is served', async () => {
    const dir = tempDir();
    const folder = path.join(dir, 'cards');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'good.vcf'), 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Berg\r\nTEL:+49 171 1\r\nEND:VCARD\r\n');
    writeFileSync(path.join(folder, 'notes.vcf'), 'this is a shopping list\n');
    writeFileSync(path.join(folder, 'cut.vcf'), 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bernd Brot\r\nTEL:+49 171 2\r\n');
    const s = store(dir, folder);
    await s.start();
    try {
      const [status] = s.status();
      assert.equal(status!.state, 'warning');
      assert.equal(status!.count, 2);
      assert.equal(status!.unread, 2);
      assert.deepEqual(status!.warnings, ['cut.vcf: card 1 ("Bernd Brot"): the text ends without END:VCARD', 'notes.vcf: skipped: not a vCard file (no BEGIN:VCARD)']);
      assert.equal(s.search('bernd')[0]?.name, 'Bernd Brot');
    } finally {
      await s.stop();
    }
  });

  test('a single file replaced by text that is no vCard is an error, and the last good copy stays', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'book.vcf');
    writeFileSync(file, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Berg\r\nTEL:+49 171 1\r\nEND:VCARD\r\n');
    const s = store(dir, file);
    await s.start();
    try {
      assert.equal(s.status()[0]!.state, 'ok');
      writeFileSync(file, '<html><body>Sign in</body></html>\n');
      await s.refresh();
      const [status] = s.status();
      assert.equal(status!.state, 'error');
      assert.equal(status!.lastError, 'not a vCard file (no BEGIN:VCARD)');
      assert.equal(s.search('anna')[0]?.name, 'Anna Berg');
    } finally {
      await s.stop();
    }
  });

  test('`ciscophone directory status` prints the count and each warning', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'book.vcf'), 'home.BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Berg\r\nTEL:+49 171 1\r\nSUMMARY=x\r\nEND:VCARD\r\n');
    writeFileSync(path.join(dir, 'ciscophone.yaml'), `pbx: { host: 127.0.0.1 }\nserver: { dataDir: "${dir}/data" }\ndirectory:\n  sources:\n    - { type: vcard, name: Book, path: ./book.vcf }\n`);
    const res = await runCli(['directory', 'status', '--config', path.join(dir, 'ciscophone.yaml')]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /^Book \(vcard\): warning, 1 contact\(s\), 1 card\(s\) not fully read/m);
    assert.match(res.out, /^ {2}book\.vcf: card 1 \("Anna Berg"\): line 4 "SUMMARY=x" has no colon, left out$/m);
  });
});

describe('CardDAV resources from a real Radicale', () => {
  let dav: RadicaleServer;

  before(async () => {
    dav = await startRadicale();
  });

  after(() => dav.stop());

  test('a card not fully read is named by its resource, and its warning leaves with it through the incremental sync', async () => {
    const book = await makeAddressBook(dav, 'alice', 'contacts', 'Contacts');
    await putItem(book, 'anna.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anna\r\nFN:Anna Berg\r\nTEL:+49 171 1\r\nEND:VCARD\r\n');
    // Radicale stores a card whose FN is empty: it has a number but nothing to list it by.
    await putItem(book, 'nameless.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a1\r\nFN:\r\nTEL:0301\r\nEND:VCARD\r\n');
    const dir = tempDir();
    const config = parseConfig(
      `pbx: { host: 127.0.0.1 }\nserver: { dataDir: ./data }\ndirectory:\n  sources:\n    - { type: carddav, name: Office, url: "${dav.url}", username: alice, password: secret, timeout: 5s }\n`,
      path.join(dir, 'ciscophone.yaml'),
    );
    const silent = createLogger('silent');
    const s = new ContactStore({ config, log: silent, clock: () => new Date(), data: new DataFolder({ dir: config.server.dataDir, log: silent }) });
    await s.start();
    await s.refresh();
    try {
      let [status] = s.status();
      assert.equal(status!.state, 'warning', status!.lastError);
      assert.equal(status!.count, 1);
      assert.deepEqual(status!.warnings, ['/alice/contacts/nameless.vcf: card 1 (UID a1): has numbers but no name (FN, N, ORG or NICKNAME), left out']);
      await deleteItem(book, 'nameless.vcf');
      await s.refresh();
      [status] = s.status();
      assert.equal(status!.state, 'ok');
      assert.equal(status!.unread, undefined);
      assert.equal(s.search('anna')[0]?.name, 'Anna Berg');
    } finally {
      await s.stop();
    }
  });
});

/** Cards of a text as a plain reader sees them: whether each has a name line and a number with digits. */
function rawCards(text: string): { named: boolean; numbered: boolean }[] {
  const unfolded = text.replace(/\r\n?/g, '\n').replace(/\n+(?=[ \t])\n*[ \t]/g, '');
  return unfolded
    .split(/^[ \t]*(?:[A-Za-z0-9-]+\.)?BEGIN:VCARD[ \t]*$/im)
    .slice(1)
    .map((body) => ({
      named: /^(?:[A-Za-z0-9-]+\.)?(?:FN|ORG|NICKNAME)(?:;[^:\n]*)?:.*\S/im.test(body) || /^(?:[A-Za-z0-9-]+\.)?N(?:;[^:\n]*)?:.*[^;\s]/im.test(body),
      numbered: /^(?:[A-Za-z0-9-]+\.)?TEL(?:;[^:\n]*)?:.*\d/im.test(body),
    }));
}

describe('real-world vCards (../shared/corpus/real-world/vcard)', { skip: CORPUS_SKIP }, () => {
  let dir: string;
  let book: ContactStore;

  before(async () => {
    dir = tempDir();
    book = store(dir, path.join(CORPUS_DIR, 'vcard'));
    await book.start();
  });

  after(() => book.stop());

  test('the folder is read as one source; the files the corpus marks broken are named in its warnings', () => {
    const [status] = book.status();
    assert.equal(status!.state, 'warning', JSON.stringify(status));
    for (const broken of ['kde--vcard4.vcf', 'khard--unparsable.vcf']) {
      assert.ok(status!.warnings!.some((w) => w.startsWith(`${broken}: `)), `${broken} is named: ${status!.warnings!.join('\n')}`);
    }
  });

  for (const { name, bytes } of corpusFiles('vcard')) {
    test(name, () => {
      const text = decodeVcf(bytes);
      const { contacts, unread } = parseVCards(text, name);
      assert.ok(unread.every((line) => line.startsWith(`${name}: `)), unread.join('\n'));
      // Every card with a name and a number is there (or named as skipped), and a phone finds it by name and by number.
      const expected = rawCards(text).filter((c) => c.named && c.numbered).length;
      const skipped = unread.filter((line) => /: skipped/.test(line)).length;
      const listed = contacts.filter((c) => c.numbers.some((n) => /\d/.test(n.number)));
      assert.ok(listed.length + skipped >= expected, `${name}: ${listed.length} listed + ${skipped} skipped < ${expected} cards with a name and a number`);
      for (const contact of listed) {
        const word = contact.name.split(/[\s,.()]+/).find((w) => /\p{L}{2}/u.test(w)) ?? contact.name;
        assert.ok(book.search(word, { limit: 1000 }).some((h) => h.name === contact.name), `${name}: "${contact.name}" by name (${word})`);
        for (const { number } of contact.numbers.filter((n) => /\d/.test(n.number))) {
          const digits = number.replace(/^tel:/i, '').split(/[;,]/)[0]!.replace(/\D/g, '').slice(-6);
          assert.ok(book.search(digits, { limit: 1000 }).some((h) => h.name === contact.name), `${name}: "${contact.name}" by number ${digits}`);
        }
      }
    });
  }
});
