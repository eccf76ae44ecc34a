/**
 * Phone book search latency: 10,000 generated contacts (≈20,000 numbers), name / number / keypad
 * (T9) queries over HTTP against /directory/results, and in memory, beside a bare Fastify route in
 * the same run; plus the resident memory of the built server (`node bin/ciscophone.js serve`, as
 * deployed) with the 10,000 contacts on a first start and on a restart from its cache, beside the
 * same server with an empty phone book.
 * Run: npm run build && node --import tsx bench/directory.ts [--out FILE]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import Fastify from 'fastify';
import { parseConfig } from '../src/config/load.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';

const CONTACTS = 10_000;
const ROUNDS = 2_000;
const FIRST = ['Anna', 'Jürgen', 'Zoë', 'Liam', 'Sarah', 'Björn', 'Chloé', 'Mehmet', 'Grete', 'Oliver', 'Paul', 'Łukasz', 'Emily', 'Hans', 'Ursula'];
const LAST = ['Müller', 'Berg', "O'Brien", 'Schröder', 'Clarke', 'Weiß', 'Nowak', 'Dubois', 'Fischer', 'Brown', 'Öztürk', 'Lange', 'Yılmaz', 'Straßmann', 'Johnson'];

function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function generate(): string {
  const r = rng(42);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const cards: string[] = [];
  for (let i = 0; i < CONTACTS; i++) {
    const first = pick(FIRST);
    const last = `${pick(LAST)}${i % 97 === 0 ? '' : String.fromCharCode(97 + (i % 26))}`;
    const n = () => String(Math.floor(r() * 1e7)).padStart(7, '0');
    cards.push(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${first} ${last}\r\nN:${last};${first};;;\r\nORG:Firma ${i % 300}\r\nTEL;TYPE=CELL:+49 17${i % 10} ${n()}\r\nTEL;TYPE=WORK:+49 89 ${n()}\r\nEND:VCARD\r\n`);
  }
  return cards.join('');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function get(port: number, pathAndQuery: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request({ host: '127.0.0.1', port, path: pathAndQuery, agent, headers: { 'x-CiscoIPPhoneModelName': 'CP-7941G', 'Accept-Charset': 'utf-8' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - start));
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(port: number, paths: string[]): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 200; i++) await get(port, paths[i % paths.length]!);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) times.push(await get(port, paths[i % paths.length]!));
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

function measureMemory(fn: (i: number) => void): { p50: number; p99: number } {
  for (let i = 0; i < 200; i++) fn(i);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    fn(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/**
 * Starts the built server on a config holding one vCard source, runs `queries` searches against
 * it once the phone book is loaded, and returns its resident memory (VmRSS) in MB.
 */
async function serverRss(dir: string, vcf: string, queries: string[]): Promise<number> {
  writeFileSync(
    path.join(dir, 'server.yaml'),
    `pbx: { host: 127.0.0.1 }\nserver: { logLevel: info, http: { host: 127.0.0.1, port: 0 }, tftp: { enabled: false }, provisioningHttp: { enabled: false } }\ndirectory:\n  sources:\n    - { type: vcard, path: ./${vcf} }\n`,
  );
  const child = spawn(process.execPath, [path.resolve('bin/ciscophone.js'), 'serve', '--config', path.join(dir, 'server.yaml')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let log = '';
  child.stdout.on('data', (d) => (log += String(d)));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000);
      const poll = setInterval(() => {
        const listening = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
        if (listening && /phone book refreshed/.test(log)) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(Number(listening[1]));
        }
      }, 50);
    });
    for (let i = 0; i < 500; i++) await get(port, `/directory/results?q=${encodeURIComponent(queries[i % queries.length]!)}`);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
