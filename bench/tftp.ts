/**
 * TFTP throughput: one 10 MiB file fetched over loopback by the same client
 * (atftp) from ciscophone's server and from Debian's tftpd-hpa and atftpd,
 * in interleaved rounds; prints medians and ratios as Markdown.
 *
 *   node --import tsx bench/tftp.ts            (ROUNDS=7 to change the round count)
 *
 * The baselines are taken from their Debian packages with `apt-get download`
 * and `dpkg-deb -x` into a temp dir (they conflict as installed packages);
 * a baseline that cannot be had is reported as skipped.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { TftpServer } from '../src/tftp/index.js';

const run = promisify(execFile);
const ROUNDS = Math.max(5, Number(process.env.ROUNDS ?? 5));
const FILE_SIZE = 10 * 1024 * 1024;

interface Setup {
  label: string;
  args: string[];
  servers: string[];
}

const SETUPS: Setup[] = [
  { label: 'RFC 1350 lock-step, blksize 512', args: [], servers: ['ciscophone', 'tftpd-hpa'] },
  { label: 'blksize 1428 lock-step', args: ['--option', 'blksize 1428'], servers: ['ciscophone', 'tftpd-hpa'] },
  { label: 'blksize 1428 + windowsize 8', args: ['--option', 'blksize 1428', '--option', 'windowsize 8'], servers: ['ciscophone', 'atftpd'] },
];

async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Extracts tftpd-hpa, atftpd and libwrap0 from their .deb files; null if apt-get download fails. */
async function fetchBaselines(dir: string): Promise<{ sbin: string; lib: string } | null> {
  try {
    await run('apt-get', ['download', 'tftpd-hpa', 'atftpd', 'libwrap0'], { cwd: dir, timeout: 120_000 });
  } catch (err) {
    console.error(`apt-get download unavailable (${(err as Error).message.split('\n')[0]}): baselines skipped`);
    return null;
  }
  const extracted = join(dir, 'x');
  for (const deb of (await readdir(dir)).filter((f) => f.endsWith('.deb'))) {
    await run('dpkg-deb', ['-x', join(dir, deb), extracted]);
  }
  return { sbin: join(extracted, 'usr/sbin'), lib: join(extracted, 'usr/lib/x86_64-linux-gnu') };
}

function startDaemon(cmd: string, args: string[], lib: string): ChildProcess {
  const child = spawn(cmd, args, { env: { ...process.env, LD_LIBRARY_PATH: lib }, stdio: 'ignore' });
  child.on('error', (err) => console.error(`${cmd}: ${err.message}`));
  return child;
}

async function fetchOnce(port: number, args: string[], out: string): Promise<number> {
  await rm(out, { force: true });
  const started = performance.now();
  await run('atftp', ['--get', '-r', 'bench.bin', '-l', out, ...args, '127.0.0.1', String(port)], { timeout: 120_000 });
  return performance.now() - started;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tftp-bench-'));
  const daemons: ChildProcess[] = [];
  let ours: TftpServer | null = null;
  try {
    const root = join(dir, 'root');
    await mkdir(root);
    const data = randomBytes(FILE_SIZE);
    await writeFile(join(root, 'bench.bin'), data);
    const digest = createHash('sha256').update(data).digest('hex');
    // tftpd-hpa (without -p) serves only world-readable files; the daemons drop to nobody.
    await chmod(dir, 0o755);
    await chmod(root, 0o755);
    await chmod(join(root, 'bench.bin'), 0o644);

    const ports = new Map<string, number>();
    ours = new TftpServer({ host: '127.0.0.1', port: 0, root });
    ports.set('ciscophone', (await ours.start()).port);

    const baselines = await fetchBaselines(dir);
    if (baselines) {
      const hpaPort = await freePort();
      daemons.push(startDaemon(join(baselines.sbin, 'in.tftpd'), ['-L', '-s', '-u', 'nobody', '-B', '1468', '-a', `127.0.0.1:${hpaPort}`, root], baselines.lib));
      ports.set('tftpd-hpa', hpaPort);
      const atftpdPort = await freePort();
      daemons.push(
        startDaemon(
          join(baselines.sbin, 'atftpd'),
          ['--daemon', '--no-fork', '--port', String(atftpdPort), '--bind-address', '127.0.0.1', '--user', 'nobody.nogroup', '--logfile', '/dev/null', root],
          baselines.lib,
        ),
      );
      ports.set('atftpd', atftpdPort);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    const times = new Map<string, number[]>();
    const out = join(dir, 'out.bin');
    for (let round = 0; round < ROUNDS; round++) {
      for (const setup of SETUPS) {
        for (const server of setup.servers) {
          const port = ports.get(server);
          if (port === undefined) continue;
          const ms = await fetchOnce(port, setup.args, out);
          const got = createHash('sha256').update(await readFile(out)).digest('hex');
          if (got !== digest) throw new Error(`${server} (${setup.label}) returned different bytes`);
          const key = `${setup.label}|${server}`;
          times.set(key, [...(times.get(key) ?? []), ms]);
        }
      }
    }

    const lines = [
      `TFTP loopback throughput: 10 MiB file, client atftp 0.8.0, median of ${ROUNDS} interleaved rounds (min in brackets), ms`,
      `Machine: ${cpus().length} CPU (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
      '',
      '| Setup | ciscophone | baseline | baseline ms | ratio (ciscophone / baseline) |',
      '|---|---|---|---|---|',
    ];
    for (const setup of SETUPS) {
      const mine = times.get(`${setup.label}|ciscophone`) ?? [];
      const baseline = setup.servers[1]!;
      const theirs = times.get(`${setup.label}|${baseline}`);
      const fmt = (v: number[]) => `${median(v).toFixed(0)} (${Math.min(...v).toFixed(0)})`;
      lines.push(
        theirs
          ? `| ${setup.label} | ${fmt(mine)} | ${baseline} | ${fmt(theirs)} | ${(median(mine) / median(theirs)).toFixed(2)} |`
          : `| ${setup.label} | ${fmt(mine)} | ${baseline} | skipped | - |`,
      );
    }
    console.log(lines.join('\n'));
  } finally {
    for (const daemon of daemons) daemon.kill();
    await ours?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
