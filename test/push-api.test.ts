import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { hugePng } from './helpers/huge-png.js';
import { PhoneStandIn, startPushServer, testMac, type PushServer } from './helpers/phone-standin.js';

const TOKEN = 'api-token-0123456789abcdef';
const PUSH = { username: 'push', password: 'push-pass', timeout: 2 };

describe('POST /api/push without api.token', () => {
  it('does not exist (404)', async () => {
    const server = await startPushServer({ phones: [{ mac: testMac(1) }], push: PUSH });
    try {
      const res = await server.app.inject({ method: 'POST', url: '/api/push', headers: { authorization: `Bearer ${TOKEN}` }, payload: { phone: 'all', text: 'hi' } });
      assert.equal(res.statusCode, 404);
      assert.equal(res.headers['content-type']?.toString().startsWith('application/json'), true);
    } finally {
      await server.close();
    }
  });
});

describe('POST /api/push', () => {
  let server: PushServer;
  let phones: PhoneStandIn[];
  let pictures: http.Server;
  let jpeg: Buffer;

  before(async () => {
    phones = await Promise.all([1, 2].map((i) => new PhoneStandIn({ deviceName: `SEP${testMac(i)}` }).start()));
    server = await startPushServer({
      phones: [
        { mac: testMac(1), label: 'Office', ip: phones[0]!.address },
        { mac: testMac(2), label: 'Kitchen', model: '7970', ip: phones[1]!.address },
      ],
      push: PUSH,
      api: { token: TOKEN },
      standIns: phones,
    });
    jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
    // A door camera's snapshot URL.
    pictures = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(jpeg));
    await new Promise<void>((resolve) => pictures.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await server.close();
    await new Promise((resolve) => pictures.close(resolve));
  });

  function post(payload: unknown, token: string | null = TOKEN) {
    return server.app.inject({
      method: 'POST',
      url: '/api/push',
      headers: { 'content-type': 'application/json', ...(token !== null ? { authorization: `Bearer ${token}` } : {}) },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  }

  it('refuses a missing or wrong token with 401, before looking at the body', async () => {
    const none = await post({ phone: 'all', text: 'hi' }, null);
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer');
    const wrong = await post({ nonsense: true }, 'not-the-token');
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(wrong.json(), { error: 'missing or wrong bearer token' });
    const basic = await server.app.inject({ method: 'POST', url: '/api/push', headers: { authorization: `Basic ${TOKEN}` }, payload: {} });
    assert.equal(basic.statusCode, 401);
    assert.equal(phones[0]!.received.length, 0);
  });

  it('pushes to the named phones and answers per phone', async () => {
    const res = await post({ phone: ['Office', `SEP${testMac(2)}`, 'Attic'], text: 'Dinner is ready', title: 'Kitchen' });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { ok: boolean; results: { target: string; status: string; name?: string }[] };
    assert.equal(body.ok, false);
    assert.deepEqual(
      body.results.map((r) => [r.target, r.status]),
      [['Office', 'ok'], [`SEP${testMac(2)}`, 'ok'], ['Attic', 'unknown-phone']],
    );
    assert.equal(body.results[0]!.name, `SEP${testMac(1)}`);
  });

  it('pushes to all phones: dial and play', async () => {
    const res = await post({ phone: 'all', dial: '**600', play: 'ring.raw' });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { ok: boolean; results: { status: string }[] };
    assert.equal(body.ok, true);
    assert.equal(body.results.length, 2);
    assert.ok(phones[0]!.executed.includes('Dial:**600') && phones[0]!.executed.includes('Play:ring.raw'));
  });

  it('takes a picture as base64 or as a URL', async () => {
    const b64 = await post({ phone: 'Kitchen', image: jpeg.toString('base64'), title: 'Door' });
    assert.equal(b64.statusCode, 200, b64.body);
    assert.equal((b64.json() as { ok: boolean }).ok, true);
    const before = phones[0]!.fetched.length;
    const url = await post({ phone: 'Office', image: `http://127.0.0.1:${(pictures.address() as AddressInfo).port}/snapshot.jpg` });
    assert.equal(url.statusCode, 200, url.body);
    assert.equal((url.json() as { ok: boolean }).ok, true);
    const png = phones[0]!.fetched.slice(before).find((f) => f.contentType === 'image/png');
    assert.ok(png, 'the phone fetched the PNG');
    const meta = await sharp(png.body).metadata();
    assert.ok(meta.width! <= 298 && meta.height! <= 144);
  });

  it('answers bad input with 400 and a clear message', async () => {
    const cases: [unknown, RegExp][] = [
      [{ text: 'hi' }, /"phone" is required/],
      [{ phone: 'all', txt: 'hi' }, /unknown property "txt"/],
      [{ phone: 'all' }, /nothing to push/],
      [{ phone: 'all', text: 'a', url: 'http://example.invalid/' }, /only one of text, url and image/],
      [{ phone: 'all', dial: 'call mum' }, /dial:/],
      [{ phone: 'all', play: '../etc/passwd' }, /play:/],
      [{ phone: 'all', url: 'ftp://x/' }, /url/],
      [{ phone: 42, text: 'hi' }, /body\.phone/],
      [{ phone: [], text: 'hi' }, /body\.phone/],
      [{ phone: 'all', text: 'x'.repeat(4001) }, /body\.text/],
      [{ phone: 'all', image: 'bm90IGEgcGljdHVyZQ==' }, /image: not a PNG or JPEG/],
      [{ phone: 'all', image: jpeg.subarray(0, 200).toString('base64') }, /image: the picture cannot be read/],
      // 16000×16000 in 32 kB: refused from its header, before a gigabyte is decoded.
      [{ phone: 'all', image: hugePng(16000, 16000).toString('base64') }, /image: the picture cannot be read \(.*pixel limit/],
      ['{"phone": ', /JSON|json/],
    ];
    for (const [payload, message] of cases) {
      const res = await post(payload);
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`);
      const body = res.json() as { error: string };
      assert.match(body.error, message, JSON.stringify(payload));
    }
  });

  it('says how to send the body when it is not JSON', async () => {
    const payload = JSON.stringify({ phone: 'all', text: 'hi' });
    const plain = await server.app.inject({
      method: 'POST',
      url: '/api/push',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain; charset=utf-8' },
      payload,
    });
    assert.equal(plain.statusCode, 400);
    assert.match((plain.json() as { error: string }).error, /JSON object .*Content-Type: application\/json/);
    const none = await server.app.inject({ method: 'POST', url: '/api/push', headers: { authorization: `Bearer ${TOKEN}` }, payload });
    assert.equal(none.statusCode, 415);
  });

  it('never logs the token', () => {
    assert.ok(!server.logText().includes(TOKEN));
    assert.ok(!server.logText().includes(PUSH.password));
  });
});
