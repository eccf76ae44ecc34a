/** The health section of the owner's page: config problems, sources, TFTP, HTTP and idle counters. */
import { type ConfigProblem } from '../config/problems.js';
import type { AppContext } from '../context.js';
import type { IdleStats } from '../idle/stats.js';
import type { SourceStatus } from '../sources/status.js';
import type { TftpStats } from '../tftp/index.js';
import type { HttpStats } from './http-stats.js';

export interface Health {
  config: { file: string | undefined; problems: ConfigProblem[] };
  directory: SourceStatus[];
  calendar: SourceStatus[];
  tftp: TftpStats | null;
  http: HttpStats;
  idle: IdleStats;
}

/**
 * The problems are those of the last reading of the config file (at a saved change or SIGHUP):
 * while the file has any, the last good config stays in force (src/reload.ts).
 */
export function health(ctx: AppContext): Health {
  return {
    config: { file: ctx.configFile, problems: ctx.reloader?.problems ?? [] },
    directory: ctx.contacts.status(),
    calendar: ctx.calendar.status(),
    tftp: ctx.tftp?.address() ? ctx.tftp.stats() : null,
    http: ctx.httpStats.snapshot(),
    idle: ctx.idle.stats.snapshot(),
  };
}
