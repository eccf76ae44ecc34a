/**
 * Phone requests while a hostile calendar is processed: `GET /services` latency (autocannon, 10
 * connections) while an ics source with hostile recurrences is refreshed again and again, against
 * the same route with the calendar idle, in the same run; plus the time one refresh takes and the
 * longest the event loop was held meanwhile.
 * Run: node --import tsx bench/calendar-bounds.ts [--out FILE]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseConfig } from '../src/config/load.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { load, loadRow, machineLine } from './lib/load.js';

const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1]! : path.join(os.tmpdir(), 'results-calendar-bounds.md');
const SECONDS = 10;

const minutes = Array.from({ length: 60 }, (_, i) => i).join(',');
const vevent = (i: number, rule: string): string =>
  ['BEGIN:VEVENT', `UID:h${i}@bench`, 'DTSTAMP:20260101T000000Z', 'DTSTART:19900101T000000Z', 'DTEND:19900101T000100Z', `SUMMARY:Hostile ${i}`, `RRULE:${rule}`, 'END:VEVENT'].join('\r\n');
/** Ten SECONDLY events (the 1.5 kB feed that stalled the server for 12 s), hourly rules from 1990 and COUNT bombs. */
function hostileFeed(round: number): string {
  const events = [
    ...Array.from({ length: 10 }, (_, i) => vevent(i, 'FREQ=SECONDLY')),
    ...Array.from({ length: 5 }, (_, i) => vevent(10 + i, `FREQ=HOURLY;BYMINUTE=${minutes}`)),
    ...Array.from({ length: 5 }, (_, i) => vevent(20 + i, `FREQ=HOURLY;COUNT=5000000;BYMINUTE=${minutes}`)),
  ];
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//bench ${round}//EN`, ...events, 'END:VCALENDAR', ''].join('\r\n');
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'ciscophone-bench-calendar-'));
const feed = path.join(dir, 'hostile.ics');
writeFileSync(feed, hostileFeed(0));
const config = parseConfig(
  `server: { publicUrl: "http://127.0.0.1:8080", dataDir: ./data }
pbx: { host: 127.0.0.1 }
phones: [ { mac: "001111000001", model: "7941", lines: [] } ]
calendar: { sources: [ { type: ics, name: Hostile, path: ./hostile.ics } ] }
`,
  path.join(dir, 'ciscophone.yaml'),
);
const ctx = createContext({ config, log: createLogger('silent'), ephemeral: true });
const app = await buildApp(ctx);
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/services?name=SEP001111000001`;

/** How long `work` took, and the longest the event loop was held meanwhile (perf_hooks, 5 ms resolution). */
async function lagDuring(work: () => Promise<unknown>): Promise<{ ms: number; lag: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const started = performance.now();
  await work();
  histogram.disable();
  return { ms: performance.now() - started, lag: histogram.max / 1e6 };
}

await ctx.calendar.start();
const refreshes: { ms: number; lag: number }[] = [];
let round = 0;
/** Rewrites the feed and refreshes, so every round parses and expands it again. */
async function refreshOnce(): Promise<void> {
  writeFileSync(feed, hostileFeed(++round));
  refreshes.push(await lagDuring(() => ctx.calendar.refresh()));
}
await refreshOnce();

const idle = await load(url, { seconds: SECONDS });
let busy = true;
const churn = (async () => {
  while (busy) await refreshOnce();
})();
const during = await load(url, { seconds: SECONDS });
busy = false;
await churn;
await ctx.calendar.stop();
await app.close();
rmSync(dir, { recursive: true, force: true });

const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
const lines = [
  '## Phone requests while a hostile calendar is processed',
  '',
  machineLine(),
  `Feed: ${hostileFeed(0).length} bytes (10 SECONDLY events, 5 HOURLY×60 from 1990, 5 HOURLY×60 COUNT=5000000), refreshed ${refreshes.length} times.`,
  `One refresh (parse + expansion): median ${Math.round(med(refreshes.map((r) => r.ms)))} ms; event loop held at most ${Math.round(Math.max(...refreshes.map((r) => r.lag)))} ms (median of the per-refresh maxima ${Math.round(med(refreshes.map((r) => r.lag)))} ms); process RSS ${rss} MB.`,
  '',
  '| GET /services | req/s | p50 ms | p99 ms | errors |',
  '|---|---|---|---|---|',
  loadRow('calendar idle (baseline)', idle),
  loadRow('hostile calendar refreshed throughout', during),
  '',
];
writeFileSync(out, lines.join('\n'));
console.log(lines.join('\n'));
