import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { DataFolder } from '../src/data/data-folder.js';
import { connect, createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { ContactStore } from '../src/contacts/store.js';
import { createLogger } from '../src/logger.js';
import { deleteItem, makeAddressBook, putItem, startRadicale, type Collection, type RadicaleServer } from './helpers/radicale.js';

const V3_MUELLER = [
  'BEGIN:VCARD', 'VERSION:3.0', 'UID:mueller', 'FN:Jürgen Müller', 'N:Müller;Jürgen;;;', 'ORG:Müller & Söhne GmbH',
  'NICKNAME:Jogi', 'TEL;TYPE=WORK,VOICE:+49 89 1234567', 'TEL;TYPE=CELL:0171 7654321', 'TEL;TYPE=HOME:+49 89 7777777', 'END:VCARD', '',
].join('\r\n');
const V3_TOM = ['BEGIN:VCARD', 'VERSION:3.0', 'UID:tom', 'FN:Tom & Jerry <QA>', 'N:Jerry;Tom;;;', 'TEL;TYPE=WORK:+44 20 7946 0018', 'END:VCARD', ''].join('\r\n');
const V4_ZOE = ['BEGIN:VCARD', 'VERSION:4.0', 'UID:zoe', 'FN:Zoë Saldaña', 'N:Saldaña;Zoë;;;', 'TEL;VALUE=uri;TYPE=cell:tel:+1-555-010-4477', 'END:VCARD', ''].join('\r\n');
const V3_APPLE = [
  'BEGIN:VCARD', 'VERSION:3.0', 'UID:apple', 'FN:Siobhán O\'Brien', 'N:O\'Brien;Siobhán;;;',
  'item1.TEL:+353 1 6789012', 'item1.X-ABLabel:_$!<Mobile>!$_', 'item2.TEL:+353 1 6789099', 'item2.X-ABLabel:Boat', 'END:VCARD', '',
].join('\r\n');
const V3_ADDED = ['BEGIN:VCARD', 'VERSION:3.0', 'UID:added', 'FN:Anna Berg', 'N:Berg;Anna;;;', 'TEL;TYPE=CELL:+49 171 2345678', 'END:VCARD', ''].join('\r\n');

function configFor(dir: string, source: string) {
  return parseConfig(`pbx: { host: 127.0.0.1 }\nserver: { publicUrl: "http://phones.test:8080", dataDir: ./data }\ndirectory:\n  sources:\n    - ${source}\n`, path.join(dir, 'ciscophone.yaml'));
}

function storeFor(dir: string, source: string): ContactStore {
  const config = configFor(dir, source);
  const log = createLogger('silent');
  return new ContactStore({ config, log, clock: () => new Date(), data: new DataFolder({ dir: config.server.dataDir, log }) });
}

describe('directory: CardDAV against Radicale', () => {
  let dav: RadicaleServer;
  let book: Collection;
  let dir: string;
  const good = () => `{ type: carddav, name: Office, url: "${dav.url}", username: alice, password: secret, timeout: 2s }`;

  before(async () => {
    dav = await startRadicale();
    book = await makeAddressBook(dav, 'alice', 'contacts', 'Contacts');
    await putItem(book, 'mueller.vcf', V3_MUELLER);
    await putItem(book, 'tom.vcf', V3_TOM);
    await putItem(book, 'zoe.vcf', V4_ZOE);
    await putItem(book, 'apple.vcf', V3_APPLE);
    dir = mkdtempSync(path.join(os.tmpdir(), 'directory-carddav-'));
  });
  after(async () => {
    await dav?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('first sync, then an added and a deleted contact through the incremental sync', async () => {
    const store = storeFor(dir, good());
    await store.start();
    await store.refresh();
    try {
      const [status] = store.status();
      assert.equal(status!.state, 'ok', status!.lastError);
      assert.equal(status!.count, 4);
      assert.ok(status!.lastSync);
      assert.deepEqual(store.search('mueller').map((h) => [h.type, h.dial]), [['work', '0891234567'], ['mobile', '01717654321'], ['home', '0897777777']]);
      assert.deepEqual(store.search('6855').map((h) => h.name), ['Jürgen Müller', 'Jürgen Müller', 'Jürgen Müller']);
      assert.equal(store.search('tom')[0]?.name, 'Tom & Jerry <QA>');
      assert.equal(store.search('zoe')[0]?.dial, '0015550104477');
      assert.deepEqual(store.search('obrien').map((h) => h.type), ['mobile', 'Boat']);
      assert.equal(store.lookup('0049891234567'), 'Jürgen Müller');

      await putItem(book, 'added.vcf', V3_ADDED);
      await deleteItem(book, 'tom.vcf');
      await store.refresh();
      assert.equal(store.search('anna')[0]?.name, 'Anna Berg');
      assert.deepEqual(store.search('tom'), []);
      assert.equal(store.status()[0]!.count, 4);
    } finally {
      await store.stop();
    }
  });

  test('wrong password: a clear error, and the cache is still served', async () => {
    const store = storeFor(dir, `{ type: carddav, name: Office, url: "${dav.url}", username: alice, password: wrong, timeout: 2s }`);
    await store.start();
    try {
      assert.equal(store.search('anna')[0]?.name, 'Anna Berg', 'served from the cache before any request');
      await store.refresh();
      const [status] = store.status();
      assert.equal(status!.state, 'error');
      assert.match(status!.lastError ?? '', /authentication failed.*401/);
      assert.doesNotMatch(status!.lastError ?? '', /wrong/);
      assert.equal(status!.count, 4);
      assert.equal(store.search('mueller').length, 3);
    } finally {
      await store.stop();
    }
  });

  test('a server that never answers: timeout, the cache is served', async () => {
    // A TCP forwarder in front of Radicale that can turn silent: it accepts and never answers.
    let silentMode = false;
    const sockets: Socket[] = [];
    const forwarder = createServer((client) => {
      sockets.push(client);
      if (silentMode) return;
      const upstream = connect(dav.port, '127.0.0.1');
      sockets.push(upstream);
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => forwarder.listen(0, '127.0.0.1', r));
    const port = (forwarder.address() as { port: number }).port;
    const source = `{ type: carddav, url: "http://127.0.0.1:${port}/", username: alice, password: secret, timeout: 1s }`;
    const store = storeFor(dir, source);
    await store.start();
    try {
      await store.refresh();
      assert.equal(store.status()[0]!.state, 'ok', store.status()[0]!.lastError);
      silentMode = true;
      sockets.splice(0).forEach((s) => s.destroy());
      await store.refresh();
      const [status] = store.status();
      assert.equal(status!.state, 'error');
      assert.match(status!.lastError ?? '', /no answer .* within 1 s/);
      assert.equal(store.search('anna')[0]?.name, 'Anna Berg', 'cache served');
    } finally {
      await store.stop();
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => forwarder.close(r));
    }
  });

  test('server stopped mid-way: the last good copy is served after a restart as well', async () => {
    const store = storeFor(dir, good());
    await store.start();
    await store.refresh();
    assert.equal(store.status()[0]!.state, 'ok');
    await dav.stop();
    await store.refresh();
    const [status] = store.status();
    assert.equal(status!.state, 'error');
    assert.match(status!.lastError ?? '', /cannot reach/);
    assert.equal(store.search('anna')[0]?.name, 'Anna Berg');
    await store.stop();

    const restarted = storeFor(dir, good());
    await restarted.start();
    try {
      assert.equal(restarted.search('mueller').length, 3, 'index served from the cache file');
      assert.equal(restarted.lookup('+49 89 1234567'), 'Jürgen Müller');
    } finally {
      await restarted.stop();
    }
  });
});
