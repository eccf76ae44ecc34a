import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { speak, wavToMulaw } from '../src/announce/audio.js';
import { parseRtp, rtpPacket, PAYLOAD_PCMU, SAMPLES_PER_PACKET } from '../src/announce/rtp.js';
import { hasCode } from '../src/errors.js';
import { decodeMulaw } from '../src/media/mulaw.js';
import { makeWav } from './helpers/media-wav.js';
import { PhoneStandIn, startPushServer, testMac, type PushServer, type RtpReception } from './helpers/phone-standin.js';

const PUSH = { username: 'push', password: 'push-pass', timeout: 5 };
const ESPEAK = '/usr/bin/espeak-ng';

/** Two tones (440 Hz + 697 Hz) at 22,050 Hz, `seconds` long. */
function toneSamples(seconds: number, rate = 22_050): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < out.length; i++) out[i] = 0.4 * Math.sin((2 * Math.PI * 440 * i) / rate) + 0.3 * Math.sin((2 * Math.PI * 697 * i) / rate);
  return out;
}

function toneWav(seconds: number): Buffer {
  return makeWav({ rate: 22_050, channels: [toneSamples(seconds)] });
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

interface Checked {
  ssrc: number;
  samples: Float32Array;
  durationMs: number;
  jitter: { meanMs: number; maxMs: number; driftMs: number };
}

/** Asserts RFC 3550 §5.1 on every packet and returns the decoded audio and the timing. */
function checkStream(reception: RtpReception): Checked {
  const packets = reception.packets.map((p) => ({ at: p.at, rtp: parseRtp(p.data)! }));
  assert.ok(packets.length > 0, 'packets arrived');
  const first = packets[0]!.rtp;
  for (const [i, { rtp }] of packets.entries()) {
    assert.equal(rtp.version, 2, 'version 2');
    assert.equal(rtp.payloadType, PAYLOAD_PCMU, 'payload type 0 (PCMU)');
    assert.equal(rtp.payload.length, SAMPLES_PER_PACKET, '160-byte payload');
    assert.equal(rtp.ssrc, first.ssrc, 'one SSRC');
    assert.equal(rtp.seq, (first.seq + i) % 2 ** 16, `sequence +1 at packet ${i} (none lost, none reordered on loopback)`);
    assert.equal(rtp.timestamp, (first.timestamp + i * SAMPLES_PER_PACKET) % 2 ** 32, `timestamp +160 at packet ${i}`);
    assert.equal(rtp.marker, i === 0, 'marker on the first packet only');
  }
  const samples = new Float32Array(packets.length * SAMPLES_PER_PACKET);
  packets.forEach(({ rtp }, i) => rtp.payload.forEach((b, j) => (samples[i * SAMPLES_PER_PACKET + j] = decodeMulaw(b))));
  const gaps = packets.slice(1).map((p, i) => Math.abs(p.at - packets[i]!.at - 20));
  const driftMs = packets.length > 1 ? packets.at(-1)!.at - packets[0]!.at - (packets.length - 1) * 20 : 0;
  return {
    ssrc: first.ssrc,
    samples,
    durationMs: packets.length * 20,
    jitter: { meanMs: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length), maxMs: Math.max(0, ...gaps), driftMs },
  };
}

function report(t: TestContext, what: string, j: Checked['jitter']): void {
  t.diagnostic(`${what}: inter-arrival deviation from 20 ms mean ${j.meanMs.toFixed(2)} ms, max ${j.maxMs.toFixed(2)} ms; drift over the stream ${j.driftMs.toFixed(2)} ms`);
}

describe('RTP packets (RFC 3550 §5.1)', () => {
  it('wraps the sequence number at 2^16 and the timestamp at 2^32', () => {
    const ids = { ssrc: 0xdeadbeef, firstSeq: 65_535, firstTimestamp: 2 ** 32 - 100 };
    const payload = Buffer.alloc(160, 0xff);
    const a = parseRtp(rtpPacket(ids, 0, payload))!;
    const b = parseRtp(rtpPacket(ids, 1, payload))!;
    assert.deepEqual([a.seq, b.seq, a.timestamp, b.timestamp, b.ssrc], [65_535, 0, 2 ** 32 - 100, 60, 0xdeadbeef]);
    assert.equal(rtpPacket(ids, 0, payload).length, 12 + 160);
  });
});

