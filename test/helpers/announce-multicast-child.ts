/**
 * Runs inside a network namespace that `test/announce-multicast.test.ts` makes (`unshare -n`,
 * loopback only, a route for 239.0.0.0/8 on lo): our server with `announce.multicast` and two
 * phone stand-ins that join the group. Prints one JSON line: what each stand-in was pushed and
 * the datagrams it received (base64).
 */
import { makeWav } from './media-wav.js';
import { PhoneStandIn, startPushServer, testMac } from './phone-standin.js';

const GROUP = '239.18.19.20:24680';
const rate = 8000;
const samples = Array.from({ length: rate }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));

const phones = await Promise.all([1, 2].map((i) => new PhoneStandIn({ deviceName: `SEP${testMac(i)}` }).start()));
const server = await startPushServer({
  phones: phones.map((p, i) => ({ mac: testMac(i + 1), label: `Room${i + 1}`, ip: p.address })),
  push: { username: 'push', password: 'push-pass', timeout: 5 },
  standIns: phones,
  config: { announce: { multicast: GROUP } },
});
try {
  const started = await server.ctx.announcements.start({ phones: 'all', source: { file: makeWav({ rate, channels: [samples] }) }, volume: 50 });
  const received = await Promise.all(phones.map((p) => p.rtpStopped()));
  console.log(
    JSON.stringify({
      started: { multicast: started.multicast, durationMs: started.durationMs, results: started.results.map((r) => ({ ok: r.ok, status: r.status, port: r.port })) },
      phones: phones.map((p, i) => ({ executed: p.executed, stoppedBy: received[i]?.stoppedBy, packets: received[i]?.packets.map((x) => x.data.toString('base64')) ?? [] })),
      samples,
    }),
  );
} finally {
  await server.close();
  await Promise.all(phones.map((p) => p.stop()));
}
