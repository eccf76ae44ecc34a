import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createDigestProxy } from './helpers/dav-proxy.js';
import { createDavClient, createDavFetch } from '../src/dav/index.js';
import { deleteItem, makeAddressBook, makeCalendar, putItem, startRadicale, type Collection, type RadicaleServer } from './helpers/radicale.js';
import { DavError } from '../src/errors.js';

const card = (uid: string, fn: string, tel: string) =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nTEL;TYPE=CELL:${tel}\r\nEND:VCARD\r\n`;

const event = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260102T100000Z\r\nDTEND:20260102T110000Z\r\nSUMMARY:Meeting ${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

describe('DAV client against Radicale', () => {
  let dav: RadicaleServer;
  let book: Collection;
  let calendar: Collection;

  before(async () => {
    dav = await startRadicale({ users: [{ name: 'alice', password: 'secret' }, { name: 'bob', password: 'pässwörd€' }] });
    book = await makeAddressBook(dav, 'alice', 'contacts', 'Phone book');
    calendar = await makeCalendar(dav, 'alice', 'calendar', 'Office');
    await putItem(book, 'a.vcf', card('a', 'Anna Berg', '+49 171 1111111'));
    await putItem(book, 'b.vcf', card('b', 'Bernd Weiß', '+49 89 2222222'));
    await putItem(calendar, 'e1.ics', event('e1'));
  });
  after(async () => dav?.stop());

  test('discovers address books and calendars from the server root, once', async () => {
    const client = createDavClient({ url: dav.url, username: 'alice', password: 'secret', timeoutMs: 5000 });
    const books = await client.collections('addressbook');
    assert.deepEqual(books.map((b) => b.url), [book.url]);
    assert.equal(books[0]!.displayName, 'Phone book');
    assert.equal(books[0]!.supportsSync, true);
    const calendars = await client.collections('calendar');
    assert.deepEqual(calendars.map((c) => c.url), [calendar.url]);
    assert.equal(await client.collections('addressbook'), await client.collections('addressbook'));
  });

  test('a collection URL given directly is used as it is', async () => {
    const client = createDavClient({ url: book.url, username: 'alice', password: 'secret', timeoutMs: 5000 });
    assert.deepEqual((await client.collections('addressbook')).map((b) => b.url), [book.url]);
  });

  test('sync: full, then incremental add/change/delete, then an expired token falls back to a full listing', async () => {
    const client = createDavClient({ url: dav.url, username: 'alice', password: 'secret', timeoutMs: 5000, batchSize: 1 });
    const [c] = await client.collections('addressbook');
    const first = await client.sync(c!);
    assert.equal(first.method, 'sync-collection');
    assert.equal(first.changed.length, 2);
    assert.ok(first.state.syncToken);
    assert.match(first.changed.find((o) => o.url.endsWith('/b.vcf'))!.data, /Bernd Weiß/);

    await putItem(book, 'c.vcf', card('c', 'Carla Zeta', '030 333333'));
    await deleteItem(book, 'a.vcf');
    const second = await client.sync(c!, first.state);
    assert.deepEqual(second.changed.map((o) => o.url), [`${book.url}c.vcf`]);
    assert.deepEqual(second.deleted, [`${book.url}a.vcf`]);
    assert.deepEqual(Object.keys(second.state.etags).sort(), [`${book.url}b.vcf`, `${book.url}c.vcf`]);

    const unchanged = await client.sync(c!, second.state);
    assert.deepEqual([unchanged.changed.length, unchanged.deleted.length], [0, 0]);

    const expired = await client.sync(c!, { ...second.state, syncToken: 'http://radicale.org/ns/sync/0000000000000000000000000000000000000000000000000000000000000000' });
    assert.equal(expired.method, 'sync-collection');
    assert.equal(expired.changed.length, 0, 'etags unchanged: nothing fetched again');
    assert.deepEqual(expired.deleted, []);
  });

  test('ctag + etag listing when sync-collection is not offered', async () => {
    const client = createDavClient({ url: book.url, username: 'alice', password: 'secret', timeoutMs: 5000 });
    const [c] = await client.collections('addressbook');
    c!.supportsSync = false;
    const first = await client.sync(c!);
    assert.equal(first.method, 'listing');
    assert.ok(first.state.ctag);
    const again = await client.sync(c!, first.state);
    assert.equal(again.method, 'ctag');
    await putItem(book, 'd.vcf', card('d', 'Dora', '040 444444'));
    const third = await client.sync(c!, again.state);
    assert.equal(third.method, 'listing');
    assert.deepEqual(third.changed.map((o) => o.url), [`${book.url}d.vcf`]);
    await deleteItem(book, 'd.vcf');
  });

  test('calendars sync the same way', async () => {
    const client = createDavClient({ url: dav.url, username: 'alice', password: 'secret', timeoutMs: 5000 });
    const [cal] = await client.collections('calendar');
    const res = await client.sync(cal!);
    assert.equal(res.changed.length, 1);
    assert.match(res.changed[0]!.data, /SUMMARY:Meeting e1/);
  });

  test('a non-Latin-1 password works (UTF-8 Basic)', async () => {
    await makeAddressBook(dav, 'bob', 'book');
    const client = createDavClient({ url: dav.url, username: 'bob', password: 'pässwörd€', timeoutMs: 5000 });
    assert.equal((await client.collections('addressbook')).length, 1);
  });

  test('wrong password: a clear 401 error', async () => {
    const client = createDavClient({ url: dav.url, username: 'alice', password: 'wrong', timeoutMs: 5000 });
    await assert.rejects(client.collections('addressbook'), (err: unknown) => err instanceof DavError && err.status === 401 && /authentication failed/.test(err.message));
  });

  test('Digest authentication and cross-origin redirects through a proxy', async () => {
    const proxy = await createDigestProxy(dav.url, { user: 'alice', password: 'secret' });
    try {
      const client = createDavClient({ url: `${proxy.redirectUrl}alice/contacts/`, username: 'alice', password: 'secret', timeoutMs: 5000 });
      const [c] = await client.collections('addressbook');
      assert.ok(c);
      const res = await client.sync(c!);
      assert.equal(res.changed.length, 2);
      assert.ok(proxy.digestRequests() > 0, 'requests were authenticated with Digest');
    } finally {
      await proxy.close();
    }
  });

  test('a server that accepts and never answers: timeout error', async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const client = createDavClient({ url: `http://127.0.0.1:${port}/`, username: 'a', password: 'b', timeoutMs: 300 });
      await assert.rejects(client.collections('addressbook'), (err: unknown) => err instanceof DavError && /no answer/.test(err.message));
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    }
  });

  test('a server that is not there: connection error', async () => {
    const server: Server = createHttpServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const client = createDavClient({ url: `http://127.0.0.1:${port}/`, timeoutMs: 1000 });
    await assert.rejects(client.collections('addressbook'), (err: unknown) => err instanceof DavError && /cannot reach/.test(err.message));
  });
});

describe('DAV fetch: a connection closed before any answer', () => {
  test('is sent again once (a kept-alive connection the server just dropped), a second reset is an error', async () => {
    let connections = 0;
    let resets = 1;
    const server = createTcpServer((socket: Socket) => {
      connections++;
      socket.once('data', () => {
        if (resets > 0) {
          resets--;
          socket.resetAndDestroy();
          return;
        }
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: 15\r\nConnection: close\r\n\r\nBEGIN:VCALENDAR');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/feed.ics`;
    try {
      const get = createDavFetch({ timeoutMs: 5000 });
      assert.equal(await (await get(url)).text(), 'BEGIN:VCALENDAR');
      assert.equal(connections, 2);
      resets = 2;
      await assert.rejects(get(url), (err: unknown) => err instanceof DavError && /cannot reach .*ECONNRESET|UND_ERR_SOCKET/.test(err.message));
    } finally {
      server.close();
    }
  });
});
