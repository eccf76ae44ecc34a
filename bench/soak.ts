/**
 * Soak: one built server in its own process on loopback, for a while (default 10 minutes), under
 * legitimate and hostile traffic at once:
 *  - phones booting over TFTP: the SEP file with tftp-hpa, then a 5 MB firmware file with curl;
 *  - phone requests over HTTP: Services menu, directory search, idle PNG, agenda;
 *  - hostile traffic: garbage datagrams and unacknowledged read requests (timeout 255, netascii) to
 *    the TFTP port, bad queries (10 kB query strings, broken escapes, odd names) to the phone
 *    services, and oversize feeds (a gzip-compressed chunked ICS feed and CardDAV replies that
 *    decode to 64 MB) as calendar and directory sources.
 * Counts every legitimate request that failed (must be zero), samples the server's resident memory
 * and reports it after the warm-up and its growth to the end of the run.
 *
 * Run: npm run build && node --import tsx bench/soak.ts [--minutes 10] [--out FILE]
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { machineLine } from './lib/load.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const MINUTES = Number(arg('--minutes') ?? 10);
const out = arg('--out') ?? path.join(os.tmpdir(), 'results-soak.md');
const DURATION_MS = MINUTES * 60_000;
/** Memory before this point is start-up (caches filling, the JIT warming): not counted as growth. */
const WARMUP_MS = Math.min(120_000, DURATION_MS * 0.2);
/** Resident memory is averaged over this long at the end of the warm-up and at the end of the run. */
const WINDOW_MS = Math.min(30_000, DURATION_MS * 0.1);
const SAMPLE_MS = 2_000;
const FIRMWARE_BYTES = 5 * 1024 * 1024;
const FIRMWARE = 'SIP41.9-4-2SR4-1S.loads';
const PHONES = [
  { mac: '0011AA000001', model: '7941' },
  { mac: '0011AA000002', model: '7961' },
  { mac: '0011AA000003', model: '7970' },
  { mac: '0011AA000004', model: '7975' },
];
/** Phones booting at once, and phone HTTP clients at once (each waits between requests). */
const BOOTERS = 3;
const HTTP_CLIENTS = 4;
const HTTP_PAUSE_MS = 100;
/** Decoded size of each oversize feed (sent gzip-compressed and chunked). */
const OVERSIZE_BYTES = 64 * 1024 * 1024;
/** Addresses the unacknowledged requests come from: each holds at most `maxPerClient` (8) slots. */
const STALLERS = ['127.0.0.3', '127.0.0.4', '127.0.0.5'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'ciscophone.js');
try {
  readFileSync(path.join(root, 'dist', 'src', 'cli.js'));
} catch {
  console.error('bench/soak.ts runs the built server: npm run build first');
  process.exit(1);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const { port } = s.address();
    s.close();
    return port;
  }
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

// ---------------------------------------------------------------- the server's files and config
const dir = mkdtempSync(path.join(os.tmpdir(), 'ciscophone-soak-'));
const tftpRoot = path.join(dir, 'tftp');
const outDir = path.join(dir, 'out');
mkdirSync(tftpRoot);
mkdirSync(outDir);
const firmware = randomBytes(FIRMWARE_BYTES);
const firmwareHash = createHash('sha256').update(firmware).digest('hex');
writeFileSync(path.join(tftpRoot, FIRMWARE), firmware);

