/** HTTP load with autocannon, shared by the benchmarks that compare a route with a bare Fastify one. */
import { createRequire } from 'node:module';
import os from 'node:os';

export interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}

type Autocannon = (options: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<LoadResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export function load(url: string, options: { connections?: number; seconds?: number; headers?: Record<string, string> } = {}): Promise<LoadResult> {
  return autocannon({ url, connections: options.connections ?? 10, duration: options.seconds ?? 5, ...(options.headers ? { headers: options.headers } : {}) });
}

/** One table row: name, req/s, p50, p99, errors. */
export function loadRow(name: string, r: LoadResult): string {
  return `| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.errors + r.non2xx} |`;
}

export function machineLine(): string {
  return `Machine: ${os.cpus().length} CPUs (nproc), ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`;
}
