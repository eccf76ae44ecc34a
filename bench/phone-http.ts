/**
 * Phone-pattern HTTP: each request on a new TCP connection, as the phones fetch, for three things
 * phones ask most: the Services menu, a phone book search and the (cached) idle PNG. The built
 * server (`bin/ciscophone.js serve` with the node options of `npm start`, log level info, its log
 * to /dev/null) against a bare `node:http` server sending the same bytes with the same headers,
 * both in their own process, the same client (ApacheBench `ab`, no keep-alive: one connection per request), interleaved rounds;
 * prints medians as Markdown.
 *
 *   npm run build && node --import tsx bench/phone-http.ts        (ROUNDS=3 SECONDS=3 CONCURRENCY=10)
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { START_FLAGS } from './lib/start-flags.js';

const run = promisify(execFile);
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
const SECONDS = Math.max(1, Number(process.env.SECONDS ?? 3));
const CONCURRENCY = Math.max(1, Number(process.env.CONCURRENCY ?? 10));
const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PHONE = 'SEP001111000001';
const PATHS = {
  '/services': `/services?name=${PHONE}`,
  'directory search': `/directory/results?name=${PHONE}&q=Anna`,
  '/idle.png (cached)': `/idle.png?name=${PHONE}`,
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function waitFor(url: string): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within 60 s`);
}

/** CPU time (user + system) a process has used, in ms (Linux /proc; clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Requests per second ab reaches in SECONDS, and the server's CPU time per request in µs (which a
 * shared machine disturbs less than the rate); throws on failed or non-2xx requests.
 */
