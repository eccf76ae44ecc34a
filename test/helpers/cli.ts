import { main } from '../../src/cli.js';

export interface CliRun {
  code: number;
  /** Everything printed, one line per `out`/`err` call joined with newlines. */
  out: string;
  err: string;
  outLines: string[];
  errLines: string[];
}

/** Runs one `ciscophone …` command line in this process, capturing what it prints. */
export async function runCli(args: string[], cwd?: string): Promise<CliRun> {
  const outLines: string[] = [];
  const errLines: string[] = [];
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(args, { out: (l) => outLines.push(l), err: (l) => errLines.push(l) });
    return { code, out: outLines.join('\n'), err: errLines.join('\n'), outLines, errLines };
  } finally {
    if (cwd) process.chdir(previous);
  }
}
