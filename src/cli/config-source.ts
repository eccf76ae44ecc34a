import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type LoadOptions, type ResolvedConfig } from '../config/load.js';
import { formatProblem } from '../config/problems.js';
import { DEMO_CONFIG } from '../package-root.js';
import { ConfigError } from '../errors.js';

export interface ConfigChoice {
  /** The file to read; undefined = the built-in demo. */
  file: string | undefined;
  path: string;
}

/** `--config FILE`, else ./ciscophone.yaml when present, else the built-in demo. */
export function chooseConfig(explicit: string | undefined, cwd: string = process.cwd()): ConfigChoice {
  if (explicit) return { file: path.resolve(cwd, explicit), path: path.resolve(cwd, explicit) };
  const local = path.join(cwd, 'ciscophone.yaml');
  if (existsSync(local)) return { file: local, path: local };
  return { file: undefined, path: DEMO_CONFIG };
}

/**
 * Loads and checks the chosen config. Problems are printed one per line with their path;
 * the result is undefined when there are any.
 */
export async function loadChosenConfig(
  choice: ConfigChoice,
  options: LoadOptions,
  err: (line: string) => void,
): Promise<ResolvedConfig | undefined> {
  try {
    // The demo keeps its state in ./data of the current folder, not inside the package.
    return await loadConfig(choice.path, choice.file ? options : { dataDir: path.resolve('data'), ...options });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`${error.file}: ${error.problems.length} problem(s)`);
    for (const p of error.problems) err(`  ${formatProblem(p)}`);
  }
  return undefined;
}
