/**
 * Announcement pacing and CPU with many phones at once, on loopback:
 *  - 1 phone (baseline), 50 phones on one stream (one announcement to 50 phones), and 50 streams of
 *    one phone each (50 announcements at once), each SECONDS long, with `RtpSender`;
 *  - baseline in the same run: the same 50 phones paced by a plain `setInterval(20 ms)`, which
 *    drifts (every late tick is lost for good);
 *  - the receivers run in a separate process (50 UDP sockets), so their work is not counted.
 * Figures: sender lateness against the schedule (mean, max), receiver drift (last arrival minus
 * first minus (n-1)·20 ms), inter-arrival deviation from 20 ms, packets received, sender CPU per
 * stream-second (process.cpuUsage). Prints Markdown.
 *
 *   node --import tsx bench/announce-pacing.ts
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { cpus, loadavg } from 'node:os';
import { PACKET_MS, randomStreamIds, rtpPacket, SAMPLES_PER_PACKET } from '../src/announce/rtp.js';
import { RtpSender } from '../src/announce/sender.js';

const SECONDS = Number(process.env.SECONDS_PER_RUN ?? 10);
const PHONES = 50;
const BASE_PORT = 24_000;

const RECEIVER = `
const dgram = require('node:dgram');
const { performance } = require('node:perf_hooks');
const ports = JSON.parse(process.argv[1]);
const stats = new Map();
let open = 0;
for (const port of ports) {
  const s = { n: 0, first: 0, last: 0, devSum: 0, devMax: 0 };
  stats.set(port, s);
  const socket = dgram.createSocket('udp4');
  socket.on('message', () => {
    const now = performance.now();
    if (s.n > 0) { const d = Math.abs(now - s.last - 20); s.devSum += d; if (d > s.devMax) s.devMax = d; } else s.first = now;
    s.last = now; s.n++;
  });
  socket.bind(port, '127.0.0.1', () => { if (++open === ports.length) process.stdout.write('ready\\n'); });
}
process.stdin.on('data', () => {
  const out = [...stats.values()].map((s) => ({ n: s.n, drift: s.n > 1 ? s.last - s.first - (s.n - 1) * 20 : 0, devMean: s.n > 1 ? s.devSum / (s.n - 1) : 0, devMax: s.devMax }));
  for (const s of stats.values()) Object.assign(s, { n: 0, first: 0, last: 0, devSum: 0, devMax: 0 });
  process.stdout.write(JSON.stringify(out) + '\\n');
});
`;

interface Received { n: number; drift: number; devMean: number; devMax: number }

async function startReceivers(ports: number[]) {
  const child = spawn(process.execPath, ['-e', RECEIVER, JSON.stringify(ports)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w(line);
      } else lines.push(line);
    }
  });
  const next = (): Promise<string> => (lines.length ? Promise.resolve(lines.shift()!) : new Promise((r) => (waiting = r)));
  await next(); // ready
  return {
    async report(count: number): Promise<Received[]> {
      await new Promise((r) => setTimeout(r, 300));
      child.stdin.write('r\n');
      return (JSON.parse(await next()) as Received[]).slice(0, count);
    },
    stop: () => child.kill(),
  };
}

function audio(): Buffer {
  const out = Buffer.alloc(SECONDS * 8000);
  for (let i = 0; i < out.length; i++) out[i] = (i * 37) & 0xff;
  return out;
}

interface Row { name: string; streams: number; lateMean: string; lateMax: string; received: Received[]; cpuMsPerStreamSecond: number }

async function viaSenders(name: string, senders: RtpSender[], streams: number, receivers: Awaited<ReturnType<typeof startReceivers>>, count: number): Promise<Row> {
  const cpu = process.cpuUsage();
  for (const s of senders) s.start();
  await Promise.all(senders.map((s) => s.done));
  const used = process.cpuUsage(cpu);
  const stats = senders.map((s) => s.stats());
  const lateMean = stats.reduce((a, s) => a + s.meanLateMs, 0) / stats.length;
  const lateMax = Math.max(...stats.map((s) => s.maxLateMs));
  return { name, streams, lateMean: lateMean.toFixed(2), lateMax: lateMax.toFixed(1), received: await receivers.report(count), cpuMsPerStreamSecond: (used.user + used.system) / 1000 / (streams * SECONDS) };
}

/** The naive way: a setInterval tick per packet, never catching up. */
async function viaInterval(receivers: Awaited<ReturnType<typeof startReceivers>>): Promise<Row> {
  const socket = dgram.createSocket('udp4');
  const ids = randomStreamIds();
  const data = audio();
  const packets = data.length / SAMPLES_PER_PACKET;
  const cpu = process.cpuUsage();
  let n = 0;
  const start = performance.now();
  let lateSum = 0;
  let lateMax = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const late = performance.now() - (start + (n + 1) * PACKET_MS);
      lateSum += Math.max(0, late);
      lateMax = Math.max(lateMax, late);
      const packet = rtpPacket(ids, n, data.subarray(n * SAMPLES_PER_PACKET, (n + 1) * SAMPLES_PER_PACKET));
      for (let p = 0; p < PHONES; p++) socket.send(packet, BASE_PORT + 2 * p, '127.0.0.1');
      if (++n >= packets) {
        clearInterval(timer);
        resolve();
      }
    }, PACKET_MS);
  });
  const used = process.cpuUsage(cpu);
  await new Promise((r) => setTimeout(r, 100));
  socket.close();
  return { name: `baseline: setInterval(20 ms), ${PHONES} phones`, streams: 1, lateMean: (lateSum / packets).toFixed(2), lateMax: lateMax.toFixed(1), received: await receivers.report(PHONES), cpuMsPerStreamSecond: (used.user + used.system) / 1000 / SECONDS };
}

