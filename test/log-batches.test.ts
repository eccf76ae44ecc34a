/**
 * Log lines to stdout (not a terminal) are written in batches: none is lost when the process
 * exits, they keep their order, and a lone line is written without waiting for more.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LOG_BATCH_BYTES } from '../src/logger.js';

const LOGGER = pathToFileURL(path.join(import.meta.dirname, '..', 'src', 'logger.ts')).href;

/** Runs `code` (with `createLogger` in scope) in a process whose stdout is a pipe; calls `onLine` per line. */
function run(code: string, onLine: (line: string) => void = () => undefined): { child: ChildProcess; done: Promise<{ lines: string[]; code: number | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const { createLogger } = await import(${JSON.stringify(LOGGER)});\n${code}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let rest = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      onLine(line);
    }
  });
  return { child, done: new Promise((resolve) => child.on('close', (exitCode) => resolve({ lines, code: exitCode }))) };
}

test('every line is written, in order, when the process exits right after logging', async () => {
  // More than one batch and a part of another: some lines are still gathered at exit.
  const count = Math.ceil((3 * LOG_BATCH_BYTES) / 60) + 7;
  const { lines, code } = await run(`const log = createLogger('info');\nfor (let i = 0; i < ${count}; i++) log.info({ i }, 'line');\nprocess.exit(0);`).done;
  assert.equal(code, 0);
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { i: number }).i),
    Array.from({ length: count }, (_, i) => i),
  );
});

test('a lone line reaches stdout while the process goes on', async () => {
  // The process logs one line and would stay up for a minute: the line must come before that.
  const { child, done } = run(`const log = createLogger('info');\nlog.info('alone');\nsetTimeout(() => process.exit(3), 60_000);`, (line) => {
    if (line.includes('"alone"')) child.kill('SIGKILL');
  });
  const { lines, code } = await done;
  assert.equal(code, null, 'killed after the line came, not ended by its timer');
  assert.equal(lines.length, 1);
});