describe('announcements to phone stand-ins', () => {
  let server: PushServer;
  let phones: PhoneStandIn[];
  let refusing: PhoneStandIn;
  let folder: string;

  before(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'ciscophone-announce-'));
    await writeFile(path.join(folder, 'doorbell.wav'), toneWav(0.6));
    phones = await Promise.all([1, 2].map((i) => new PhoneStandIn({ deviceName: `SEP${testMac(i)}` }).start()));
    refusing = await new PhoneStandIn({ deviceName: `SEP${testMac(3)}`, mode: 'error4' }).start();
    server = await startPushServer({
      phones: [
        { mac: testMac(1), label: 'Office', ip: phones[0]!.address },
        { mac: testMac(2), label: 'Kitchen', model: '7970', ip: phones[1]!.address },
        { mac: testMac(3), label: 'Hall', ip: refusing.address },
      ],
      push: PUSH,
      standIns: [...phones, refusing],
      config: { ringtones: { folder }, announce: { maxSeconds: 3 } },
    });
  });
  after(async () => {
    await server.close();
    await Promise.all([...phones, refusing].map((p) => p.stop()));
    await rm(folder, { recursive: true, force: true });
  });

  it('streams a WAV file whole to every phone that took RTPRx, reports the one that refused, then pushes RTPRx:Stop', async (t) => {
    const seconds = 1.5;
    const started = await server.ctx.announcements.start({ phones: 'all', source: { file: toneWav(seconds) }, volume: 80 });
    assert.equal(started.durationMs, 1500);
    assert.equal(started.cut, false);
    const hall = started.results.find((r) => r.label === 'Hall')!;
    assert.equal(hall.ok, false);
    assert.equal(hall.status, 'wrong-credentials');
    const ssrcs = new Set<number>();
    for (const [i, phone] of phones.entries()) {
      const result = started.results.find((r) => r.name === `SEP${testMac(i + 1)}`)!;
      assert.equal(result.ok, true, result.message);
      const reception = (await phone.rtpStopped())!;
      const m = /^RTPRx:127\.0\.0\.1:(\d+):80$/.exec(reception.uri);
      assert.ok(m, reception.uri);
      const port = Number(m[1]);
      assert.equal(port, result.port);
      assert.ok(port % 2 === 0 && port >= 20480 && port <= 32768, `even port in 20480-32768: ${port}`);
      assert.equal(reception.stoppedBy, 'RTPRx:Stop');
      assert.deepEqual(phone.executed, [reception.uri, 'RTPRx:Stop']);
      const got = checkStream(reception);
      ssrcs.add(got.ssrc);
      assert.ok(Math.abs(got.durationMs - seconds * 1000) <= 20, `duration ${got.durationMs} ms`);
      // The source as the phone should hear it: the same tones at 8 kHz.
      const expected = toneSamples(seconds, 8000);
      const c = correlation(got.samples, expected);
      assert.ok(c > 0.98, `correlation with the source ${c.toFixed(4)}`);
      report(t, `phone ${i + 1}`, got.jitter);
    }
    assert.equal(ssrcs.size, 1, 'one SSRC for the announcement');
    assert.deepEqual(refusing.rtp, [], 'no stream told to the refusing phone');
    assert.equal(server.ctx.announcements.isRunning(started.id), false);
  });

  it('stops mid-stream: fewer packets, then RTPRx:Stop', async () => {
    const phone = phones[0]!;
    const before = phone.rtp.length;
    const started = await server.ctx.announcements.start({ phones: 'Office', source: { file: toneWav(3) } });
    assert.equal(started.durationMs, 3000);
    const reception = phone.rtp[before]!;
    while (reception.packets.length < 10) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await server.ctx.announcements.stop(started.id), true);
    assert.equal(reception.stoppedBy, 'RTPRx:Stop');
    const count = reception.packets.length;
    assert.ok(count < 150, `stopped early (${count} of 150 packets)`);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(reception.packets.length, count, 'nothing after the stop');
    checkStream(reception);
    assert.equal(await server.ctx.announcements.stop('0123456789abcdef'), false, 'unknown id');
  });

  it('a new announcement takes a phone over: the old stream stops going to it, one RTPRx:Stop at the end', async () => {
    const phone = phones[1]!;
    const first = await server.ctx.announcements.start({ phones: ['Kitchen', 'Office'], source: { file: toneWav(3) } });
    const oldReception = phone.rtp.at(-1)!;
    while (oldReception.packets.length < 5) await new Promise((r) => setTimeout(r, 20));
    const executedBefore = phone.executed.length;
    const second = await server.ctx.announcements.start({ phones: 'Kitchen', source: { ringtone: 'doorbell' } });
    assert.equal(second.results[0]!.ok, true);
    const newReception = (await phone.rtpStopped())!;
    assert.notEqual(newReception, oldReception);
    const got = checkStream(newReception);
    assert.ok(Math.abs(got.durationMs - 600) <= 20, `the ring tone's source WAV whole: ${got.durationMs} ms`);
    assert.notEqual(got.ssrc, checkStream(oldReception).ssrc);
    assert.deepEqual(phone.executed.slice(executedBefore), [newReception.uri, 'RTPRx:Stop']);
    assert.equal(server.ctx.announcements.isRunning(first.id), true, 'still playing to the Office');
    await server.ctx.announcements.stop(first.id);
    assert.deepEqual(phone.executed.slice(executedBefore), [newReception.uri, 'RTPRx:Stop'], 'no Stop from the old announcement');
  });

  it('cuts sound longer than announce.maxSeconds', async () => {
    const started = await server.ctx.announcements.start({ phones: 'Office', source: { file: toneWav(4) } });
    assert.equal(started.cut, true);
    assert.equal(started.durationMs, 3000);
    await server.ctx.announcements.stop(started.id);
  });

  it('refuses an unknown ring tone, a broken WAV and a volume out of range before pushing anything', async () => {
    const pushes = phones[0]!.received.length;
    await assert.rejects(server.ctx.announcements.start({ phones: 'all', source: { ringtone: 'nope' } }), (err) => hasCode(err, 'CISCOPHONE_ANNOUNCE_SOURCE') && /doorbell/.test((err as Error).message));
    await assert.rejects(server.ctx.announcements.start({ phones: 'all', source: { file: Buffer.from('not a wav') } }), (err) => hasCode(err, 'CISCOPHONE_ANNOUNCE_SOURCE'));
    await assert.rejects(server.ctx.announcements.start({ phones: 'all', source: { file: toneWav(0.2) }, volume: 101 }), (err) => hasCode(err, 'CISCOPHONE_ANNOUNCE_SOURCE'));
    assert.equal(phones[0]!.received.length, pushes);
  });

  it('speaks text with espeak-ng in the phone\'s language', { skip: existsSync(ESPEAK) ? false : `${ESPEAK} is not installed` }, async (t) => {
    const phone = phones[0]!;
    const started = await server.ctx.announcements.start({ phones: 'Office', source: { say: 'Dinner is ready' } });
    const reception = (await phone.rtpStopped())!;
    const got = checkStream(reception);
    // What espeak-ng says for the same text, through the same conversion.
    const direct = wavToMulaw(await speak('Dinner is ready', 'en'), 60 * 8000).mulaw;
    const directMs = Math.ceil(direct.length / 160) * 20;
    assert.equal(started.durationMs, directMs);
    assert.ok(Math.abs(got.durationMs - directMs) <= 20, `duration ${got.durationMs} ms vs ${directMs} ms`);
    const c = correlation(got.samples, Float32Array.from(direct, decodeMulaw));
    assert.ok(c > 0.95, `correlation ${c.toFixed(4)}`);
    report(t, 'speech', got.jitter);
  });

  it('says espeak-ng is not installed when it is not on the PATH, and pushes nothing', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'ciscophone-nopath-'));
    const saved = process.env.PATH;
    const pushes = phones[0]!.received.length;
    process.env.PATH = empty;
    try {
      await assert.rejects(
        server.ctx.announcements.start({ phones: 'Office', source: { say: 'hello' } }),
        (err) => hasCode(err, 'CISCOPHONE_ESPEAK_MISSING') && /espeak-ng is not installed/.test((err as Error).message),
      );
    } finally {
      process.env.PATH = saved;
      await rm(empty, { recursive: true, force: true });
    }
    assert.equal(phones[0]!.received.length, pushes);
  });
});
