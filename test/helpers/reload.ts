// A config file edited under a running `ciscophone serve`, and what a phone then gets over TFTP (curl).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServeProcess, type ServeProcess } from './serve-process.js';

const run = promisify(execFile);
export const MAC = '001122334455';
export const SEP = `SEP${MAC}.cnf.xml`;

export function configText(displayName: string, extra = ''): string {
  return [
    '# the office phones',
    'server:',
    '  http: { host: 127.0.0.1, port: 8080 }',
    '  tftp: { host: 127.0.0.1, port: 6969, root: ./tftp }',
    '  provisioningHttp: { enabled: false }',
    'pbx: { host: 127.0.0.1, port: 5060 }',
    'phones:',
    `  - mac: "${MAC}"`,
    '    model: "7941"',
    '    label: Office',
    `    lines: [{ number: "620", displayName: ${displayName}, password: secret-620 }]`,
    extra,
  ].join('\n');
}

/** Writes like an editor: a new file, then renamed over the old one. */
export async function save(file: string, text: string): Promise<void> {
  await writeFile(`${file}.new`, text);
  await rename(`${file}.new`, file);
}

export async function fetchSep(port: number, out: string, sep = SEP): Promise<string> {
  await rm(out, { force: true });
  await run('curl', ['-sS', '--max-time', '10', '-o', out, `tftp://127.0.0.1:${port}/${sep}`]);
  return readFile(out, 'utf8');
}

/** Fetches until `wanted` is in the file; the milliseconds from `since` to the start of that fetch. */
export async function servedAfter(port: number, out: string, wanted: string, since: number, sep = SEP): Promise<number> {
  for (;;) {
    const started = performance.now();
    if ((await fetchSep(port, out, sep).catch(() => '')).includes(wanted)) return started - since;
    if (performance.now() - since > 30_000) assert.fail(`${wanted} never served`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startIn(dir: string, file: string, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  await mkdir(path.join(dir, 'tftp'), { recursive: true });
  const entry = path.resolve('test/helpers/cli-entry.ts');
  return startServeProcess(process.execPath, ['--import', import.meta.resolve('tsx'), entry, 'serve', '--config', file, '--http-port', '0', '--tftp-port', '0'], dir, env);
}


/** Waits until the server's output matches `pattern` (log lines reach the pipe in chunks, later than the change they report). */
export async function waitForLog(serve: ServeProcess, pattern: RegExp): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (!pattern.test(serve.log())) {
    assert.ok(performance.now() < deadline, `no ${pattern} in:\n${serve.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
