/**
 * The C TFTP servers the TFTP benchmarks compare with: Debian's tftpd-hpa and atftpd, taken from
 * their packages with `apt-get download` + `dpkg-deb -x` into a temp dir (they conflict as
 * installed packages) and started on loopback ports; plus the helpers those benchmarks share.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export interface Baselines {
  sbin: string;
  lib: string;
}

/** Extracts tftpd-hpa, atftpd and libwrap0 from their .deb files; null if apt-get download fails. */
export async function fetchBaselines(dir: string): Promise<Baselines | null> {
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

/** tftpd-hpa on a loopback port serving `root` (world-readable files only; it drops to nobody). */
export function startTftpdHpa(baselines: Baselines, port: number, root: string): ChildProcess {
  return startDaemon(join(baselines.sbin, 'in.tftpd'), ['-L', '-s', '-u', 'nobody', '-B', '1468', '-a', `127.0.0.1:${port}`, root], baselines.lib);
}

/** atftpd on a loopback port serving `root`. */
export function startAtftpd(baselines: Baselines, port: number, root: string): ChildProcess {
  return startDaemon(
    join(baselines.sbin, 'atftpd'),
    ['--daemon', '--no-fork', '--port', String(port), '--bind-address', '127.0.0.1', '--user', 'nobody.nogroup', '--logfile', '/dev/null', root],
    baselines.lib,
  );
}
