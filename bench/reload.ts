/**
 * A config change reaching the phones: from saving `ciscophone.yaml` (as editors save: a new file
 * renamed over the old one) to the phone's SEP file carrying the change over TFTP (curl), with the
 * server running (live reload). Baseline in the same run: what a change cost before, a restart (the
 * process stopped, started again on the same config, and the same fetch). Prints Markdown.
 *
 *   node --import tsx bench/reload.ts        (ROUNDS=7)
 */
import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { configText, save, servedAfter, startIn } from '../test/helpers/reload.js';

const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 7));

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = mkdtempSync(path.join(tmpdir(), 'bench-reload-'));
const file = path.join(dir, 'ciscophone.yaml');
const out = path.join(dir, 'sep.xml');
await writeFile(file, configText('Round0'));
const load = loadavg()[0]!.toFixed(1);
const live: number[] = [];
const restart: number[] = [];
let serve = await startIn(dir, file);
try {
  for (let round = 1; round <= ROUNDS; round++) {
    await new Promise((r) => setTimeout(r, 500));
    const saved = performance.now();
    await save(file, configText(`Live${round}`));
    live.push(await servedAfter(serve.tftpPort, out, `<displayName>Live${round}</displayName>`, saved));

    const stopped = performance.now();
    await save(file, configText(`Restart${round}`));
    await serve.stop('SIGTERM');
    serve = await startIn(dir, file);
    restart.push(await servedAfter(serve.tftpPort, out, `<displayName>Restart${round}</displayName>`, stopped));
  }
} finally {
  serve.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}
const fmt = (values: number[]) => `${Math.round(median(values))} (${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))})`;
console.log(`Machine: ${cpus().length} CPUs, ${cpus()[0]?.model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z, load ${load}; ${ROUNDS} rounds.\n`);
console.log('| A saved change served over TFTP | ms, median (min–max) |');
console.log('|---|---|');
console.log(`| live reload (file watch, 250 ms quiet time) | ${fmt(live)} |`);
console.log(`| baseline: restart (stop, start, first fetch) | ${fmt(restart)} |`);
