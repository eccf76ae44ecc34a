import { parseArgs } from 'node:util';
import { chooseConfig, loadChosenConfig } from './cli/config-source.js';
import type { Command, OptionSpec } from './cli/command.js';
import { COMMANDS } from './cli/commands.js';
import { UsageError } from './errors.js';
import { PACKAGE_VERSION } from './package-root.js';

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  config: { type: 'string', short: 'c' },
  'http-port': { type: 'string' },
  'tftp-port': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export interface Streams {
  out: (line: string) => void;
  err: (line: string) => void;
}

const STDIO: Streams = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: ciscophone <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'common options: --config FILE  --http-port N  --tftp-port N  --help',
    'ciscophone --version prints the version.',
    'Without --config, ./ciscophone.yaml is used when present, else the built-in demo.',
  ].join('\n');
}

function port(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port number (0-65535), not ${JSON.stringify(value)}`);
  return n;
}

/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 usage error). */
export async function main(argv: string[], streams: Streams = STDIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    streams.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    streams.out(`ciscophone ${PACKAGE_VERSION}`);
    return 0;
  }
  const command: Command | undefined = COMMANDS.find((c) => c.name === name);
  if (!command) {
    streams.err(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  let parsed;
  let httpPort: number | undefined;
  let tftpPort: number | undefined;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    httpPort = port(parsed.values['http-port'], '--http-port');
    tftpPort = port(parsed.values['tftp-port'], '--tftp-port');
  } catch (error) {
    streams.err(`${(error as Error).message}\nusage: ${command.usage}`);
    return 2;
  }
  if (parsed.values['help']) {
    streams.out(`usage: ${command.usage}\n${command.summary}`);
    return 0;
  }
  const configFlag = parsed.values['config'];
  const choice = chooseConfig(typeof configFlag === 'string' ? configFlag : undefined);
  try {
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      out: streams.out,
      err: streams.err,
      loadConfig: async () => {
        const options = { ...(httpPort !== undefined ? { httpPort } : {}), ...(tftpPort !== undefined ? { tftpPort } : {}) };
        const config = await loadChosenConfig(choice, options, streams.err);
        return config ? { config, file: choice.file, options } : undefined;
      },
    });
  } catch (error) {
    streams.err(`ciscophone ${name}: ${(error as Error).message}`);
    return 1;
  }
}
