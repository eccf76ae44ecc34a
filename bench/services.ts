/**
 * Services menu: `GET /services` requests per second against a bare Fastify route returning the
 * same bytes with the same headers, in the same run (both on loopback, same load generator).
 * Run: node --import tsx bench/services.ts [--out FILE]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { parseConfig } from '../src/config/load.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { load, loadRow, machineLine } from './lib/load.js';

const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1]! : path.join(os.tmpdir(), 'results-services.md');
const SECONDS = 5;

const dir = mkdtempSync(path.join(os.tmpdir(), 'ciscophone-bench-services-'));
const config = parseConfig(
  `server: { publicUrl: "http://127.0.0.1:8080" }
pbx: { host: 127.0.0.1 }
phones:
  - { mac: "001111000001", model: "7941", lines: [] }
services:
${Array.from({ length: 10 }, (_, i) => `  - { name: "Service ${i}", url: "http://example.org/${i}" }`).join('\n')}
`,
  path.join(dir, 'ciscophone.yaml'),
);
const app = await buildApp(createContext({ config, log: createLogger('silent'), ephemeral: true }));
await app.listen({ port: 0, host: '127.0.0.1' });
const path_ = '/services?name=SEP001111000001';
const sample = await app.inject(path_);
const bytes = sample.rawPayload;
const contentType = String(sample.headers['content-type']);

const bare = Fastify();
bare.get('/services', async (_request, reply) => reply.header('Content-Type', contentType).header('Content-Length', bytes.length).send(bytes));
await bare.listen({ port: 0, host: '127.0.0.1' });

const port = (s: typeof app): number => (s.server.address() as { port: number }).port;
const ours = await load(`http://127.0.0.1:${port(app)}${path_}`, { seconds: SECONDS });
const baseline = await load(`http://127.0.0.1:${port(bare)}${path_}`, { seconds: SECONDS });
await app.close();
await bare.close();
rmSync(dir, { recursive: true, force: true });

const lines = [
  '## Services menu (`GET /services`)',
  '',
  machineLine(),
  '',
  `A 7941's menu (${bytes.length} bytes: the discovered services plus 10 configured entries), 10 connections, ${SECONDS} s each, autocannon on loopback.`,
  '',
  '| Server | req/s | p50 ms | p99 ms | errors |',
  '|---|---|---|---|---|',
  loadRow('ciscophone /services (rendered once per phone and page, then cached)', ours),
  loadRow('baseline: bare Fastify route, same bytes', baseline),
  '',
  `Ratio: ciscophone serves ${(ours.requests.average / baseline.requests.average).toFixed(2)}× the baseline's requests per second.`,
];
console.log(lines.join('\n'));
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`\nwritten to ${out}`);
