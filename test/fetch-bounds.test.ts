/**
 * Every fetch has a limit on decoded bytes, counted while the body streams: a local node:http
 * server sends chunked, gzip, deflate and br bodies (endless ones too), and Radicale behind a
 * front that turns hostile. Over the limit the source reports a clear error (status, web page,
 * `ciscophone directory status`, log), its last good copy stays in service, and memory stays
 * bounded while the body is refused.
 */
import { DataFolder } from '../src/data/data-folder.js';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { MAX_FEED_BYTES } from '../src/calendar/fetch.js';
import { ContactStore } from '../src/contacts/store.js';
import { parseConfig } from '../src/config/load.js';
import { DAV_MAX_RESPONSE_BYTES } from '../src/dav/http.js';
import { createLogger } from '../src/logger.js';
import { readLimited } from '../src/net/bounded-body.js';
import { IMAGE_MAX_BYTES, readImageInput } from '../src/push/image.js';
import { testApp } from './helpers/app.js';
import { runCli } from './helpers/cli.js';
import { makeAddressBook, putItem, startRadicale, type RadicaleServer } from './helpers/radicale.js';
import { BodyTooLargeError, ImageInputError } from '../src/errors.js';

const MB = 1024 * 1024;

type Coding = 'identity' | 'gzip' | 'deflate' | 'br';

/** `total` bytes of `line` repeated (endless when Infinity), produced as they are read. */
function filler(total: number, line = 'X'.repeat(63) + '\n', head = ''): Readable {
  let sent = 0;
  const block = Buffer.from(line.repeat(Math.ceil(65536 / line.length)));
  let first = head.length > 0;
  return new Readable({
    read() {
      if (first) {
        first = false;
        this.push(head);
        return;
      }
      if (sent >= total) return void this.push(null);
      const n = Math.min(block.length, total - sent);
      sent += n;
      this.push(block.subarray(0, n));
    },
  });
}

function encoder(coding: Coding): NodeJS.ReadWriteStream | undefined {
  if (coding === 'gzip') return zlib.createGzip({ level: 1 });
  if (coding === 'deflate') return zlib.createDeflate({ level: 1 });
  if (coding === 'br') return zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } });
  return undefined;
}

/** What the body server saw of one response: bytes it put on the wire before the client hung up. */
interface Sent {
  wire: number;
  aborted: boolean;
}

