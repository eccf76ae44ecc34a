import type { LoadOptions, ResolvedConfig } from '../config/load.js';

export type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

export interface CommandIO {
  /** Parsed `--flags`. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  out: (line: string) => void;
  err: (line: string) => void;
  /** Loads `--config` (or ./ciscophone.yaml, or the demo) with `--http-port`/`--tftp-port` applied (`options`, for a reload); prints problems and returns undefined when invalid. */
  loadConfig: () => Promise<{ config: ResolvedConfig; file: string | undefined; options?: LoadOptions } | undefined>;
}

/** One `ciscophone <name>` command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Exit code. */
  run: (io: CommandIO) => Promise<number>;
}
