/**
 * Test fixture: a temp root with known files and a TftpServer on a free
 * loopback port; plus a runner for the real TFTP client programs.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TftpServer, type TftpServerOptions } from '../../src/tftp/index.js';

export async function makeTempDir(prefix = 'tftp-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A temp folder with an empty TFTP root and a folder for what the clients fetch. */
export async function makeRootAndOut(): Promise<{ dir: string; root: string; out: string }> {
  const dir = await makeTempDir();
  const root = join(dir, 'root');
  const out = join(dir, 'out');
  await mkdir(root);
  await mkdir(out);
  return { dir, root, out };
}

/** Writes `size` bytes of a repeating random pattern whose period is not a multiple of any block size. */
export async function writePatternFile(path: string, size: number): Promise<void> {
  const period = randomBytes(1_000_003);
  const out = Buffer.allocUnsafe(size);
  for (let offset = 0; offset < size; offset += period.length) period.copy(out, offset, 0, Math.min(period.length, size - offset));
  await writeFile(path, out);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface RunningServer {
  server: TftpServer;
  port: number;
  root: string;
  stop(): Promise<void>;
}

export async function startServer(root: string, options: Partial<TftpServerOptions> = {}): Promise<RunningServer> {
  const server = new TftpServer({ host: '127.0.0.1', port: 0, root, ...options });
  const { port } = await server.start();
  return { server, port, root, stop: () => server.stop() };
}

export interface ClientRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a client program with a hard time limit; never rejects. */
export function runClient(cmd: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<ClientRun> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Polls until `check` is true (bounded); for waiting on server-side state such as `active === 0`. */
export async function waitFor(check: () => boolean, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
