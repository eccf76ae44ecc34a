import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { substituteEnv } from './env.js';
import { lanIPv4 } from './lan-address.js';
import { normaliseMac } from './mac.js';
import { provisioningProblems } from '../provisioning/problems.js';
import { resolvePaths } from './paths.js';
import { type ConfigProblem } from './problems.js';
import type { Config } from './schema.js';
import { configSchema } from '../generated/config-validator.js';
import { validateConfig } from './validate.js';
import { ConfigError } from '../errors.js';

/** A validated config with every default filled in and every path absolute. */
export type ResolvedConfig = Config & {
  server: Config['server'] & { publicUrl: string; dataDir: string };
};

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Command-line overrides (`--http-port`, `--tftp-port`). */
  httpPort?: number;
  tftpPort?: number;
  /** Where caches go when the config does not say (default: data/ beside the file). */
  dataDir?: string;
}

export async function loadConfig(file: string, options: LoadOptions = {}): Promise<ResolvedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})` }]);
  }
  return parseConfig(text, file, options);
}

/** Parses, substitutes `${VAR}`, validates and normalises one config text. Throws ConfigError. */
export function parseConfig(text: string, file: string, options: LoadOptions = {}): ResolvedConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: e.linePos ? `line ${e.linePos[0].line}` : '', message: e.message.split('\n')[0]! })),
    );
  }
  const problems: ConfigProblem[] = [];
  const raw = substituteEnv(doc.toJS() ?? {}, options.env ?? process.env, problems);
  const { config, problems: schemaProblems } = validateConfig(raw);
  problems.push(...schemaProblems);
  if (!config || problems.length > 0) throw new ConfigError(file, problems);

  const baseDir = path.dirname(path.resolve(file));
  resolvePaths(configSchema as never, config, baseDir);
  normalise(config, problems);
  if (problems.length > 0) throw new ConfigError(file, problems);

  if (options.httpPort !== undefined) config.server.http.port = options.httpPort;
  if (options.tftpPort !== undefined) config.server.tftp.port = options.tftpPort;
  const server = config.server;
  return {
    ...config,
    server: {
      ...server,
      dataDir: server.dataDir ?? options.dataDir ?? path.join(baseDir, 'data'),
      publicUrl: (server.publicUrl ?? `http://${lanIPv4()}:${server.http.port}`).replace(/\/+$/, ''),
    },
  };
}

/** Checks that go beyond the schema, and canonical forms (MACs upper-case hex). */
function normalise(config: Config, problems: ConfigProblem[]): void {
  const seen = new Map<string, number>();
  config.phones.forEach((phone, i) => {
    phone.mac = normaliseMac(phone.mac)!;
    const first = seen.get(phone.mac);
    if (first !== undefined) problems.push({ path: `phones[${i}].mac`, message: `same MAC as phones[${first}]` });
    else seen.set(phone.mac, i);
  });
  config.calendar.sources.forEach((source, i) => {
    if (source.type === 'ics' && (source.path === undefined) === (source.url === undefined)) {
      problems.push({ path: `calendar.sources[${i}]`, message: 'an ics source needs either path or url' });
    }
  });
  problems.push(...provisioningProblems(config));
}
