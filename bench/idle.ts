/**
 * Idle screen: uncached render time per model (every request a new minute, so nothing comes from
 * the cache), then cached `GET /idle.png` requests per second against a bare Fastify route that
 * returns the same bytes with the same headers, in the same run.
 * Run: node --import tsx bench/idle.ts [--out FILE]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { parseConfig } from '../src/config/load.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { getModel, type ModelId } from '../src/phones/models.js';

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: { url: string; connections: number; duration: number }) => Promise<CannonResult>;

const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1]! : '/tmp/team/results-idle.md';
const MODELS: ModelId[] = ['7940', '7941', '7945', '7970', '7975'];
const RENDERS = 20;
const SECONDS = 5;

const dir = mkdtempSync(path.join(os.tmpdir(), 'ciscophone-bench-idle-'));
let now = Date.parse('2025-06-03T12:00:30Z');
const config = parseConfig(
  `server: { publicUrl: "http://127.0.0.1:8080" }
pbx: { host: 127.0.0.1 }
defaults: { timeZone: Europe/Berlin, language: en }
phones:
  - { mac: "001111000001", model: "7941", lines: [] }
`,
  path.join(dir, 'ciscophone.yaml'),
);
const ctx = createContext({ config, log: createLogger('silent'), ephemeral: true, clock: () => new Date(now) });
const screens = ctx.idle;

const lines: string[] = [];
const say = (line: string): void => {
  console.log(line);
  lines.push(line);
};

say(`# Idle screen benchmark\n\nMachine: ${os.cpus().length} CPUs (nproc), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.\n`);
say('## Uncached render (clock + date + events, a new minute per render)\n');
say('| Model | Target | median ms | p90 ms |');
say('|---|---|---|---|');
// One warm-up render loads librsvg, Pango and the font.
await screens.screen({ caps: getModel('7941'), language: 'en', timeZone: 'Europe/Berlin' });
for (const id of MODELS) {
  const times: number[] = [];
  for (let i = 0; i < RENDERS; i++) {
    now += 60_000;
    const started = performance.now();
    const screen = await screens.screen({ caps: getModel(id), language: 'en', timeZone: 'Europe/Berlin' });
    times.push(performance.now() - started);
    if (i === 0 && screen.png.length === 0) throw new Error('empty picture');
  }
  times.sort((a, b) => a - b);
  const kind = getModel(id).png ? `PNG ${getModel(id).display.width}×${getModel(id).display.height}` : 'CIP 133×65';
  say(`| ${id} | ${kind} | ${times[Math.floor(RENDERS / 2)]!.toFixed(1)} | ${times[Math.floor(RENDERS * 0.9)]!.toFixed(1)} |`);
}

// Cached requests: the clock stands still, so every request after the first is a cache hit.
const app = await buildApp(ctx, { services: [] });
await app.listen({ port: 0, host: '127.0.0.1' });
const idleUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/idle.png?name=SEP001111000001`;
const bytes = (await app.inject('/idle.png?name=SEP001111000001')).rawPayload;
const bare = Fastify();
bare.get('/idle.png', async (_request, reply) =>
  reply.header('Content-Type', 'image/png').header('Content-Length', bytes.length).header('Cache-Control', 'no-cache').send(bytes),
);
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/idle.png?name=SEP001111000001`;

const before = ctx.idle.stats.snapshot();
const ours = await autocannon({ url: idleUrl, connections: 10, duration: SECONDS });
const baseline = await autocannon({ url: bareUrl, connections: 10, duration: SECONDS });
const after = ctx.idle.stats.snapshot();
const hitRate = (after.hits - before.hits) / Math.max(1, after.requests - before.requests);

say(`\n## Cached GET /idle.png (7941, ${bytes.length} bytes, 10 connections, ${SECONDS} s each)\n`);
say('| Server | req/s | p50 ms | p99 ms | errors |');
say('|---|---|---|---|---|');
say(`| ciscophone /idle.png | ${Math.round(ours.requests.average)} | ${ours.latency.p50} | ${ours.latency.p99} | ${ours.errors + ours.non2xx} |`);
say(`| baseline: bare Fastify route, same bytes | ${Math.round(baseline.requests.average)} | ${baseline.latency.p50} | ${baseline.latency.p99} | ${baseline.errors + baseline.non2xx} |`);
say(`\nciscophone reaches ${Math.round((100 * ours.requests.average) / baseline.requests.average)} % of the baseline; cache hit rate during the run ${(100 * hitRate).toFixed(2)} %.`);

await app.close();
await bare.close();
rmSync(dir, { recursive: true, force: true });
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`\nwritten to ${out}`);