const FIRST = ['Anna', 'Bernd', 'Clara', 'Dieter', 'Eva', 'Frank', 'Greta', 'Hans', 'Ida', 'Jonas'];
const LAST = ['Berg', 'Schmidt', 'Müller', 'Weber', 'Fischer', 'Wagner', 'Becker', 'Hoffmann', 'Koch', 'Richter'];
const cards: string[] = [];
for (let i = 0; i < 500; i++) {
  const first = FIRST[i % 10]!;
  const last = `${LAST[Math.floor(i / 10) % 10]!}${i >= 100 ? ` ${i}` : ''}`;
  cards.push(['BEGIN:VCARD', 'VERSION:3.0', `FN:${first} ${last}`, `N:${last};${first};;;`, `TEL;TYPE=CELL:+49 171 ${String(1_000_000 + i)}`, 'END:VCARD'].join('\r\n'));
}
writeFileSync(path.join(dir, 'book.vcf'), `${cards.join('\r\n')}\r\n`);

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
const events: string[] = [];
for (let i = 0; i < 40; i++) {
  events.push(
    ['BEGIN:VEVENT', `UID:soak-${i}@example.org`, `DTSTAMP:${day(0)}T000000Z`, `DTSTART:${day(i % 7)}T${String(8 + (i % 9)).padStart(2, '0')}0000Z`, 'DURATION:PT1H', `SUMMARY:Meeting ${i} & review`, ...(i % 5 === 0 ? ['RRULE:FREQ=WEEKLY;COUNT=20'] : []), 'END:VEVENT'].join('\r\n'),
  );
}
writeFileSync(path.join(dir, 'home.ics'), ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//soak//EN', ...events, 'END:VCALENDAR', ''].join('\r\n'));

// ---------------------------------------------------------------- the hostile feed server
/** 64 MB of valid-looking text, compressed once (about 0.2 MB on the wire). */
function oversize(head: string, unit: string, tail: string): Buffer {
  const body = Buffer.alloc(OVERSIZE_BYTES, unit);
  return gzipSync(Buffer.concat([Buffer.from(head), body, Buffer.from(tail)]), { level: 9 });
}
const hugeIcs = oversize('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n', 'BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:flood\r\nDTSTART:20260101T000000Z\r\nEND:VEVENT\r\n', 'END:VCALENDAR\r\n');
const hugeDav = oversize('<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">', '<d:response><d:href>/x</d:href></d:response>', '</d:multistatus>');
const feedHits = { ics: 0, dav: 0 };
const feeds = createHttpServer((req, res) => {
  const dav = req.method !== 'GET';
  feedHits[dav ? 'dav' : 'ics']++;
  const body = dav ? hugeDav : hugeIcs;
  // Chunked (no Content-Length) and gzip: the size is only known by decoding it.
  res.writeHead(dav ? 207 : 200, { 'Content-Type': dav ? 'application/xml' : 'text/calendar', 'Content-Encoding': 'gzip', 'Transfer-Encoding': 'chunked' });
  let at = 0;
  const next = () => {
    while (at < body.length) {
      const chunk = body.subarray(at, at + 16_384);
      at += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', next);
    }
    res.end();
  };
  next();
});
await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', () => r()));
const feedPort = (feeds.address() as { port: number }).port;

const httpPort = await freePort('tcp');
const tftpPort = await freePort('udp');
const configFile = path.join(dir, 'ciscophone.yaml');
writeFileSync(
  configFile,
  `server:
  publicUrl: "http://127.0.0.1:${httpPort}"
  dataDir: ./data
  logLevel: warn
  http: { host: 127.0.0.1, port: ${httpPort} }
  tftp: { host: 127.0.0.1, port: ${tftpPort}, root: ./tftp, allow: [ 127.0.0.0/8 ] }
  provisioningHttp: { enabled: false }
pbx: { host: 127.0.0.1 }
phones:
${PHONES.map((p, i) => `  - { mac: "${p.mac}", model: "${p.model}", lines: [ { number: "10${i}", password: "pw-${i}" } ] }`).join('\n')}
directory:
  sources:
    - { type: vcard, name: Book, path: ./book.vcf }
    - { type: carddav, name: Hostile, url: "http://127.0.0.1:${feedPort}/dav/", refresh: 30s, timeout: 10s }
calendar:
  sources:
    - { type: ics, name: Home, path: ./home.ics }
    - { type: ics, name: Hostile, url: "http://127.0.0.1:${feedPort}/feed.ics", refresh: 30s, timeout: 10s }
`,
);

// ---------------------------------------------------------------- the server, and its memory
const serverLog: string[] = [];
const server = spawn(process.execPath, [cli, 'serve', '--config', configFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
let serverExit: string | null = null;
server.on('exit', (code, signal) => (serverExit = `exit ${code ?? signal}`));
for (const stream of [server.stdout, server.stderr]) {
  let rest = '';
  stream.on('data', (d: Buffer) => {
    const lines = (rest + d.toString()).split('\n');
    rest = lines.pop()!;
    serverLog.push(...lines.filter(Boolean));
  });
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function waitForServer(): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (serverExit) throw new Error(`the server stopped at start (${serverExit}): ${serverLog.join('\n')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/services?name=SEP${PHONES[0]!.mac}`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error('the server did not answer within 60 s');
}

// ---------------------------------------------------------------- counting
interface Tally {
  ok: number;
  failed: number;
  latencies: number[];
  failures: string[];
}
const tally = (): Tally => ({ ok: 0, failed: 0, latencies: [], failures: [] });
const legit = { boot: tally(), services: tally(), directory: tally(), idle: tally(), agenda: tally() };
const hostile = { garbage: 0, stalled: 0, badQueries: 0, badStatus: new Map<string, number>(), serverErrors: 0 };
let stopping = false;

function fail(t: Tally, what: string): void {
  t.failed++;
  if (t.failures.length < 10) t.failures.push(what);
}

function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: outDir, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/** A phone boots: its SEP file over TFTP with tftp-hpa, then the firmware with curl (blksize 1428). */
async function booter(n: number): Promise<void> {
  while (!stopping) {
    const phone = PHONES[n % PHONES.length]!;
    const started = performance.now();
    const sep = `SEP${phone.mac}.cnf.xml`;
    const local = `boot-${n}`;
    const a = await run('tftp', ['127.0.0.1', String(tftpPort), '-m', 'binary', '-c', 'get', sep, `${local}.xml`]);
    let problem: string | null = null;
    if (a.code !== 0) problem = `tftp-hpa ${sep}: ${a.output}`;
    else if (!readFileSync(path.join(outDir, `${local}.xml`), 'utf8').includes('<device')) problem = `${sep}: not a device config`;
    else {
      const b = await run('curl', ['-sS', '--tftp-blksize', '1428', '-o', `${local}.bin`, `tftp://127.0.0.1:${tftpPort}/${FIRMWARE}`]);
      if (b.code !== 0) problem = `curl ${FIRMWARE}: ${b.output}`;
      else if (createHash('sha256').update(readFileSync(path.join(outDir, `${local}.bin`))).digest('hex') !== firmwareHash) problem = `${FIRMWARE}: bytes differ`;
    }
    if (problem) fail(legit.boot, problem);
    else {
      legit.boot.ok++;
      legit.boot.latencies.push(performance.now() - started);
    }
    await sleep(500);
  }
}

type Kind = 'services' | 'directory' | 'idle' | 'agenda';
function phoneRequest(kind: Kind): string {
  const name = `SEP${pick(PHONES).mac}`;
  switch (kind) {
    case 'services':
      return `/services?name=${name}`;
    case 'directory':
      return `/directory/results?name=${name}&q=${encodeURIComponent(pick([...FIRST, ...LAST, '2', '53', '+49171']))}`;
    case 'idle':
      return `/idle.png?name=${name}`;
    case 'agenda':
      return `/agenda?name=${name}`;
  }
}

/** A phone's HTTP client: one request after another, each checked (status, well-formed XML, PNG signature). */
async function phoneClient(): Promise<void> {
  const kinds: Kind[] = ['services', 'directory', 'idle', 'agenda'];
  while (!stopping) {
    const kind = pick(kinds);
    const url = phoneRequest(kind);
    const started = performance.now();
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}${url}`, { signal: AbortSignal.timeout(15_000) });
      const body = Buffer.from(await res.arrayBuffer());
      const elapsed = performance.now() - started;
      let problem: string | null = null;
      if (res.status !== 200) problem = `${url}: HTTP ${res.status}`;
      else if (kind === 'idle') {
        if (body.subarray(1, 4).toString() !== 'PNG') problem = `${url}: not a PNG`;
      } else {
        const valid = XMLValidator.validate(body.toString('utf8'));
        if (valid !== true) problem = `${url}: XML not well-formed (${valid.err.msg})`;
      }
      if (problem) fail(legit[kind], problem);
      else {
        legit[kind].ok++;
        legit[kind].latencies.push(elapsed);
      }
    } catch (err) {
      fail(legit[kind], `${url}: ${(err as Error).message}`);
    }
    await sleep(HTTP_PAUSE_MS);
  }
}

async function udpFrom(address: string): Promise<Socket> {
  const s = createSocket('udp4');
  s.on('error', () => undefined);
  await new Promise<void>((r) => s.bind(0, address, () => r()));
  return s;
}

function rrq(name: string, mode: string, options: Record<string, string>): Buffer {
  const parts = [name, mode, ...Object.entries(options).flat()].map((p) => Buffer.from(`${p}\0`, 'latin1'));
  return Buffer.concat([Buffer.from([0, 1]), ...parts]);
}

/** Random bytes, truncated requests, unknown opcodes, ACKs and errors out of nowhere: every 20 ms. */
async function garbage(): Promise<void> {
  const s = await udpFrom('127.0.0.2');
  const shapes = [
    () => randomBytes(1 + Math.floor(Math.random() * 600)),
    () => Buffer.from([0, 1, 0x41, 0x42]),
    () => Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(1400, 0x41)]),
    () => Buffer.from([0, 9, 1, 2, 3]),
    () => Buffer.from([0, 4, 0, 7]),
    () => rrq('../../etc/passwd', 'octet', {}),
    () => rrq(FIRMWARE, 'mail', {}),
    () => rrq(FIRMWARE, 'octet', { blksize: '99999999', windowsize: '-4', tsize: 'x' }),
  ];
  while (!stopping) {
    s.send(pick(shapes)(), tftpPort, '127.0.0.1');
    hostile.garbage++;
    await sleep(20);
  }
  s.close();
}

/** Read requests that are never acknowledged (timeout 255, octet and netascii), from three addresses, one every 500 ms. */
async function staller(): Promise<void> {
  const open: Socket[] = [];
  while (!stopping) {
    const s = await udpFrom(pick(STALLERS));
    s.send(rrq(pick([FIRMWARE, `SEP${PHONES[0]!.mac}.cnf.xml`]), pick(['octet', 'netascii']), { timeout: '255', tsize: '0', blksize: '1428' }), tftpPort, '127.0.0.1');
    hostile.stalled++;
    open.push(s);
    // Kept open (silent) long past the server's silence limit, then dropped.
    if (open.length > 200) open.shift()!.close();
    await sleep(500);
  }
  for (const s of open) s.close();
}

/** Bad queries on the phone services: answered, never a crash; 5xx answers are counted apart. */
async function badQueries(): Promise<void> {
  const name = `SEP${PHONES[1]!.mac}`;
  const shapes = [
    () => `/directory/results?name=${name}&q=${'x'.repeat(10_000)}`,
    () => `/directory/results?name=${name}&q=%E0%A4%A`,
    () => `/directory/results?name=${name}&q=%00%FF%FE&page=-3`,
    () => `/services?name=${'S'.repeat(10_000)}`,
    () => `/services?name=SEPZZZZZZZZZZZZ&page=99999999999999999999`,
    () => `/agenda?name=${name}&page=NaN`,
    () => `/agenda/event?name=${name}&id=${'%25'.repeat(3000)}`,
    () => `/agenda/day?name=${name}&d=20261399`,
    () => `/idle.png?name=SEP000000000000&scale=1e309`,
    () => `/directory/list?name=${name}&group=${encodeURIComponent('<&>"\'')}`,
    () => `/${'a/'.repeat(2000)}`,
  ];
  while (!stopping) {
    const url = pick(shapes)();
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}${url}`, { signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
      const cls = `${Math.floor(res.status / 100)}xx`;
      hostile.badStatus.set(cls, (hostile.badStatus.get(cls) ?? 0) + 1);
      if (res.status >= 500) hostile.serverErrors++;
    } catch {
      hostile.badStatus.set('no answer', (hostile.badStatus.get('no answer') ?? 0) + 1);
    }
    hostile.badQueries++;
    await sleep(200);
  }
}

// ---------------------------------------------------------------- the run
const startedAt = new Date();
await waitForServer();
/** Baseline: the same server answering its first request, before any load. */
const idleRss = rssBytes(server.pid!);
const t0 = Date.now();
const samples: Array<{ at: number; rss: number }> = [];
const sampler = setInterval(() => {
  if (!serverExit) samples.push({ at: Date.now() - t0, rss: rssBytes(server.pid!) });
}, SAMPLE_MS);
const load1 = os.loadavg()[0]!;
const workers = [
  ...Array.from({ length: BOOTERS }, (_, i) => booter(i)),
  ...Array.from({ length: HTTP_CLIENTS }, () => phoneClient()),
  garbage(),
  staller(),
  badQueries(),
];
const progress = setInterval(() => {
  const done = Object.values(legit).reduce((n, t) => n + t.ok, 0);
  const failed = Object.values(legit).reduce((n, t) => n + t.failed, 0);
  const rss = samples.at(-1)?.rss ?? 0;
  console.log(`${Math.round((Date.now() - t0) / 1000)} s: ${done} legitimate ok, ${failed} failed, RSS ${(rss / 2 ** 20).toFixed(0)} MB`);
}, 30_000);
while (Date.now() - t0 < DURATION_MS && !serverExit) await sleep(1000);
stopping = true;
await Promise.all(workers);
clearInterval(sampler);
clearInterval(progress);
const load2 = os.loadavg()[0]!;
server.kill('SIGTERM');
await new Promise((r) => (serverExit ? r(null) : server.once('exit', r)));
feeds.close();
rmSync(dir, { recursive: true, force: true });

// ---------------------------------------------------------------- the report
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0;
};
const mb = (b: number) => (b / 2 ** 20).toFixed(1);
const warm = samples.filter((s) => s.at >= WARMUP_MS && s.at < WARMUP_MS + WINDOW_MS).map((s) => s.rss);
const last = samples.at(-1)?.at ?? 0;
const end = samples.filter((s) => s.at > last - WINDOW_MS).map((s) => s.rss);
const afterWarm = samples.filter((s) => s.at >= WARMUP_MS).map((s) => s.rss);
const growth = ((mean(end) - mean(warm)) / mean(warm)) * 100;
const failedTotal = Object.values(legit).reduce((n, t) => n + t.failed, 0);
const warnings = serverLog.filter((l) => /"level":(40|50|60)|WARN|ERROR|FATAL/.test(l));
const distinct = [...new Set(warnings.map((l) => (/"msg":"([^"]{0,140})/.exec(l)?.[1] ?? l.slice(0, 140))))].slice(0, 8);