gc();
const before = process.memoryUsage();

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-directory-'));
try {
  writeFileSync(path.join(dir, 'big.vcf'), generate());
  const config = parseConfig(
    'pbx: { host: 127.0.0.1 }\nserver: { publicUrl: "http://127.0.0.1:8080", dataDir: ./in-process-data }\ndirectory:\n  sources:\n    - { type: vcard, path: ./big.vcf }\n',
    path.join(dir, 'ciscophone.yaml'),
  );
  const ctx = createContext({ config, log: createLogger('silent'), ephemeral: true });
  const loadStart = performance.now();
  await ctx.contacts.start();
  const loadMs = performance.now() - loadStart;
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;

  const bare = Fastify();
  bare.get('/bare', async () => 'ok');
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const barePort = (bare.server.address() as { port: number }).port;

  const queries = {
    name: ['mueller', 'berg', 'obrien', 'zoe', 'schrod', 'anna clarke'],
    number: ['0891', '1712', '4917', '55512', '8934'],
    t9: ['6855', '2376', '96', '2662', '7243'],
  };
  const rows: string[] = [];
  const bareLatency = await measure(barePort, ['/bare']);
  for (const [kind, qs] of Object.entries(queries)) {
    const http = await measure(port, qs.map((q) => `/directory/results?q=${encodeURIComponent(q)}`));
    const memory = measureMemory((i) => ctx.contacts.search(qs[i % qs.length]!));
    const hits = qs.map((q) => ctx.contacts.search(q).length).join('/');
    rows.push(`| ${kind} | ${http.p50.toFixed(2)} | ${http.p99.toFixed(2)} | ${memory.p50.toFixed(3)} | ${memory.p99.toFixed(3)} | ${hits} |`);
  }
  gc();
  const afterRun = process.memoryUsage();
  const status = ctx.contacts.status()[0]!;
  writeFileSync(path.join(dir, 'empty.vcf'), '');
  const allQueries = Object.values(queries).flat();
  const rssEmpty = await serverRss(dir, 'empty.vcf', allQueries);
  // First start (the .vcf is parsed and the cache written), then a restart (served from the cache).
  const rssFull = await serverRss(dir, 'big.vcf', allQueries);
  const rssRestart = await serverRss(dir, 'big.vcf', allQueries);
  const report = [
    '## Directory search (bench/directory.ts)',
    '',
    `Machine: ${os.cpus().length} CPU(s) (nproc), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    `Data: ${status.count} generated contacts (two numbers each), loaded and indexed from one .vcf in ${loadMs.toFixed(0)} ms.`,
    `${ROUNDS} sequential keep-alive requests per row (after 200 warm-up), one connection.`,
    '',
    `Baseline, bare Fastify route in the same run: p50 ${bareLatency.p50.toFixed(2)} ms, p99 ${bareLatency.p99.toFixed(2)} ms.`,
    '',
    '| query | HTTP p50 ms | HTTP p99 ms | memory p50 ms | memory p99 ms | hits per query |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Resident memory of the built server (\`node bin/ciscophone.js serve\`) after loading and 500 searches:`,
    `${rssFull.toFixed(0)} MB with the ${status.count} contacts on the first start, ${rssRestart.toFixed(0)} MB after a restart (served from the cache);`,
    `baseline, the same server with an empty phone book: ${rssEmpty.toFixed(0)} MB (the phone book adds ${(rssFull - rssEmpty).toFixed(0)} MB, ${(rssRestart - rssEmpty).toFixed(0)} MB).`,
    'Target: < 150 MB resident.',
    `In this benchmark's own process (tsx compiling TypeScript in-process): JS heap of the phone book and server after GC`,
    `${mb(afterRun.heapUsed - before.heapUsed)} MB (${mb(before.heapUsed)} → ${mb(afterRun.heapUsed)} MB), resident ${mb(afterRun.rss)} MB.`,
    'Targets: p99 < 5 ms, or within 2x of the bare route on a loaded machine.',
    '',
  ].join('\n');
  console.log(report);
  const outAt = process.argv.indexOf('--out');
  if (outAt > 0 && process.argv[outAt + 1]) writeFileSync(process.argv[outAt + 1]!, report);
  await ctx.contacts.stop();
  await app.close();
  await bare.close();
  agent.destroy();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
