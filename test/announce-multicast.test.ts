import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { parseRtp, SAMPLES_PER_PACKET } from '../src/announce/rtp.js';
import { decodeMulaw } from '../src/media/mulaw.js';

const run = promisify(execFile);
const ROOT = path.join(import.meta.dirname, '..');
const CHILD = path.join(import.meta.dirname, 'helpers', 'announce-multicast-child.ts');
// Loopback up, multicast routed to it: the namespace has no other interface, so nothing leaves.
const SETUP = 'ip link set lo up && ip route add 239.0.0.0/8 dev lo && exec "$0" --import tsx "$1"';

interface ChildAnswer {
  started: { multicast: string; durationMs: number; results: { ok: boolean; status: string; port?: number }[] };
  phones: { executed: string[]; stoppedBy?: string; packets: string[] }[];
  samples: number[];
}

it('announce.multicast: one stream, one RTPMRx push per phone, both phones hear it all (in a network namespace of its own)', { timeout: 120_000 }, async (t) => {
  try {
    await run('unshare', ['-n', 'true']);
  } catch (err) {
    t.skip(`network namespaces are not allowed here (unshare -n: ${(err as Error).message.split('\n')[0]}); multicast is never tried on the machine's network`);
    return;
  }
  const { stdout } = await run('unshare', ['-n', 'sh', '-c', SETUP, process.execPath, CHILD], { cwd: ROOT, timeout: 100_000, maxBuffer: 16 * 1024 * 1024 });
  const answer = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildAnswer;
  assert.equal(answer.started.multicast, '239.18.19.20:24680');
  assert.equal(answer.started.durationMs, 1000);
  assert.deepEqual(answer.started.results.map((r) => [r.ok, r.status, r.port]), [[true, 'ok', undefined], [true, 'ok', undefined]]);
  const ssrcs = new Set<number>();
  for (const phone of answer.phones) {
    assert.deepEqual(phone.executed, ['RTPMRx:239.18.19.20:24680:50', 'RTPMRx:Stop']);
    assert.equal(phone.stoppedBy, 'RTPMRx:Stop');
    const packets = phone.packets.map((p) => parseRtp(Buffer.from(p, 'base64'))!);
    assert.equal(packets.length, 50, 'the whole second, 50 packets');
    packets.forEach((p, i) => {
      assert.equal(p.version, 2);
      assert.equal(p.payloadType, 0);
      assert.equal(p.payload.length, SAMPLES_PER_PACKET);
      assert.equal(p.seq, (packets[0]!.seq + i) % 2 ** 16);
      assert.equal(p.timestamp, (packets[0]!.timestamp + i * SAMPLES_PER_PACKET) % 2 ** 32);
      ssrcs.add(p.ssrc);
    });
    const decoded = packets.flatMap((p) => [...p.payload].map(decodeMulaw));
    let ab = 0, aa = 0, bb = 0;
    decoded.forEach((x, i) => ((ab += x * answer.samples[i]!), (aa += x * x), (bb += answer.samples[i]! ** 2)));
    assert.ok(ab / Math.sqrt(aa * bb) > 0.98, 'the same sound');
  }
  assert.equal(ssrcs.size, 1, 'one stream for both phones');
});
