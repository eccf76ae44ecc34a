/**
 * What stays true while phone requests are made cheap: every request, each on its own TCP
 * connection as phones make them, still leaves its record (who, what, when) in the log and in the
 * phone's activity; and a search page served again from memory follows the phone book when it changes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createLogger } from '../src/logger.js';
import { listeningWithBook, vcard } from './helpers/app.js';

const run = promisify(execFile);
const OFFICE = 'SEP008041AEFD7E';

describe('phone requests: the record and the cached pages', () => {
  let t: Awaited<ReturnType<typeof listeningWithBook>>;
  let base: string;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    t = await listeningWithBook(vcard('Anna Alt', '+49 30 1111'), { log: createLogger('info', sink) });
    base = t.base;
  });
  after(async () => {
    await t?.close();
  });

  /** One request on a new connection (curl, HTTP/1.0 like the phones' own client: no keep-alive). */
  async function get(url: string): Promise<string> {
    const { stdout } = await run('curl', ['-sS', '--http1.0', url], { timeout: 30_000 });
    return stdout;
  }

  test('each request on its own connection is recorded: phone, address, path, status, time', async () => {
    const before = Date.now();
    for (const p of ['/services', '/idle.png', '/services']) await get(`${base}${p}?name=${OFFICE}`);
    const requests = lines.filter((l) => l.msg === 'request' && l.phone === OFFICE);
    assert.deepEqual(
      requests.map((l) => [l.ip, l.method, l.path, l.status]),
      ['/services', '/idle.png', '/services'].map((p) => ['127.0.0.1', 'GET', `${p}?name=${OFFICE}`, 200]),
    );
    for (const l of requests) assert.ok(typeof l.time === 'number' && l.time >= before - 1000, 'each line has its time');
    const seen = t.ctx.activity.get(OFFICE);
    assert.equal(seen?.ip, '127.0.0.1');
    assert.equal(seen?.lastHttp?.path, '/services');
    assert.ok(Date.parse(seen!.lastHttp!.at) >= before - 1000);
  });

  test('a search page served again follows the phone book when it changes', async () => {
    const url = `${base}/directory/results?name=${OFFICE}&q=Anna`;
    const first = await get(url);
    assert.match(first, /Anna Alt/);
    assert.equal(await get(url), first);
    writeFileSync(path.join(t.dir, 'book.vcf'), vcard('Anna Alt', '+49 30 1111') + vcard('Anna Neu', '+49 30 2222'));
    await t.ctx.contacts.refresh();
    const after = await get(url);
    assert.match(after, /Anna Neu/);
    assert.match(after, /Anna Alt/);
  });
});
