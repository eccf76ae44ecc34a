import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRtp } from '../src/announce/rtp.js';
import { runCli } from './helpers/cli.js';
import { makeWav } from './helpers/media-wav.js';
import { PhoneStandIn, startPushServer, testMac, type PushServer } from './helpers/phone-standin.js';

const TOKEN = 'announce-api-token-0123456789';
const PUSH = { username: 'push', password: 'push-pass', timeout: 5 };

function toneWav(seconds: number, rate = 16_000): Buffer {
  const samples = Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 523 * i) / rate));
  return makeWav({ rate, channels: [samples] });
}

describe('POST /api/announce and DELETE /api/announce/<id>', () => {
  let server: PushServer;
  let phones: PhoneStandIn[];
  let folder: string;

  before(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'ciscophone-announce-api-'));
    await writeFile(path.join(folder, 'Doorbell.wav'), toneWav(2.5));
    phones = await Promise.all([1, 2].map((i) => new PhoneStandIn({ deviceName: `SEP${testMac(i)}` }).start()));
    server = await startPushServer({
      phones: phones.map((p, i) => ({ mac: testMac(i + 1), label: `Room${i + 1}`, ip: p.address })),
      push: PUSH,
      api: { token: TOKEN },
      standIns: phones,
      config: { ringtones: { folder } },
    });
  });
  after(async () => {
    await server.close();
    await Promise.all(phones.map((p) => p.stop()));
    await rm(folder, { recursive: true, force: true });
  });

  function call(method: string, url: string, body?: unknown, token: string | null = TOKEN): Promise<Response> {
    return fetch(`${server.url}${url}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  it('refuses a missing or wrong token (401) and bad bodies (400) without pushing', async () => {
    assert.equal((await call('POST', '/api/announce', { phones: 'all', ringtone: 'Doorbell' }, null)).status, 401);
    assert.equal((await call('POST', '/api/announce', { phones: 'all', ringtone: 'Doorbell' }, 'wrong-token')).status, 401);
    assert.equal((await call('DELETE', '/api/announce/0123456789abcdef', undefined, null)).status, 401);
    const cases: [unknown, RegExp][] = [
      [{ phones: 'all' }, /exactly one of file, ringtone and say/],
      [{ phones: 'all', ringtone: 'Doorbell', say: 'hi' }, /got ringtone, say/],
      [{ phones: 'all', ringtone: 'Doorbell', volume: 101 }, /volume/],
      [{ phones: 'all', ringtone: 'Doorbell', sound: 'x' }, /unknown property "sound"/],
      [{ ringtone: 'Doorbell' }, /"phones" is required/],
      [{ phones: 'all', ringtone: 'Attic bell' }, /no ring tone "Attic bell".*Doorbell/],
      [{ phones: 'all', file: Buffer.from('no wav here').toString('base64') }, /WAV file: not a RIFF\/WAVE file/],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/api/announce', body);
      const answer = (await res.json()) as { error: string };
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(answer.error, message);
    }
    assert.equal(phones[0]!.received.length, 0);
  });

  it('starts an announcement (202, id, per-phone results) and stops it with DELETE', async () => {
    const res = await call('POST', '/api/announce', { phones: ['Room1', 'Room2', 'Attic'], ringtone: 'doorbell', volume: 60 });
    assert.equal(res.status, 202);
    const answer = (await res.json()) as { ok: boolean; id: string; durationMs: number; results: { target: string; ok: boolean; status: string; port?: number }[] };
    assert.match(answer.id, /^[0-9a-f]{16}$/);
    assert.equal(answer.durationMs, 2500);
    assert.equal(answer.ok, false, 'one phone is unknown');
    assert.deepEqual(answer.results.map((r) => [r.target, r.status]), [['Room1', 'ok'], ['Room2', 'ok'], ['Attic', 'unknown-phone']]);
    const reception = phones[0]!.rtp.at(-1)!;
    assert.equal(reception.uri, `RTPRx:127.0.0.1:${answer.results[0]!.port}:60`);
    while (reception.packets.length < 5) await new Promise((r) => setTimeout(r, 20));
    const stop = await call('DELETE', `/api/announce/${answer.id}`);
    assert.equal(stop.status, 200);
    assert.deepEqual(await stop.json(), { stopped: true, id: answer.id });
    for (const phone of phones) {
      assert.equal(phone.rtp.at(-1)!.stoppedBy, 'RTPRx:Stop');
      assert.ok(phone.rtp.at(-1)!.packets.length < 125, 'stopped before the end');
    }
    assert.equal((await call('DELETE', '/api/announce/0123456789abcdef')).status, 404);
    assert.equal((await call('DELETE', '/api/announce/not-an-id')).status, 404);
  });

  it('plays a WAV file sent in base64 to the end, then RTPRx:Stop', async () => {
    const res = await call('POST', '/api/announce', { phones: 'Room2', file: toneWav(0.5, 44_100).toString('base64') });
    assert.equal(res.status, 202);
    const reception = (await phones[1]!.rtpStopped())!;
    assert.equal(reception.packets.length, 25);
    assert.equal(parseRtp(reception.packets[0]!.data)!.payloadType, 0);
  });

  it('the web page\'s Announce (/api/ui/announce, owner only) starts and stops the same way', async () => {
    const res = await call('POST', '/api/ui/announce', { phone: 'Room1', ringtone: 'Doorbell', volume: 30 }, null);
    assert.equal(res.status, 202);
    const answer = (await res.json()) as { id: string; results: { ok: boolean }[] };
    assert.equal(answer.results[0]!.ok, true);
    const reception = phones[0]!.rtp.at(-1)!;
    assert.match(reception.uri, /^RTPRx:127\.0\.0\.1:\d+:30$/);
    const stop = await call('DELETE', `/api/ui/announce/${answer.id}`, undefined, null);
    assert.equal(stop.status, 200);
    assert.equal(reception.stoppedBy, 'RTPRx:Stop');
    const bad = await call('POST', '/api/ui/announce', { phone: 'Room1' }, null);
    assert.equal(bad.status, 400);
  });

  it('answers 503 with the code when espeak-ng is not installed', async () => {
    const saved = process.env.PATH;
    process.env.PATH = folder; // holds no espeak-ng
    try {
      const res = await call('POST', '/api/announce', { phones: 'all', say: 'Dinner is ready' });
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { error: 'espeak-ng is not installed (Debian package espeak-ng): text cannot be spoken', code: 'CISCOPHONE_ESPEAK_MISSING' });
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('POST /api/announce without api.token', () => {
  it('does not exist (404)', async () => {
    const server = await startPushServer({ phones: [{ mac: testMac(1) }], push: PUSH });
    try {
      const res = await fetch(`${server.url}/api/announce`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"phones":"all","say":"hi"}' });
      assert.equal(res.status, 404);
    } finally {
      await server.close();
    }
  });
});

describe('ciscophone announce', () => {
  let dir: string;
  let phone: PhoneStandIn;
  let config: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ciscophone-announce-cli-'));
    phone = await new PhoneStandIn({ deviceName: `SEP${testMac(1)}` }).start();
    config = path.join(dir, 'ciscophone.yaml');
    await writeFile(
      config,
      JSON.stringify({
        pbx: { host: '127.0.0.1' },
        server: { publicUrl: 'http://127.0.0.1:1', dataDir: path.join(dir, 'data') },
        phones: [{ mac: testMac(1), model: '7941', label: 'Desk', ip: phone.address, lines: [{ number: '600' }] }],
        push: PUSH,
      }),
    );
    await writeFile(path.join(dir, 'chime.wav'), toneWav(0.4));
  });
  after(async () => {
    await phone.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('streams a WAV file and returns when it has played', async () => {
    const res = await runCli(['announce', '--config', config, '--phone', 'Desk', '--file', path.join(dir, 'chime.wav'), '--volume', '40']);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /Desk \(SEP00805A000001\) at 127\.0\.0\.1:\d+: ok/);
    assert.match(res.out, /playing 0\.4 s to 1 phone/);
    const reception = phone.rtp.at(-1)!;
    assert.match(reception.uri, /^RTPRx:127\.0\.0\.1:\d+:40$/);
    assert.equal(reception.stoppedBy, 'RTPRx:Stop', 'told to stop before the command returned');
    assert.equal(reception.packets.length, 20);
  });

  it('reaches a phone without ip: at the address holding its config lock', async () => {
    const other = await new PhoneStandIn({ deviceName: `SEP${testMac(2)}` }).start();
    try {
      const file = path.join(dir, 'locked.yaml');
      const dataDir = path.join(dir, 'locked-data');
      await mkdir(dataDir, { recursive: true });
      await writeFile(path.join(dataDir, 'config-locks.json'), JSON.stringify({ [`SEP${testMac(2)}`]: { address: other.address, since: '2026-12-01T10:00:00.000Z' } }));
      await writeFile(
        file,
        JSON.stringify({
          pbx: { host: '127.0.0.1' },
          server: { publicUrl: 'http://127.0.0.1:1', dataDir },
          phones: [{ mac: testMac(2), model: '7941', label: 'Locked', lines: [{ number: '601' }] }],
          push: PUSH,
        }),
      );
      const res = await runCli(['announce', '--config', file, '--phone', 'Locked', '--file', path.join(dir, 'chime.wav')]);
      assert.equal(res.code, 0, res.err);
      assert.equal(other.rtp.at(-1)!.packets.length, 20);
    } finally {
      await other.stop();
    }
  });

  it('refuses bad usage with exit code 2', async () => {
    assert.equal((await runCli(['announce', '--config', config, '--say', 'hi'])).code, 2);
    const two = await runCli(['announce', '--config', config, '--phone', 'all', '--say', 'hi', '--ringtone', 'x']);
    assert.equal(two.code, 2);
    assert.match(two.err, /exactly one of --file, --ringtone and --say/);
    assert.equal((await runCli(['announce', '--config', config, '--phone', 'all', '--say', 'hi', '--volume', 'loud'])).code, 2);
    assert.equal((await runCli(['announce', '--config', config, '--phone', 'all', '--file', path.join(dir, 'none.wav')])).code, 2);
  });
});
