/**
 * Memory and start time of the built server (`bin/ciscophone.js serve`), in its own process:
 *  - the built-in demo configuration (on loopback ports), and the same with 10,000 contacts;
 *  - each with the node options of `npm start` (package.json) and with node's defaults;
 *  - time from process start until both TFTP (an RRQ answered) and HTTP (GET /services answered)
 *    respond; resident memory (VmRSS) once listening and settled, and again after a phone's
 *    requests (menu, phone book search, idle PNG, agenda);
 *  - baseline in the same run: `node` with `fastify` loaded and one route listening (both ways).
 * Median of ROUNDS runs (default 3), interleaved; prints Markdown.
 *
 *   npm run build && node --import tsx bench/memory-start.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { START_FLAGS } from './lib/start-flags.js';

const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
/** Time left for the server to settle after it answers (background loads, first refreshes). */
const SETTLE_MS = 5000;
const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OFFICE = 'SEP008041AEFD7E';
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const { port } = s.address();
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

async function rssMb(pid: number): Promise<number> {
  const m = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** True once the TFTP port answers an RRQ (any answer: an error for a missing file is fine). */
function tftpAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => finish(false), 50);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      s.close();
      done(ok);
    };
    s.on('message', () => finish(true));
    s.on('error', () => finish(false));
    s.send(Buffer.from('\x00\x01missing.bin\x00octet\x00', 'latin1'), port, '127.0.0.1');
  });
}

async function httpAnswers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

interface Run {
  startMs: number;
  listeningMb: number;
  afterRequestsMb: number;
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
  });
}

/** One start of the built server with the demo config (loopback ports) and `contactsFile`, if given. */
async function runServer(dir: string, contactsFile: string | null, flags: string[]): Promise<Run> {
  const demo = await readFile(join(repo, 'assets/demo/ciscophone.yaml'), 'utf8');
  const http = await freePort('tcp');
  const tftp = await freePort('udp');
  const data = await mkdtemp(join(dir, 'data-'));
  let config = demo
    .replace(/http: \{ host: 0\.0\.0\.0, port: \d+ \}/, `http: { host: 127.0.0.1, port: ${http} }\n  publicUrl: "http://127.0.0.1:${http}"\n  dataDir: ${data}`)
    .replace(/tftp: \{ host: 0\.0\.0\.0, port: \d+, root: \.\.\/\.\.\/tftp \}/, `tftp: { host: 127.0.0.1, port: ${tftp}, root: ${join(repo, 'tftp')} }`)
    .replaceAll('../', `${join(repo, 'assets')}/`);
  if (contactsFile) config = config.replace(/path: \S+demo-contacts\.vcf/, `path: ${contactsFile}`);
  if (config.includes('0.0.0.0')) throw new Error('the demo config changed: this benchmark would listen beyond loopback');
  const file = join(data, 'ciscophone.yaml');
  await writeFile(file, config);
  const started = performance.now();
  const child = spawn(process.execPath, [...flags, join(repo, 'bin/ciscophone.js'), 'serve', '--config', file], { cwd: data, stdio: 'ignore' });
  try {
    const services = `http://127.0.0.1:${http}/services?name=${OFFICE}`;
    let tftpUp = false;
    let httpUp = false;
    while (!(tftpUp && httpUp)) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
      if (performance.now() - started > 60_000) throw new Error('the server did not answer within 60 s');
      tftpUp ||= await tftpAnswers(tftp);
      httpUp ||= await httpAnswers(services);
    }
    const startMs = performance.now() - started;
    await sleep(SETTLE_MS);
    const listeningMb = await rssMb(child.pid!);
    for (const path of ['/services?', '/directory/results?q=Anna&', '/idle.png?', '/agenda?']) {
      const url = `http://127.0.0.1:${http}${path}name=${OFFICE}`;
      if (!(await httpAnswers(url))) throw new Error(`${url} failed`);
    }
    await sleep(SETTLE_MS);
    return { startMs, listeningMb, afterRequestsMb: await rssMb(child.pid!) };
  } finally {
    await stopped(child);
  }
}

/** Baseline: node with fastify and one route listening; resident memory after the same settling. */
async function runBaseline(flags: string[]): Promise<number> {
  const port = await freePort('tcp');
  const code = `
    const { default: Fastify } = await import(${JSON.stringify(join(repo, 'node_modules/fastify/fastify.js'))});
    const app = Fastify();
    app.get('/', async () => 'ok');
    await app.listen({ port: ${port}, host: '127.0.0.1' });`;
  const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', code], { stdio: 'ignore' });
  try {
    while (!(await httpAnswers(`http://127.0.0.1:${port}/`))) await sleep(20);
    await sleep(SETTLE_MS);
    return await rssMb(child.pid!);
  } finally {
    await stopped(child);
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'memory-start-'));
  try {
    const cards: string[] = [];
    const FIRST = ['Anna', 'Bernd', 'Clara', 'Dieter', 'Eva', 'Frank', 'Greta', 'Hans', 'Ida', 'Jonas'];
    for (let i = 0; i < 10_000; i++) {
      const first = FIRST[i % 10]!;
      cards.push(['BEGIN:VCARD', 'VERSION:3.0', `FN:${first} Person${i}`, `N:Person${i};${first};;;`, `TEL;TYPE=CELL:+49 171 ${1_000_000 + i}`, `TEL;TYPE=WORK:+49 30 ${2_000_000 + i}`, 'END:VCARD'].join('\r\n'));
    }
    const contacts = join(dir, 'contacts-10000.vcf');
    await writeFile(contacts, `${cards.join('\r\n')}\r\n`);

    const load = [loadavg()[0]!];
    const ways = [
      { label: `npm start (\`${START_FLAGS.join(' ')}\`)`, flags: START_FLAGS },
      { label: "node's defaults", flags: [] },
    ];
    const runs = ways.map(() => ({ demo: [] as Run[], contacts: [] as Run[], baseline: [] as number[] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, way] of ways.entries()) {
        runs[i]!.demo.push(await runServer(dir, null, way.flags));
        runs[i]!.contacts.push(await runServer(dir, contacts, way.flags));
        runs[i]!.baseline.push(await runBaseline(way.flags));
      }
    }
    load.push(loadavg()[0]!);
    const row = (label: string, r: Run[]) =>
      `| ${label} | ${median(r.map((x) => x.startMs)).toFixed(0)} | ${median(r.map((x) => x.listeningMb)).toFixed(0)} | ${median(r.map((x) => x.afterRequestsMb)).toFixed(0)} |`;
    console.log(
      [
        `Memory and start: built server, median of ${ROUNDS} interleaved runs; resident memory ${SETTLE_MS / 1000} s after both ports answered, and ${SETTLE_MS / 1000} s after one phone's menu, search, idle PNG and agenda.`,
        `Machine: ${cpus().length} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average (1 min) ${load.map((l) => l.toFixed(1)).join(' at the start, ')} at the end.`,
        '',
        '| Configuration | start to TFTP + HTTP answering, ms | RSS listening, MB | RSS after phone requests, MB |',
        '|---|---|---|---|',
        ...ways.flatMap((way, i) => [
          row(`built-in demo (5 contacts, demo calendar), ${way.label}`, runs[i]!.demo),
          row(`demo with 10,000 contacts (20,000 numbers), ${way.label}`, runs[i]!.contacts),
          `| baseline: node + fastify, one route, ${way.label} | - | ${median(runs[i]!.baseline).toFixed(0)} | - |`,
        ]),
      ].join('\n'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
