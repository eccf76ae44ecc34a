/** The health section of the owner's page: config problems, sources, TFTP, HTTP and idle counters. */
import { loadConfig } from '../config/load.js';
import { type ConfigProblem } from '../config/problems.js';
import type { AppContext } from '../context.js';
import type { IdleStats } from '../idle/stats.js';
import type { SourceStatus } from '../sources/status.js';
import type { TftpStats } from '../tftp/index.js';
import type { HttpStats } from './http-stats.js';
import { ConfigError } from '../errors.js';

export interface Health {
  config: { file: string | undefined; problems: ConfigProblem[] };
  directory: SourceStatus[];
  calendar: SourceStatus[];
  tftp: TftpStats | null;
  http: HttpStats;
  idle: IdleStats;
}

/**
 * Problems of the config as it is on disk now (it may have been edited since the start): the same
 * checks `ciscophone check` runs. The built-in demo has none (the server would not have started).
 */
export async function configProblems(ctx: AppContext): Promise<ConfigProblem[]> {
  if (!ctx.configFile) return [];
  try {
    await loadConfig(ctx.configFile);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

export async function health(ctx: AppContext): Promise<Health> {
  return {
    config: { file: ctx.configFile, problems: await configProblems(ctx) },
    directory: ctx.contacts.status(),
    calendar: ctx.calendar.status(),
    tftp: ctx.tftp?.address() ? ctx.tftp.stats() : null,
    http: ctx.httpStats.snapshot(),
    idle: ctx.idle.stats.snapshot(),
  };
}
