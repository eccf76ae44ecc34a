/**
 * The owner's page API: who gets in (loopback-only without a password, HTTP Basic with one),
 * that no configured secret ever appears in an answer, the screen preview, and the live events.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { scrubSecrets, secretValues } from '../src/web/secrets.js';
import { DEMO_PHONES, testApp } from './helpers/app.js';
import { checkPhoneXml } from './helpers/phone-xml.js';

const LAN = '192.168.1.20';
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('without admin.password: loopback only, others get 403 with a reason', async () => {
  const t = await testApp();
  try {
    for (const remoteAddress of ['127.0.0.1', '127.5.6.7', '::1', '::ffff:127.0.0.1']) {
      const res = await t.app.inject({ url: '/api/ui/phones', remoteAddress });
      assert.equal(res.statusCode, 200, remoteAddress);
    }
    const page = await t.app.inject({ url: '/', remoteAddress: '127.0.0.1' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>ciscophone<\/title>/);
    const css = await t.app.inject({ url: '/ui/style.css', remoteAddress: '127.0.0.1' });
    assert.equal(css.statusCode, 200);

    for (const url of ['/', '/ui/app.js', '/api/ui/phones', '/api/ui/health']) {
      const res = await t.app.inject({ url, remoteAddress: LAN });
      assert.equal(res.statusCode, 403, url);
      assert.match(res.body, /admin\.password/);
    }
    // Phones still reach their services from the LAN.
    assert.equal((await t.app.inject({ url: '/services?name=SEP008041AEFD7E', remoteAddress: LAN })).statusCode, 200);
  } finally {
    await t.close();
  }
});

test('with admin.password: always required (loopback too), wrong ones refused', async () => {
  const t = await testApp(`pbx: { host: 192.168.1.1 }\nadmin: { password: "door-key-99" }\n${DEMO_PHONES}`);
  try {
    const none = await t.app.inject({ url: '/api/ui/phones', remoteAddress: '127.0.0.1' });
    assert.equal(none.statusCode, 401);
    assert.match(String(none.headers['www-authenticate']), /^Basic realm="ciscophone"/);
    for (const authorization of [basic('admin', 'wrong'), basic('root', 'door-key-99'), basic('admin', ''), 'Bearer door-key-99', 'Basic !!!']) {
      const res = await t.app.inject({ url: '/api/ui/phones', remoteAddress: '127.0.0.1', headers: { authorization } });
      assert.equal(res.statusCode, 401, authorization);
    }
    for (const remoteAddress of ['127.0.0.1', LAN]) {
      const ok = await t.app.inject({ url: '/api/ui/phones', remoteAddress, headers: { authorization: basic('admin', 'door-key-99') } });
      assert.equal(ok.statusCode, 200, remoteAddress);
      const page = await t.app.inject({ url: '/', remoteAddress, headers: { authorization: basic('admin', 'door-key-99') } });
      assert.equal(page.statusCode, 200);
    }
  } finally {
    await t.close();
  }
});

const SECRETS = {
  sip: 'sip-secret-7041',
  ssh: 'ssh-secret-5512',
  unlock: 'unlock-8821',
  pushPhone: 'phone-push-3390',
  push: 'push-secret-1199',
  token: 'api-token-abcdef123',
  admin: 'admin-pass-4455',
  dav: 'dav-secret-6677',
  cal: 'cal-secret-8899',
};

test('no secret appears in any API answer', async () => {
  const t = await testApp(`pbx: { host: 192.168.1.1 }
admin: { password: "${SECRETS.admin}" }
push: { username: pusher, password: "${SECRETS.push}" }
api: { token: "${SECRETS.token}" }
defaults: { sshUser: cisco, sshPassword: "${SECRETS.ssh}", phonePassword: "${SECRETS.unlock}" }
directory: { sources: [ { type: carddav, name: Cloud, url: "http://127.0.0.1:9/dav/", username: me, password: "${SECRETS.dav}" } ] }
calendar: { sources: [ { type: caldav, name: Work, url: "http://127.0.0.1:9/cal/", username: me, password: "${SECRETS.cal}" } ] }
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941", label: Office, lines: [ { number: "620", password: "${SECRETS.sip}" } ], push: { username: p, password: "${SECRETS.pushPhone}" } }
  - { mac: "001120AABBCC", model: "7940", label: Hall, lines: [ { number: "622", password: "${SECRETS.sip}" } ] }
`);
  try {
    assert.deepEqual(new Set(secretValues(t.config)), new Set(Object.values(SECRETS)));
    const headers = { authorization: basic('admin', SECRETS.admin) };
    const get = (url: string) => t.app.inject({ url, remoteAddress: '127.0.0.1', headers });
    const answers = [
      await get('/api/ui/phones'),
      await get('/api/ui/health'),
      await get('/api/ui/ringtones'),
      await get('/api/ui/config-file?phone=Office'),
      await get('/api/ui/config-file?phone=Hall'),
      await get(`/api/ui/preview?path=${encodeURIComponent('/services?name=SEP008041AEFD7E')}`),
      await get(`/api/ui/preview?path=${encodeURIComponent('/directory?name=SEP001120AABBCC')}`),
      await get(`/api/ui/preview?path=${encodeURIComponent('/authenticate?UserID=pusher&Password=x&devicename=SEP008041AEFD7E')}`),
      await t.app.inject({ method: 'POST', url: '/api/ui/push', remoteAddress: '127.0.0.1', headers, payload: { phone: 'Office', text: 'hi' } }),
    ];
    for (const res of answers) {
      assert.ok(res.statusCode < 500, `${res.statusCode} ${res.body}`);
      for (const [kind, secret] of Object.entries(SECRETS)) assert.ok(!res.body.includes(secret), `${kind} secret in ${res.body.slice(0, 200)}`);
    }
    const office = answers[3]!.json() as { file: string; text: string };
    assert.equal(office.file, 'SEP008041AEFD7E.cnf.xml');
    assert.match(office.text, /<authPassword>\*+<\/authPassword>/);
    assert.match(office.text, /<sshPassword>\*+<\/sshPassword>/);
    assert.equal((answers[4]!.json() as { file: string }).file, 'SIP001120AABBCC.cnf');
  } finally {
    await t.close();
  }
});

test('scrubSecrets blanks secrets inside any string', () => {
  assert.deepEqual(scrubSecrets({ a: ['x secret-1 y'], b: 3, c: 'fine' }, ['secret-1']), { a: ['x *** y'], b: 3, c: 'fine' });
});

test('preview: fetched as that model would, without counting as the phone', async () => {
  const t = await testApp();
  try {
    const preview = async (path: string, model?: string) =>
      t.app.inject({ url: `/api/ui/preview?path=${encodeURIComponent(path)}${model ? `&model=${model}` : ''}`, remoteAddress: '127.0.0.1' });

    const hall = (await preview('/services?name=SEP001120AABBCC')).json() as { status: number; body: string; headers: { contentType: string }; model: string };
    assert.equal(hall.status, 200);
    assert.equal(hall.model, '7940');
    assert.match(hall.headers.contentType, /iso-8859-1/i);
    const menu = checkPhoneXml(Buffer.from(hall.body, 'latin1'), hall.headers.contentType);
    assert.equal(menu.kind, 'Menu');
    assert.equal(menu.softKeys.length, 0, 'a 7940 on SIP firmware gets no custom softkeys');

    const png = (await preview('/idle.png?model=7970', '7970')).json() as { encoding: string; body: string; headers: { contentType: string } };
    assert.equal(png.encoding, 'base64');
    assert.equal(png.headers.contentType, 'image/png');
    assert.equal(Buffer.from(png.body, 'base64').subarray(1, 4).toString(), 'PNG');

    const idle = (await preview('/idle?name=SEP008041AEFD7E')).json() as { headers: { refresh?: string } };
    assert.match(idle.headers.refresh ?? '', /^\d+; url=http:\/\/phones\.test:8080\/idle\?name=SEP008041AEFD7E/);

    for (const path of ['/api/ui/phones', '/', '/ui/app.js', 'services', '//evil.example/x']) {
      assert.equal((await preview(path)).statusCode, 400, path);
    }
    assert.equal(t.ctx.activity.get('SEP001120AABBCC'), undefined, 'a preview is not the phone');
    assert.equal(t.ctx.activity.get('SEP008041AEFD7E'), undefined);
  } finally {
    await t.close();
  }
});

test('events: SSE forwards fetches, and stops listening when the client leaves', async () => {
  const t = await testApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const before = t.ctx.activity.listenerCount('fetch');
    const { port } = t.app.server.address() as AddressInfo;
    const request = http.get(`http://127.0.0.1:${port}/api/ui/events`);
    const res = await new Promise<http.IncomingMessage>((resolve) => request.on('response', resolve));
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/event-stream/);
    let text = '';
    res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const until = async (pattern: RegExp): Promise<void> => {
      for (let i = 0; i < 500 && !pattern.test(text); i++) await new Promise((r) => setTimeout(r, 10));
      assert.match(text, pattern);
    };
    await until(/event: hello\ndata: /);
    t.ctx.activity.record({ via: 'tftp', ip: '10.0.0.7', path: 'SEP008041AEFD7E.cnf.xml', status: 'ok' });
    await until(/event: fetch\ndata: \{"name":"SEP008041AEFD7E"/);
    assert.equal(t.ctx.activity.listenerCount('fetch'), before + 1);
    request.destroy();
    for (let i = 0; i < 100 && t.ctx.activity.listenerCount('fetch') > before; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(t.ctx.activity.listenerCount('fetch'), before);

    await t.app.inject({ url: '/services?name=SEP008041AEFD7E' });
    const health = await t.app.inject({ url: '/api/ui/health', remoteAddress: '127.0.0.1' });
    const body = health.json() as { http: { requests: number; byClass: Record<string, number> } };
    assert.ok(body.http.requests >= 1);
    assert.ok(body.http.byClass['2xx']! >= 1);
  } finally {
    await t.close();
  }
});
