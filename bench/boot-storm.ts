/**
 * Boot storm: 50 phones at once, each fetching its own SEP file and then the same 5 MiB firmware
 * file in 512-byte lock-step (no options: RFC 1350 as the phones do it), with tftp-hpa's client,
 * one process per phone. Every file fetched is compared byte for byte. The same storm against
 * Debian's tftpd-hpa serving the same files, in interleaved rounds; prints medians as Markdown.
 *
 *   npm run build && node --import tsx bench/boot-storm.ts       (ROUNDS=5 PHONES=50 to change)
 *
 * ciscophone's TFTP server runs from the build in its own process, as configured by default except
 * `maxPerClient` (all 50 clients share 127.0.0.1 here, where phones have one address each).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { fetchBaselines, freeUdpPort, median, startTftpdHpa } from './lib/tftp-peers.js';

const ROUNDS = Math.max(3, Number(process.env.ROUNDS ?? 5));
const PHONES = Math.max(1, Number(process.env.PHONES ?? 50));
const FIRMWARE_BYTES = 5 * 1024 * 1024;
const FIRMWARE = 'SIP70.9-4-2SR3-1S.loads';
const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));

const sepName = (i: number): string => `SEP0011AA${i.toString(16).toUpperCase().padStart(6, '0')}.cnf.xml`;

/** One phone: tftp-hpa fetches its SEP file, then the firmware; resolves with the failure, if any. */
function boot(port: number, i: number, out: string): Promise<string | null> {
  const get = (remote: string, local: string): Promise<string | null> =>
    new Promise((done) => {
      execFile('tftp', ['127.0.0.1', String(port), '-m', 'binary', '-c', 'get', remote, local], { cwd: out, timeout: 300_000 }, (err, stdout, stderr) =>
        done(err || /error|timed out/i.test(`${stdout}${stderr}`) ? `${remote}: ${err?.message ?? ''} ${stdout}${stderr}`.trim() : null),
      );
    });
  return get(sepName(i), `sep-${i}`).then((failed) => failed ?? get(FIRMWARE, `fw-${i}`));
}

/** ciscophone's TFTP server from the build, in its own process; resolves once it listens. */
async function startOurs(port: number, root: string): Promise<ChildProcess> {
  const code = `
    const { TftpServer } = await import(${JSON.stringify(join(repo, 'dist/src/tftp/index.js'))});
    const server = new TftpServer({ host: '127.0.0.1', port: ${port}, root: ${JSON.stringify(root)}, maxPerClient: ${PHONES} });
    await server.start();
    process.on('SIGTERM', () => server.stop().then(() => process.exit(0)));
    console.log('listening');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ready, fail) => {
    child.stdout!.once('data', () => ready());
    child.once('exit', (c) => fail(new Error(`ciscophone's TFTP server exited (${c}): npm run build first?`)));
  });
  return child;
}

async function storm(port: number, out: string, expected: { seps: Buffer[]; firmware: Buffer }): Promise<number> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out);
  const started = performance.now();
  const failures = (await Promise.all(Array.from({ length: PHONES }, (_, i) => boot(port, i, out)))).filter((f) => f !== null);
  const ms = performance.now() - started;
  if (failures.length > 0) throw new Error(`${failures.length} phones failed, first: ${failures[0]}`);
  for (let i = 0; i < PHONES; i++) {
    if (!(await readFile(join(out, `sep-${i}`))).equals(expected.seps[i]!)) throw new Error(`phone ${i}: SEP file differs`);
    if (!(await readFile(join(out, `fw-${i}`))).equals(expected.firmware)) throw new Error(`phone ${i}: firmware differs`);
  }
  return ms;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'boot-storm-'));
  const servers: ChildProcess[] = [];
  try {
    const root = join(dir, 'root');
    await mkdir(root);
    const firmware = randomBytes(FIRMWARE_BYTES);
    await writeFile(join(root, FIRMWARE), firmware);
    const seps: Buffer[] = [];
    for (let i = 0; i < PHONES; i++) {
      const sep = Buffer.from(`<device><deviceProtocol>SIP</deviceProtocol><loadInformation>${FIRMWARE.replace('.loads', '')}</loadInformation>${randomBytes(2400).toString('base64')}</device>\n`);
      seps.push(sep);
      await writeFile(join(root, sepName(i)), sep, { mode: 0o644 });
    }
    // tftpd-hpa (without -p) serves only world-readable files; it drops to nobody.
    await chmod(dir, 0o755);
    await chmod(root, 0o755);
    await chmod(join(root, FIRMWARE), 0o644);

    const ports = new Map<string, number>();
    const ours = await freeUdpPort();
    servers.push(await startOurs(ours, root));
    ports.set('ciscophone', ours);
    const baselines = await fetchBaselines(dir);
    if (baselines) {
      const hpa = await freeUdpPort();
      servers.push(startTftpdHpa(baselines, hpa, root));
      ports.set('tftpd-hpa', hpa);
      await new Promise((r) => setTimeout(r, 500));
    }

    const load = [loadavg()[0]!];
    const times = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, port] of ports) {
        const ms = await storm(port, join(dir, 'out'), { seps, firmware });
        times.set(name, [...(times.get(name) ?? []), ms]);
      }
    }
    load.push(loadavg()[0]!);

    const mine = times.get('ciscophone')!;
    const theirs = times.get('tftpd-hpa');
    const fmt = (v: number[]) => `${median(v).toFixed(0)} (${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)})`;
    console.log(
      [
        `Boot storm: ${PHONES} tftp-hpa clients at once, each its SEP file (~3.3 kB) + a ${FIRMWARE_BYTES / 2 ** 20} MiB firmware file, 512-byte lock-step; every byte compared. Median of ${ROUNDS} interleaved rounds (range), ms.`,
        `Machine: ${cpus().length} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average (1 min) ${load.map((l) => l.toFixed(1)).join(' at the start, ')} at the end.`,
        '',
        '| Server | all phones done, ms | ratio to tftpd-hpa |',
        '|---|---|---|',
        `| ciscophone | ${fmt(mine)} | ${theirs ? (median(mine) / median(theirs)).toFixed(2) : '-'} |`,
        `| baseline: tftpd-hpa | ${theirs ? fmt(theirs) : 'skipped'} | 1 |`,
      ].join('\n'),
    );
  } finally {
    for (const server of servers) server.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
