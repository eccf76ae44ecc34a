import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startPushServer, testMac, type PushServer } from './helpers/phone-standin.js';

const USER = 'pushuser';
const PASSWORD = 'S3cret-push-pass';
const OWN_PASSWORD = 'kitchen-only-pass';

/**
 * The whole HTTP response as bytes, from a plain socket (nothing normalised by a client).
 * `keepAlive` leaves out `Connection: close`, so the socket ends only if the server closes it.
 */
function rawGet(url: string, path: string, { keepAlive = false, localAddress = '127.0.0.1' } = {}): Promise<Buffer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: Number(port), host: hostname, localAddress }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

function splitResponse(raw: Buffer): { statusLine: string; headers: [string, string][]; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers = lines.map((l) => {
    const colon = l.indexOf(':');
    return [l.slice(0, colon).toLowerCase(), l.slice(colon + 1).trim()] as [string, string];
  });
  return { statusLine, headers, body: raw.subarray(end + 4) };
}

function query(params: Record<string, string>): string {
  return `/authenticate?${new URLSearchParams(params).toString()}`;
}

describe('GET /authenticate', () => {
  let server: PushServer;
  const office = `SEP${testMac(1)}`;
  const kitchen = `SEP${testMac(2)}`;

  before(async () => {
    server = await startPushServer({
      phones: [
        { mac: testMac(1), label: 'Office' },
        { mac: testMac(2), label: 'Kitchen', push: { username: 'kitchen', password: OWN_PASSWORD } },
      ],
      push: { username: USER, password: PASSWORD },
    });
  });
  after(() => server.close());

  it('answers good credentials with exactly AUTHORIZED and minimal headers', async () => {
    const raw = await rawGet(server.url, query({ UserID: USER, Password: PASSWORD, devicename: office }));
    const { statusLine, headers, body } = splitResponse(raw);
    assert.equal(statusLine, 'HTTP/1.1 200 OK');
    assert.deepEqual(body, Buffer.from('AUTHORIZED', 'ascii'));
    assert.deepEqual(
      headers.map(([name]) => name),
      ['content-type', 'content-length', 'connection', 'date'],
    );
    assert.equal(headers.find(([n]) => n === 'content-type')![1], 'text/plain');
    assert.equal(headers.find(([n]) => n === 'content-length')![1], '10');
    assert.equal(headers.find(([n]) => n === 'connection')![1], 'close');
  });

  it('sends no Keep-Alive header when the phone asks for a persistent connection, and closes it', async () => {
    // Resolves only because the server closes the socket after the answer.
    const raw = await rawGet(server.url, query({ UserID: USER, Password: PASSWORD, devicename: office }), { keepAlive: true });
    const { headers, body } = splitResponse(raw);
    assert.deepEqual(body, Buffer.from('AUTHORIZED', 'ascii'));
    assert.deepEqual(
      headers.map(([name, value]) => (name === 'date' ? name : `${name}: ${value}`)),
      ['content-type: text/plain', 'content-length: 10', 'connection: close', 'date'],
    );
  });

  it('answers the same bytes to inject (no header added by hooks)', async () => {
    const res = await server.app.inject({ method: 'GET', url: query({ UserID: USER, Password: PASSWORD, devicename: office }) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'AUTHORIZED');
    assert.deepEqual(Object.keys(res.headers).sort(), ['connection', 'content-length', 'content-type', 'date']);
  });

  it('refuses a wrong password with UNAUTHORIZED and logs phone and IP, not the password', async () => {
    const wrong = 'wrong-Password-123';
    const res = await server.app.inject({ method: 'GET', url: query({ UserID: USER, Password: wrong, devicename: office }), remoteAddress: '192.0.2.7' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'UNAUTHORIZED');
    const refusal = server.logs.find((l) => l.msg === 'push authentication refused' && l.phone === office);
    assert.ok(refusal, 'refusal logged');
    assert.equal(refusal.ip, '192.0.2.7');
    const request = server.logs.find((l) => l.msg === 'request' && typeof l.path === 'string' && l.path.startsWith('/authenticate'));
    assert.ok(request, 'request logged');
    assert.match(String(request.path), /Password=\*\*\*/);
    assert.ok(!server.logText().includes(wrong), 'wrong password not in the log');
    assert.ok(!server.logText().includes(PASSWORD), 'configured password not in the log');
  });

  it('refuses a wrong user name', async () => {
    const res = await server.app.inject({ method: 'GET', url: query({ UserID: 'someone', Password: PASSWORD, devicename: office }), remoteAddress: '192.0.2.8' });
    assert.equal(res.body, 'UNAUTHORIZED');
  });

  it('uses a phone\'s own push credentials instead of the global ones', async () => {
    const own = await server.app.inject({ method: 'GET', url: query({ UserID: 'kitchen', Password: OWN_PASSWORD, devicename: kitchen }) });
    assert.equal(own.body, 'AUTHORIZED');
    const global = await server.app.inject({ method: 'GET', url: query({ UserID: USER, Password: PASSWORD, devicename: kitchen }), remoteAddress: '192.0.2.9' });
    assert.equal(global.body, 'UNAUTHORIZED');
    const elsewhere = await server.app.inject({ method: 'GET', url: query({ UserID: 'kitchen', Password: OWN_PASSWORD, devicename: office }), remoteAddress: '192.0.2.9' });
    assert.equal(elsewhere.body, 'UNAUTHORIZED');
  });

  it('reads the parameters when the phone appends them to our own ?name=', async () => {
    const params = new URLSearchParams({ UserID: USER, Password: PASSWORD, devicename: office }).toString();
    const res = await server.app.inject({ method: 'GET', url: `/authenticate?name=${office}?${params}` });
    assert.equal(res.body, 'AUTHORIZED');
    const amp = await server.app.inject({ method: 'GET', url: `/authenticate?name=${office}&${params}` });
    assert.equal(amp.body, 'AUTHORIZED');
    const allQuestionMarks = await server.app.inject({ method: 'GET', url: `/authenticate?name=${office}?${params.replace(/&/g, '?')}` });
    assert.equal(allQuestionMarks.body, 'AUTHORIZED');
    assert.ok(!server.logText().includes(PASSWORD), 'the password is masked in every form of the request line');
  });

  it('answers an unknown device exactly like wrong credentials', async () => {
    const from = { localAddress: '127.0.0.10' };
    const unknown = splitResponse(await rawGet(server.url, query({ UserID: USER, Password: PASSWORD, devicename: 'SEP001122334455' }), from));
    const wrong = splitResponse(await rawGet(server.url, query({ UserID: USER, Password: 'wrong', devicename: office }), from));
    const notAPhone = splitResponse(await rawGet(server.url, query({ UserID: USER, Password: PASSWORD, devicename: 'not-a-phone' }), from));
    const withoutDate = (r: ReturnType<typeof splitResponse>) => ({ ...r, headers: r.headers.filter(([k]) => k !== 'date') });
    assert.equal(unknown.body.toString(), 'UNAUTHORIZED');
    assert.deepEqual(withoutDate(unknown), withoutDate(wrong));
    assert.deepEqual(withoutDate(notAPhone), withoutDate(wrong));
  });

  it('handles missing parameters', async () => {
    const get = async (url: string) => (await server.app.inject({ method: 'GET', url, remoteAddress: '192.0.2.11' })).body;
    assert.equal(await get('/authenticate'), 'UNAUTHORIZED');
    assert.equal(await get(query({ devicename: office })), 'UNAUTHORIZED');
    assert.equal(await get(query({ UserID: USER, devicename: office })), 'UNAUTHORIZED');
    assert.equal(await get(query({ Password: PASSWORD, devicename: office })), 'UNAUTHORIZED');
    // A parameter given twice is not a string: refused, not crashed.
    const twice = { body: await get(`${query({ UserID: USER, devicename: office })}&Password=${PASSWORD}&Password=${PASSWORD}`) };
    assert.equal(twice.body, 'UNAUTHORIZED');
  });

  it('survives a 10 kB parameter', async () => {
    const long = 'x'.repeat(10 * 1024);
    const from = { localAddress: '127.0.0.12' };
    const password = await rawGet(server.url, query({ UserID: USER, Password: long, devicename: office }), from);
    assert.equal(splitResponse(password).body.toString(), 'UNAUTHORIZED');
    const device = await rawGet(server.url, query({ UserID: USER, Password: PASSWORD, devicename: long }), from);
    assert.equal(splitResponse(device).body.toString(), 'UNAUTHORIZED');
    const user = await rawGet(server.url, query({ UserID: long, Password: PASSWORD, devicename: office }), from);
    assert.equal(splitResponse(user).body.toString(), 'UNAUTHORIZED');
    const refusals = server.logs.filter((l) => l.msg === 'push authentication refused');
    assert.ok(refusals.length >= 3);
    assert.ok(refusals.every((l) => !JSON.stringify(l).includes(long)), 'the long value is not logged whole');
    // Still answering.
    const ok = await rawGet(server.url, query({ UserID: USER, Password: PASSWORD, devicename: office }));
    assert.equal(splitResponse(ok).body.toString(), 'AUTHORIZED');
  });
});

describe('GET /authenticate under guessing', () => {
  it('refuses an address after 10 failures in a minute, even the right password; other addresses still pass', async () => {
    const server = await startPushServer({ phones: [{ mac: testMac(1) }], push: { username: USER, password: PASSWORD } });
    const office = `SEP${testMac(1)}`;
    const ask = async (password: string, localAddress: string) =>
      splitResponse(await rawGet(server.url, query({ UserID: USER, Password: password, devicename: office }), { localAddress })).body.toString();
    try {
      for (let i = 0; i < 10; i++) assert.equal(await ask(`guess-${i}`, '127.0.0.13'), 'UNAUTHORIZED');
      assert.equal(await ask(PASSWORD, '127.0.0.13'), 'UNAUTHORIZED', 'the 11th attempt is refused without checking');
      assert.equal(await ask('guess-11', '127.0.0.13'), 'UNAUTHORIZED');
      assert.equal(await ask(PASSWORD, '127.0.0.14'), 'AUTHORIZED');
      const throttled = server.logs.filter((l) => /wrong push credentials from 127\.0\.0\.13/.test(String(l.msg)));
      assert.equal(throttled.length, 1, 'one line for the burst');
      assert.equal(server.logs.filter((l) => l.msg === 'push authentication refused' && l.ip === '127.0.0.13').length, 10, 'no line per throttled attempt');
    } finally {
      await server.close();
    }
  });
});

describe('GET /authenticate without push credentials', () => {
  it('refuses every push', async () => {
    const server = await startPushServer({ phones: [{ mac: testMac(1) }] });
    try {
      const res = await server.app.inject({ method: 'GET', url: query({ UserID: '', Password: '', devicename: `SEP${testMac(1)}` }) });
      assert.equal(res.body, 'UNAUTHORIZED');
    } finally {
      await server.close();
    }
  });
});
