import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { RawClient } from './tftp-raw-client.js';

/** A `ciscophone serve` in its own process, as a service manager runs it. */
export interface ServeProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  log: () => string;
  /** Resolves once the log matches `pattern` (log lines reach stdout in batches, up to 200 ms late). */
  logShows: (pattern: RegExp) => Promise<void>;
  httpPort: number;
  tftpPort: number;
  /** Sends `signal` and resolves with the exit code and the milliseconds from signal to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; ms: number }>;
}

/** Longest wait for a log line the test expects (the batching delay plus a loaded machine). */
const LOG_LINE_TIMEOUT_MS = 30_000;

/** Longest wait for the server's listening line (a loaded 2-core machine starts slowly). */
const START_TIMEOUT_MS = 60_000;

/**
 * Spawns `command args…` (a CLI running `serve … --http-port 0 --tftp-port 0`) and waits until
 * its HTTP and TFTP listening lines appear (JSON log lines: stdout is not a terminal).
 */
export async function startServeProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(command, args, { cwd, env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += String(d)));
  child.stderr!.on('data', (d) => (log += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const [httpPort, tftpPort] = await new Promise<[number, number]>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no listening line in:\n${log}`)), START_TIMEOUT_MS);
    const poll = setInterval(() => {
      const http = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      const tftp = /"port":(\d+)[^\n]*"msg":"tftp listening"/.exec(log);
      if (http && tftp) finish(undefined, [Number(http[1]), Number(tftp[1])]);
    }, 50);
    void exited.then((code) => finish(new Error(`exited with ${code} before listening:\n${log}`)));
    function finish(error: Error | undefined, ports?: [number, number]): void {
      clearInterval(poll);
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolve(ports!);
    }
  });
  return {
    child,
    log: () => log,
    logShows: async (pattern) => {
      const deadline = performance.now() + LOG_LINE_TIMEOUT_MS;
      while (!pattern.test(log)) {
        assert.ok(performance.now() < deadline, `no line matching ${pattern} in:\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    httpPort,
    tftpPort,
    stop: async (signal = 'SIGTERM') => {
      const sent = performance.now();
      child.kill(signal);
      const code = await exited;
      return { code, ms: performance.now() - sent };
    },
  };
}

/** The demo's first phone. */
const DEMO_PHONE = 'SEP008041AEFD7E';

/**
 * Stops a running demo server the way a service manager does, while it is busy: a TFTP transfer
 * waiting for its next ACK and the web page's live event stream open. Asserts exit code 0 within
 * 5 s, an ERROR packet to the TFTP client (the transfer ended, not dropped), and the activity of
 * the phone saved in `<cwd>/data/activity.json`.
 */
export async function assertCleanStop(serve: ServeProcess, cwd: string, signal: NodeJS.Signals): Promise<void> {
  const client = await RawClient.open();
  const events = await openEventStream(serve.httpPort);
  try {
    await client.rrq(serve.tftpPort, `${DEMO_PHONE}.cnf.xml`);
    const first = await client.next(30_000);
    assert.equal(first?.packet.op, 'DATA', 'the transfer started');
    // Block 1 is never acknowledged: the transfer is still running when the signal comes.
    const { code, ms } = await serve.stop(signal);
    assert.equal(code, 0, serve.log());
    assert.ok(ms < 5000, `stopped in ${Math.round(ms)} ms`);
    let ended: string | undefined;
    for (let received = await client.next(1000); received; received = await client.next(1000)) {
      if (received.packet.op === 'ERROR') ended = received.packet.message;
    }
    assert.match(ended ?? '', /shutting down/);
    const saved = JSON.parse(await readFile(path.join(cwd, 'data', 'activity.json'), 'utf8')) as { name: string }[];
    assert.ok(saved.some((p) => p.name === DEMO_PHONE), JSON.stringify(saved));
  } finally {
    client.socket.close();
    events.destroy();
  }
}

/** Opens the web page's server-sent event stream and resolves once its headers arrived. */
function openEventStream(port: number): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/api/ui/events' }, (response) => {
      assert.equal(response.statusCode, 200);
      response.on('error', () => undefined);
      resolve(request);
    });
    request.on('error', reject);
  });
}
