import type { ResolvedConfig } from './load.js';
import type { ConfigProblem } from './problems.js';

/** A check that needs more than the schema (limits of the files a phone will parse, say). */
export type ConfigCheck = (config: ResolvedConfig) => ConfigProblem[];

/** Every feature's checks; run by `ciscophone check` and at startup. */
export const CONFIG_CHECKS: ConfigCheck[] = [];

export function runConfigChecks(config: ResolvedConfig): ConfigProblem[] {
  return CONFIG_CHECKS.flatMap((check) => check(config));
}