async function ab(url: string, pid: number): Promise<{ rate: number; cpuUs: number }> {
  const before = await cpuMs(pid);
  const { stdout } = await run('ab', ['-q', '-t', String(SECONDS), '-n', '10000000', '-c', String(CONCURRENCY), url], { maxBuffer: 1 << 20 });
  const used = (await cpuMs(pid)) - before;
  // ab counts an answer whose length differs from the first as failed: the idle screen shows the
  // clock, so its picture changes (and its length with it) when the minute turns. Others count.
  const failures = /\(Connect: (\d+), Receive: (\d+), Length: \d+, Exceptions: (\d+)\)/.exec(stdout);
  const failed = failures ? failures.slice(1).reduce((sum, n) => sum + Number(n), 0) : Number(/Failed requests:\s+(\d+)/.exec(stdout)?.[1] ?? NaN);
  if (failed !== 0 || /Non-2xx responses/.test(stdout)) throw new Error(`ab ${url}: failed requests\n${stdout}`);
  const complete = Number(/Complete requests:\s+(\d+)/.exec(stdout)![1]);
  return { rate: Number(/Requests per second:\s+([\d.]+)/.exec(stdout)![1]), cpuUs: (used * 1000) / complete };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'phone-http-'));
  const children: ChildProcess[] = [];
  try {
    const FIRST = ['Anna', 'Bernd', 'Clara', 'Dieter', 'Eva', 'Frank', 'Greta', 'Hans', 'Ida', 'Jonas'];
    const cards = Array.from({ length: 500 }, (_, i) =>
      ['BEGIN:VCARD', 'VERSION:3.0', `FN:${FIRST[i % 10]} Person ${i}`, `N:Person ${i};${FIRST[i % 10]};;;`, `TEL;TYPE=CELL:+49 171 ${1_000_000 + i}`, 'END:VCARD'].join('\r\n'),
    );
    await writeFile(join(dir, 'book.vcf'), `${cards.join('\r\n')}\r\n`);
    const port = await freeTcpPort();
    await writeFile(
      join(dir, 'ciscophone.yaml'),
      `server:
  publicUrl: "http://127.0.0.1:${port}"
  dataDir: ./data
  http: { host: 127.0.0.1, port: ${port} }
  tftp: { enabled: false }
  provisioningHttp: { enabled: false }
pbx: { host: 127.0.0.1 }
phones:
  - { mac: "${PHONE.slice(3)}", model: "7941", lines: [ { number: "100", password: "pw" } ] }
directory:
  sources:
    - { type: vcard, name: Book, path: ./book.vcf }
`,
    );
    // Run as `npm start` runs it (its node options), log to /dev/null.
    const ours = spawn(process.execPath, [...START_FLAGS, join(repo, 'bin/ciscophone.js'), 'serve', '--config', join(dir, 'ciscophone.yaml')], { cwd: dir, stdio: 'ignore' });
    children.push(ours);
    await waitFor(`http://127.0.0.1:${port}${PATHS['/services']}`);

    // The same bytes and headers, as a bare node:http server.
    const replies: Record<string, { status: number; headers: [string, string][]; body: string }> = {};
    for (const path of Object.values(PATHS)) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      const body = Buffer.from(await res.arrayBuffer());
      if (!res.ok || body.length === 0) throw new Error(`${path}: ${res.status}`);
      const headers = [...res.headers].filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name));
      replies[path] = { status: res.status, headers, body: body.toString('base64') };
    }
    const barePort = await freeTcpPort();
    await writeFile(join(dir, 'replies.json'), JSON.stringify(replies));
    const bareCode = `
      import { createServer } from 'node:http';
      import { readFileSync } from 'node:fs';
      const replies = JSON.parse(readFileSync(${JSON.stringify(join(dir, 'replies.json'))}, 'utf8'));
      for (const r of Object.values(replies)) r.body = Buffer.from(r.body, 'base64');
      createServer((req, res) => {
        const r = replies[req.url];
        if (!r) { res.writeHead(404).end(); return; }
        res.writeHead(r.status, r.headers.flat()).end(r.body);
      }).listen(${barePort}, '127.0.0.1');`;
    const bare = spawn(process.execPath, ['--input-type=module', '-e', bareCode], { stdio: 'ignore' });
    children.push(bare);
    await waitFor(`http://127.0.0.1:${barePort}${PATHS['/services']}`);

    const load = [loadavg()[0]!];
    const rates = new Map<string, number[]>();
    const cpu = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [what, path] of Object.entries(PATHS)) {
        for (const [server, p, pid] of [['ciscophone', port, ours.pid!], ['bare', barePort, bare.pid!]] as const) {
          const key = `${what}|${server}`;
          const result = await ab(`http://127.0.0.1:${p}${path}`, pid);
          rates.set(key, [...(rates.get(key) ?? []), result.rate]);
          cpu.set(key, [...(cpu.get(key) ?? []), result.cpuUs]);
        }
      }
    }
    load.push(loadavg()[0]!);

    const lines = [
      `Phone-pattern HTTP: a new TCP connection per request (ab, no keep-alive, ${CONCURRENCY} at once, ${SECONDS} s per run), median of ${ROUNDS} interleaved rounds, requests per second (range).`,
      `Machine: ${cpus().length} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average (1 min) ${load.map((l) => l.toFixed(1)).join(' at the start, ')} at the end.`,
      '',
      '| Request | bytes | ciscophone req/s | baseline: bare node:http, same bytes | ratio | server CPU µs per request: ciscophone / bare |',
      '|---|---|---|---|---|---|',
    ];
    const fmt = (v: number[]) => `${Math.round(median(v))} (${Math.round(Math.min(...v))}–${Math.round(Math.max(...v))})`;
    for (const [what, path] of Object.entries(PATHS)) {
      const mine = rates.get(`${what}|ciscophone`)!;
      const theirs = rates.get(`${what}|bare`)!;
      const bytes = Buffer.from(replies[path]!.body, 'base64').length;
      const cpuMine = median(cpu.get(`${what}|ciscophone`)!);
      const cpuBare = median(cpu.get(`${what}|bare`)!);
      lines.push(`| ${what} | ${bytes} | ${fmt(mine)} | ${fmt(theirs)} | ${(median(mine) / median(theirs)).toFixed(2)} | ${cpuMine.toFixed(0)} / ${cpuBare.toFixed(0)} |`);
    }
    console.log(lines.join('\n'));
  } finally {
    await Promise.all(children.map((child) => new Promise((r) => (child.exitCode !== null ? r(null) : (child.once('exit', r), child.kill())))));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