const ports = Array.from({ length: PHONES }, (_, i) => BASE_PORT + 2 * i);
const receivers = await startReceivers(ports);
const rows: Row[] = [];
try {
  const one = new RtpSender(audio());
  one.add({ host: '127.0.0.1', port: ports[0]! });
  rows.push(await viaSenders('1 phone', [one], 1, receivers, 1));
  const shared = new RtpSender(audio());
  for (const port of ports) shared.add({ host: '127.0.0.1', port });
  rows.push(await viaSenders(`${PHONES} phones, one announcement (one stream, ${PHONES} destinations)`, [shared], PHONES, receivers, PHONES));
  const many = ports.map((port) => {
    const s = new RtpSender(audio());
    s.add({ host: '127.0.0.1', port });
    return s;
  });
  rows.push(await viaSenders(`${PHONES} announcements at once (${PHONES} senders)`, many, PHONES, receivers, PHONES));
  rows.push(await viaInterval(receivers));
} finally {
  receivers.stop();
}

const expected = (SECONDS * 1000) / PACKET_MS;
console.log(`Machine: ${cpus().length} CPUs (nproc), ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}.\n`);
console.log(`${SECONDS} s of audio (${expected} packets per phone), receivers in a separate process on loopback.\n`);
console.log('| Run | sender late mean / max (ms) | receiver drift worst (ms) | inter-arrival deviation mean / worst (ms) | packets received (min of phones) | sender CPU per stream-second (ms) |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const drift = Math.max(...r.received.map((x) => Math.abs(x.drift)));
  const devMean = r.received.reduce((a, x) => a + x.devMean, 0) / r.received.length;
  const devMax = Math.max(...r.received.map((x) => x.devMax));
  const minN = Math.min(...r.received.map((x) => x.n));
  console.log(`| ${r.name} | ${r.lateMean} / ${r.lateMax} | ${drift.toFixed(1)} | ${devMean.toFixed(2)} / ${devMax.toFixed(1)} | ${minN} of ${expected} | ${r.cpuMsPerStreamSecond.toFixed(3)} |`);
}
