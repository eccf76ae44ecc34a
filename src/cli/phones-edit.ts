/**
 * `ciscophone phones add <MAC> …` and `phones remove <MAC>`: the same change the web page makes
 * (`config/edit-phones.ts`), written into the config file; a running server reloads it.
 */
import { changePhonesFile, type PhoneChange } from '../config/edit-phones.js';
import { formatProblem } from '../config/problems.js';
import { ConfigError, hasCode, UsageError } from '../errors.js';
import type { CommandIO, OptionSpec } from './command.js';

export const PHONE_EDIT_OPTIONS: Record<string, OptionSpec> = {
  model: { type: 'string' },
  label: { type: 'string' },
  line: { type: 'string' },
  'auth-name': { type: 'string' },
  'display-name': { type: 'string' },
  password: { type: 'string' },
};

export const PHONE_EDIT_USAGE =
  'ciscophone phones add <MAC> --model 7941 [--label L] --line N [--auth-name A] [--display-name D] [--password P] [--config FILE]\n' +
  '       ciscophone phones remove <MAC> [--config FILE]';

function text(io: CommandIO, name: string): string | undefined {
  const value = io.values[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The change the command line asks for. */
export function phoneChangeFromArgs(io: CommandIO): PhoneChange {
  const [action, mac] = io.positionals;
  if (!mac || io.positionals.length > 2) throw new UsageError(`usage: ${PHONE_EDIT_USAGE}`);
  if (action === 'remove') return { kind: 'remove', mac };
  const model = text(io, 'model');
  const number = text(io, 'line');
  if (!model || !number) throw new UsageError(`phones add needs --model and --line\nusage: ${PHONE_EDIT_USAGE}`);
  const authName = text(io, 'auth-name');
  const displayName = text(io, 'display-name');
  const password = text(io, 'password');
  const label = text(io, 'label');
  return {
    kind: 'add',
    phone: {
      mac,
      model,
      ...(label ? { label } : {}),
      lines: [{ number, ...(authName ? { authName } : {}), ...(displayName ? { displayName } : {}), ...(password ? { password } : {}) }],
    },
  };
}

export async function runPhoneEdit(io: CommandIO): Promise<number> {
  const change = phoneChangeFromArgs(io);
  const loaded = await io.loadConfig();
  if (!loaded) return 1;
  try {
    await changePhonesFile(loaded.file, change, loaded.options);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`${error.file}: not changed, ${error.problems.length} problem(s)`);
      for (const p of error.problems) io.err(`  ${formatProblem(p)}`);
      return 1;
    }
    if (hasCode(error, 'CISCOPHONE_PHONE_EXISTS') || hasCode(error, 'CISCOPHONE_PHONE_NOT_FOUND') || hasCode(error, 'CISCOPHONE_CONFIG_READ_ONLY')) {
      io.err((error as Error).message);
      return 1;
    }
    throw error;
  }
  io.out(`${loaded.file}: phone ${change.kind === 'add' ? change.phone.mac : change.mac} ${change.kind === 'add' ? 'added' : 'removed'} (previous file kept as ${loaded.file}.bak); a running server applies it at once`);
  return 0;
}