const rows = (Object.entries(legit) as Array<[string, Tally]>).map(
  ([k, t]) => `| ${k === 'boot' ? `TFTP boot (SEP file + ${FIRMWARE_BYTES / 2 ** 20} MB firmware)` : k} | ${t.ok} | ${t.failed} | ${quantile(t.latencies, 0.5).toFixed(0)} | ${quantile(t.latencies, 0.99).toFixed(0)} | ${Math.max(0, ...t.latencies).toFixed(0)} |`,
);
const lines = [
  `## Soak (${MINUTES} min${MINUTES < 10 ? `, shorter than the 10-minute default` : ''})`,
  '',
  machineLine(),
  `Started ${startedAt.toISOString()}; load average (1 min) ${load1.toFixed(1)} at the start, ${load2.toFixed(1)} at the end (other work shares the machine).`,
  '',
  `One built server (\`bin/ciscophone.js serve\`, own process, log level warn) on loopback; ${BOOTERS} phones booting in a loop over TFTP, ${HTTP_CLIENTS} phone HTTP clients (${HTTP_PAUSE_MS} ms between requests), and at the same time: ${hostile.garbage} garbage datagrams, ${hostile.stalled} unacknowledged read requests (timeout 255, octet/netascii, from ${STALLERS.length} addresses), ${hostile.badQueries} bad queries, and oversize feeds (${OVERSIZE_BYTES / 2 ** 20} MB decoded, gzip + chunked) fetched ${feedHits.ics} times as an ICS source and ${feedHits.dav} times as CardDAV replies.`,
  '',
  '| Legitimate requests | ok | failed | p50 ms | p99 ms | max ms |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  `Failed legitimate requests: **${failedTotal}**.${failedTotal ? ` First ones: ${Object.values(legit).flatMap((t) => t.failures).slice(0, 5).join('; ')}` : ''}`,
  `Bad queries answered: ${[...hostile.badStatus].map(([k, v]) => `${k} ${v}`).join(', ')}; server errors (5xx) among them: ${hostile.serverErrors}.`,
  `Server process: ${serverExit && serverExit !== 'exit 0' ? `ended ${serverExit}` : 'ran to the end, stopped cleanly on SIGTERM'}; ${warnings.length} warning/error log lines${distinct.length ? ` (distinct: ${distinct.map((d) => `"${d}"`).join('; ')})` : ''}.`,
  '',
  `Resident memory of the server (sampled every ${SAMPLE_MS / 1000} s): ${mb(idleRss)} MB idle right after start (baseline, same run), ${mb(mean(warm))} MB after the ${WARMUP_MS / 1000} s warm-up (mean over ${WINDOW_MS / 1000} s), ${mb(mean(end))} MB at the end (mean over the last ${WINDOW_MS / 1000} s), highest after warm-up ${mb(Math.max(0, ...afterWarm))} MB: growth **${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %**.`,
];
console.log(lines.join('\n'));
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`\nwritten to ${out}`);
process.exit(failedTotal === 0 && !(serverExit && serverExit !== 'exit 0') ? 0 : 1);