/** Sends `body` (re-created per request) chunked in the given coding; records what went out. */
function sendBody(res: ServerResponse, body: Readable, coding: Coding, sent: Sent[], headers: Record<string, string> = {}, status = 200): void {
  const record: Sent = { wire: 0, aborted: false };
  sent.push(record);
  res.writeHead(status, { ...headers, ...(coding === 'identity' ? {} : { 'Content-Encoding': coding }) });
  const enc = encoder(coding);
  const stream = enc ? body.pipe(enc) : body;
  stream.on('data', (chunk: Buffer) => {
    record.wire += chunk.length;
    if (!res.write(chunk)) stream.pause();
  });
  res.on('drain', () => stream.resume());
  stream.on('end', () => res.end());
  res.on('close', () => {
    if (!res.writableFinished) {
      record.aborted = true;
      body.destroy();
    }
  });
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Peak growth of resident memory while `work` runs (sampled every 10 ms). */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T | Error; growth: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await work().catch((err: Error) => err);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe('bounded bodies: decoded bytes counted while streaming', () => {
  const sent: Sent[] = [];
  let body: { server: Server; url: string };
  before(async () => {
    body = await listen((req, res) => {
      const u = new URL(req.url!, 'http://x');
      const coding = (u.searchParams.get('coding') ?? 'identity') as Coding;
      const size = u.searchParams.get('size') === 'endless' ? Infinity : Number(u.searchParams.get('size'));
      if (u.pathname === '/declared') {
        // Claims more than the limit up front; the client must not wait for it.
        res.writeHead(200, { 'Content-Length': String(64 * MB) });
        res.write('x'.repeat(1000));
        res.on('close', () => sent.push({ wire: 1000, aborted: !res.writableFinished }));
        return;
      }
      sendBody(res, filler(size), coding, sent);
    });
  });
  after(() => body.server.close());

  for (const coding of ['identity', 'gzip', 'deflate', 'br'] as Coding[]) {
    test(`${coding}: a body within the limit is read whole; one past it is refused and cut off`, async () => {
      const ok = await readLimited(await fetch(`${body.url}/?coding=${coding}&size=${MB}`), MB, 'the test body');
      assert.equal(ok.length, MB);
      const before = sent.length;
      await assert.rejects(
        async () => readLimited(await fetch(`${body.url}/?coding=${coding}&size=endless`), MB, 'the test body'),
        (err: unknown) => err instanceof BodyTooLargeError && err.code === 'ERR_BODY_TOO_LARGE' && err.message === 'the test body is larger than 1 MB; refused',
      );
      // The transfer was cut: the server saw the client go away long before "endless".
      await waitFor(() => sent.length > before && sent.at(-1)!.aborted);
      if (coding !== 'identity') assert.ok(sent.at(-1)!.wire < MB, `${coding}: ${sent.at(-1)!.wire} bytes on the wire for more than 1 MB decoded`);
    });
  }

  test('a declared Content-Length over the limit is refused without reading the body', async () => {
    await assert.rejects(async () => readLimited(await fetch(`${body.url}/declared`), MB, 'the test body'), BodyTooLargeError);
  });

  test('memory stays bounded while an endless gzip body is refused at the ICS limit', async () => {
    const { result, growth } = await peakGrowth(async () => readLimited(await fetch(`${body.url}/?coding=gzip&size=endless`), MAX_FEED_BYTES, 'the feed'));
    assert.ok(result instanceof BodyTooLargeError, String(result));
    // The limit itself (32 MB) is held at most once more while it is joined; never the endless rest.
    assert.ok(growth < 3 * MAX_FEED_BYTES, `resident memory grew by ${Math.round(growth / MB)} MB`);
  });
});

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const GOOD_FEED = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
  'BEGIN:VEVENT', 'UID:good@test', 'DTSTAMP:20260101T000000Z', 'DTSTART:20261023T090000Z', 'DTEND:20261023T100000Z', 'SUMMARY:Board meeting', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n');

describe('an ICS feed over the limit', () => {
  test('chunked gzip feed: clear error in status, web page and log; the last good agenda stays', async () => {
    let hostile = false;
    const sent: Sent[] = [];
    const feed = await listen((_req, res) => {
      if (!hostile) return void res.writeHead(200, { 'Content-Type': 'text/calendar' }).end(GOOD_FEED);
      // A valid start, then more than the limit of text: about 40 kB on the wire.
      sendBody(res, filler(Infinity, 'DESCRIPTION:padding padding padding padding padding padding\r\n', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'), 'gzip', sent, { 'Content-Type': 'text/calendar' });
    });
    const logLines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
    const t = await testApp(`pbx: { host: 127.0.0.1 }\nphones: [ { mac: "008041AEFD7E", model: "7941", lines: [ { number: "620" } ] } ]\ncalendar: { sources: [ { type: ics, name: Work, url: "${feed.url}/work.ics", timeout: 20s } ] }\n`, {
      clock: () => new Date('2026-10-23T06:00:00Z'),
      log,
    });
    try {
      await t.ctx.calendar.start();
      await t.ctx.calendar.refresh();
      assert.equal(t.ctx.calendar.status()[0]!.state, 'ok');
      hostile = true;
      await t.ctx.calendar.refresh();
      const status = t.ctx.calendar.status()[0]!;
      assert.equal(status.state, 'error');
      assert.match(status.lastError!, /^the feed is larger than 32 MB; refused; showing the calendar as of 2026-10-23T06:00:00\.000Z$/);
      assert.deepEqual(t.ctx.calendar.upcoming(undefined, 5).map((e) => e.title), ['Board meeting'], 'the last good copy stays in service');
      await waitFor(() => sent.at(-1)!.aborted);
      assert.ok(sent.at(-1)!.wire < MB, `cut off after ${sent.at(-1)!.wire} bytes on the wire`);
      const health = await t.app.inject({ method: 'GET', url: '/api/ui/health' });
      assert.equal(health.statusCode, 200);
      assert.match((health.json() as { calendar: { lastError?: string }[] }).calendar[0]!.lastError!, /the feed is larger than 32 MB/);
      assert.ok(logLines.some((l) => l.includes('"component":"calendar"') && l.includes('refresh failed') && l.includes('the feed is larger than 32 MB')), logLines.join(''));
    } finally {
      await t.ctx.calendar.stop();
      await t.close();
      feed.server.close();
    }
  });
});

const CARD = (uid: string, name: string, tel: string): string => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${name}`, `TEL;TYPE=CELL:${tel}`, 'END:VCARD', ''].join('\r\n');

describe('CardDAV answers over the limit (Radicale behind a front that turns hostile)', () => {
  let dav: RadicaleServer;
  let front: { server: Server; url: string };
  let hostile = false;
  const sent: Sent[] = [];
  let dir: string;

  before(async () => {
    dav = await startRadicale();
    const book = await makeAddressBook(dav, 'alice', 'contacts', 'Contacts');
    await putItem(book, 'anna.vcf', CARD('anna', 'Anna Berg', '+49 171 2345678'));
    await putItem(book, 'bob.vcf', CARD('bob', 'Bob Stone', '+49 171 1111111'));
    const target = new URL(dav.url);
    front = await listen((req, res) => {
      if (hostile) {
        // A multistatus that never ends, 1 kB of gzip per MB decoded.
        sendBody(res, filler(Infinity, '<d:response><d:href>/x</d:href></d:response>\n', '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">'), 'gzip', sent, { 'Content-Type': 'application/xml; charset=utf-8' }, 207);
        return;
      }
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'fetch-bounds-dav-'));
  });
  after(async () => {
    front?.server.close();
    await dav?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the source reports the refusal (status, `directory status`, log) and keeps its contacts', async () => {
    const yaml = `pbx: { host: 127.0.0.1 }\nserver: { dataDir: ./data }\ndirectory:\n  sources:\n    - { type: carddav, name: Office, url: "${front.url}/alice/", username: alice, password: secret, timeout: 20s }\n`;
    writeFileSync(path.join(dir, 'ciscophone.yaml'), yaml);
    const logLines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
    const config = parseConfig(yaml, path.join(dir, 'ciscophone.yaml'));
    const store = new ContactStore({ config, log, clock: () => new Date(), data: new DataFolder({ dir: config.server.dataDir, log }) });
    await store.start();
    try {
      await store.refresh();
      assert.equal(store.status()[0]!.state, 'ok', store.status()[0]!.lastError);
      assert.equal(store.status()[0]!.count, 2);

      hostile = true;
      const { growth } = await peakGrowth(() => store.refresh());
      const status = store.status()[0]!;
      assert.equal(status.state, 'error');
      assert.match(status.lastError!, /^the answer from http:\/\/127\.0\.0\.1:\d+ \((PROPFIND|REPORT) \/alice\/.*\) is larger than 32 MB; refused$/);
      assert.equal(status.count, 2, 'the last good copy stays in service');
      assert.deepEqual(store.search('anna').map((h) => h.name), ['Anna Berg']);
      assert.ok(growth < 3 * DAV_MAX_RESPONSE_BYTES, `resident memory grew by ${Math.round(growth / MB)} MB`);
      await waitFor(() => sent.at(-1)!.aborted);
      assert.ok(logLines.some((l) => l.includes('is larger than 32 MB; refused')), logLines.join(''));

      const cli = await runCli(['directory', 'status', '--config', path.join(dir, 'ciscophone.yaml')]);
      assert.equal(cli.code, 1);
      assert.match(cli.out, /Office \(carddav\): error, 2 contact\(s\)/);
      assert.match(cli.out, /last error: the answer from http:\/\/127\.0\.0\.1:\d+ \((PROPFIND|REPORT) .*\) is larger than 32 MB; refused/);
    } finally {
      hostile = false;
      await store.stop();
    }
  });
});

describe('push pictures by URL over the limit', () => {
  test('a gzip body that decodes past 10 MB is refused with a clear message', async () => {
    const sent: Sent[] = [];
    const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('latin1');
    const pictures = await listen((_req, res) => sendBody(res, filler(Infinity, '\0'.repeat(64), png), 'gzip', sent, { 'Content-Type': 'image/png' }));
    try {
      await assert.rejects(
        readImageInput(`${pictures.url}/camera.png`),
        (err: unknown) => err instanceof ImageInputError && err.message === `image: the picture is larger than ${IMAGE_MAX_BYTES / MB} MB; refused`,
      );
      await waitFor(() => sent.at(-1)?.aborted === true);
    } finally {
      pictures.server.close();
    }
  });
});
