/**
 * Kept replies: a request a route answered before is answered again before routing, with the same
 * bytes and headers and the same record, until what the reply was made of changes (the config,
 * the phone book, the events, the minute). Each request on its own TCP connection, as phones make them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parseConfig } from '../src/config/load.js';
import { KEPT_KEY_MAX_CHARS, KeptReplies, type KeptReply } from '../src/http/kept-replies.js';
import { previewMarker } from '../src/http/preview-marker.js';
import { getModel } from '../src/phones/models.js';
import { listeningWithBook, phoneHeaders, vcard } from './helpers/app.js';

const run = promisify(execFile);
const OFFICE = 'SEP008041AEFD7E';
const UNKNOWN = 'SEP00000000BEEF';

interface Answer {
  status: number;
  /** Header lines as sent (name: value), without Date. */
  headers: string[];
  body: Buffer;
}

/** One request on a new connection, HTTP/1.0 like the phones' own client; the raw header lines kept. */
async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const args = ['-sS', '-i', '--http1.0', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
  const { stdout } = await run('curl', args, { encoding: 'buffer', timeout: 30_000, maxBuffer: 1 << 22 });
  const end = stdout.indexOf('\r\n\r\n');
  const lines = stdout.subarray(0, end).toString('latin1').split('\r\n');
  return {
    status: Number(lines[0]!.split(' ')[1]),
    headers: lines.slice(1).filter((l) => !/^date:/i.test(l)),
    body: stdout.subarray(end + 4),
  };
}

describe('kept replies, over real connections', () => {
  let t: Awaited<ReturnType<typeof listeningWithBook>>;
  let base: string;
  let now = new Date('2026-12-04T10:00:05Z');

  before(async () => {
    t = await listeningWithBook(vcard('Anna Alt', '+49 30 1111'), { clock: () => now });
    base = t.base;
  });
  after(async () => {
    await t?.close();
  });

  for (const what of ['/services', `/directory/results?q=Anna&x=1`, '/idle.png']) {
    test(`${what}: the second answer, kept, is the first one byte for byte, and both are recorded`, async () => {
      const url = `${base}${what}${what.includes('?') ? '&' : '?'}name=${OFFICE}`;
      const kept = t.ctx.keptReplies.size;
      const first = await get(url, phoneHeaders('7941'));
      assert.equal(t.ctx.keptReplies.size, kept + 1, 'the route kept its reply');
      const at = t.ctx.activity.get(OFFICE)!.lastHttp!.at;
      now = new Date(now.getTime() + 1000);
      const second = await get(url, phoneHeaders('7941'));
      assert.equal(first.status, 200);
      assert.deepEqual(second, first);
      assert.ok(first.headers.some((h) => h.startsWith('Content-Type: ')) && first.headers.some((h) => h.startsWith('Content-Length: ')), 'canonical names');
      const activity = t.ctx.activity.get(OFFICE)!;
      assert.equal(activity.lastHttp!.path, what.split('?')[0]);
      assert.notEqual(activity.lastHttp!.at, at, 'the kept answer is recorded as a fetch of its own');
    });
  }

  test('the picture changes with the minute it shows', async () => {
    const url = `${base}/idle.png?name=${OFFICE}`;
    now = new Date('2026-12-04T11:00:10Z');
    const first = await get(url);
    now = new Date('2026-12-04T11:00:50Z');
    assert.deepEqual(await get(url), first, 'the same minute: the same picture');
    now = new Date('2026-12-04T11:01:01Z');
    assert.notDeepEqual((await get(url)).body, first.body, 'the next minute: drawn again');
  });

  test('a reloaded config brings its own menu', async () => {
    const url = `${base}/services?name=${OFFICE}`;
    const first = (await get(url)).body.toString();
    assert.doesNotMatch(first, /Weather/);
    t.ctx.config = parseConfig(`server: { publicUrl: "http://phones.test:8080" }\n${t.yaml}services:\n  - { name: Weather, url: "http://example.org/weather.xml" }\n`, path.join(t.dir, 'ciscophone.yaml'));
    assert.match((await get(url)).body.toString(), /Weather/);
  });

  test('a changed phone book brings new result pages', async () => {
    const url = `${base}/directory/results?name=${OFFICE}&q=Anna`;
    assert.doesNotMatch((await get(url)).body.toString(), /Anna Neu/);
    writeFileSync(path.join(t.dir, 'book.vcf'), vcard('Anna Alt', '+49 30 1111') + vcard('Anna Neu', '+49 30 2222'));
    await t.ctx.contacts.refresh();
    assert.match((await get(url)).body.toString(), /Anna Neu/);
  });

  test('another language, another answer', async () => {
    const url = `${base}/services?name=${UNKNOWN}`;
    const english = (await get(url, { 'Accept-Language': 'en-US' })).body.toString();
    const german = (await get(url, { 'Accept-Language': 'de-DE' })).body.toString();
    assert.match(english, /<Title>Services<\/Title>/);
    assert.match(german, /<Title>Dienste<\/Title>/);
  });

  test("the page's screen preview is neither kept nor recorded as the phone", async () => {
    const url = `${base}/services?name=${UNKNOWN.replace('BEEF', 'CAFE')}`;
    const kept = t.ctx.keptReplies.size;
    await get(url, previewMarker());
    await get(url, previewMarker());
    assert.equal(t.ctx.keptReplies.size, kept);
    assert.equal(t.ctx.activity.get(UNKNOWN.replace('BEEF', 'CAFE')), undefined);
  });
});

describe('KeptReplies: what is kept and found', () => {
  const view = { caps: getModel('7941'), language: 'en', charset: 'utf-8', timeZone: 'UTC' } as const;
  const reply = (current = true): KeptReply => ({ status: 200, headers: { 'Content-Length': 1 }, body: Buffer.from('x'), view, isCurrent: () => current });
  const asked = (headers: Record<string, string | string[]> = {}, url = '/services?name=SEP001111000001', method = 'GET') => ({ method, url, headers });

  test('the same URL and identifying headers find it; others do not', () => {
    const replies = new KeptReplies();
    const kept = reply();
    replies.keep(asked({ 'accept-language': 'de' }), kept);
    assert.equal(replies.find(asked({ 'accept-language': 'de', 'user-agent': 'any' })), kept);
    assert.equal(replies.find(asked({ 'accept-language': 'en' })), undefined);
    assert.equal(replies.find(asked({ 'accept-language': 'de' }, '/services?name=SEP001111000002')), undefined);
    assert.equal(replies.find(asked({ 'accept-language': 'de' }, undefined, 'HEAD')), undefined);
  });

  test('a reply no longer current is dropped', () => {
    const replies = new KeptReplies();
    let current = true;
    replies.keep(asked(), { ...reply(), isCurrent: () => current });
    assert.ok(replies.find(asked()));
    current = false;
    assert.equal(replies.find(asked()), undefined);
    assert.equal(replies.size, 0);
  });

  test('never kept: not a GET, the screen preview, repeated identifying headers, an oversized request', () => {
    const replies = new KeptReplies();
    replies.keep(asked({}, undefined, 'POST'), reply());
    replies.keep(asked(previewMarker()), reply());
    replies.keep(asked({ 'accept-charset': ['utf-8', 'iso-8859-1'] }), reply());
    replies.keep(asked({}, `/services?name=SEP001111000001&q=${'x'.repeat(KEPT_KEY_MAX_CHARS)}`), reply());
    assert.equal(replies.size, 0);
  });
});
