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
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TftpServer } from '../src/tftp/index.js';
import { fetchBaselines, freeUdpPort, median, run, startAtftpd, startTftpdHpa } from './lib/tftp-peers.js';

const ROUNDS = Math.max(5, Number(process.env.ROUNDS ?? 5));
const FILE_SIZE = 10 * 1024 * 1024;

interface Setup {
  label: string;
  args: string[];
  servers: string[];
}

const SETUPS: Setup[] = [
  { label: 'RFC 1350 lock-step, blksize 512', args: [], servers: ['ciscophone', 'ciscophone-disk', 'tftpd-hpa'] },
  { label: 'blksize 1428 lock-step', args: ['--option', 'blksize 1428'], servers: ['ciscophone', 'ciscophone-disk', 'tftpd-hpa'] },
  { label: 'blksize 1428 + windowsize 8', args: ['--option', 'blksize 1428', '--option', 'windowsize 8'], servers: ['ciscophone', 'ciscophone-disk', 'atftpd'] },
];

async function fetchOnce(port: number, args: string[], out: string): Promise<number> {
  await rm(out, { force: true });
  const started = performance.now();
  await run('atftp', ['--get', '-r', 'bench.bin', '-l', out, ...args, '127.0.0.1', String(port)], { timeout: 120_000 });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tftp-bench-'));
  const daemons: ChildProcess[] = [];
  const ours: TftpServer[] = [];
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
    // As configured by default (files up to 16 MiB served from memory), and with the cache off
    // (every transfer read from disk in chunks).
    for (const [name, fileCacheBytes] of [['ciscophone', undefined], ['ciscophone-disk', 0]] as const) {
      const server = new TftpServer({ host: '127.0.0.1', port: 0, root, ...(fileCacheBytes !== undefined ? { fileCacheBytes } : {}) });
      ours.push(server);
      ports.set(name, (await server.start()).port);
    }

    const baselines = await fetchBaselines(dir);
    if (baselines) {
      const hpaPort = await freeUdpPort();
      daemons.push(startTftpdHpa(baselines, hpaPort, root));
      ports.set('tftpd-hpa', hpaPort);
      const atftpdPort = await freeUdpPort();
      daemons.push(startAtftpd(baselines, atftpdPort, root));
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
      '| Setup | ciscophone | ciscophone, file cache off | baseline | baseline ms | ratio (ciscophone / baseline) | ratio, cache off |',
      '|---|---|---|---|---|---|---|',
    ];
    const fmt = (v: number[]) => `${median(v).toFixed(0)} (${Math.min(...v).toFixed(0)})`;
    for (const setup of SETUPS) {
      const mine = times.get(`${setup.label}|ciscophone`) ?? [];
      const disk = times.get(`${setup.label}|ciscophone-disk`) ?? [];
      const baseline = setup.servers.at(-1)!;
      const theirs = times.get(`${setup.label}|${baseline}`);
      const ratio = (v: number[]) => (theirs ? (median(v) / median(theirs)).toFixed(2) : '-');
      lines.push(`| ${setup.label} | ${fmt(mine)} | ${fmt(disk)} | ${baseline} | ${theirs ? fmt(theirs) : 'skipped'} | ${ratio(mine)} | ${ratio(disk)} |`);
    }
    console.log(lines.join('\n'));
  } finally {
    for (const daemon of daemons) daemon.kill();
    for (const server of ours) await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
