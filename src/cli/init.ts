/**
 * `ciscophone init`: writes a commented starter ciscophone.yaml (never over an existing file).
 * On a terminal without answer flags it asks; otherwise it takes the flags and the defaults.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { lanIPv4 } from '../config/lan-address.js';
import { parseConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { ADMIN_PASSWORD_VARIABLE, parsePbx, phoneProblems, starterConfig, type StarterAnswers } from '../init/starter-config.js';
import type { Command, CommandIO } from './command.js';
import { systemTimeZone } from '../config/time-zone.js';

/** Flags that answer a question: any of them means "no questions". */
const ANSWER_FLAGS = ['pbx', 'public-url', 'phone', 'model', 'line'] as const;

/** The web port of the publicUrl init suggests. */
const DEFAULT_HTTP_PORT = 8080;

type Ask = (question: string, fallback: string, check: (answer: string) => string | undefined) => Promise<string>;

export const initCommand: Command = {
  name: 'init',
  summary: 'write a commented starter ciscophone.yaml (asks on a terminal; never overwrites)',
  usage: 'ciscophone init [--config FILE] [--pbx HOST[:PORT]] [--public-url URL] [--phone MAC --model 7941 --line 620] [--data DIR]',
  options: {
    pbx: { type: 'string' },
    'public-url': { type: 'string' },
    phone: { type: 'string' },
    model: { type: 'string' },
    line: { type: 'string' },
    data: { type: 'string' },
  },
  async run(io) {
    const file = path.resolve(str(io.values['config']) ?? 'ciscophone.yaml');
    const lan = lanIPv4();
    const defaults: StarterAnswers = {
      publicUrl: `http://${lan}:${DEFAULT_HTTP_PORT}`,
      // A PBX on the same machine is common (Asterisk on the Raspberry Pi); the file says how to change it.
      pbx: { host: lan, port: 5060 },
      dataDir: str(io.values['data']) ?? './data',
      timeZone: systemTimeZone(),
    };
    const interactive = ANSWER_FLAGS.every((k) => io.values[k] === undefined) && process.stdin.isTTY === true && process.stdout.isTTY === true;
    let answers: StarterAnswers;
    try {
      answers = interactive ? await askOnTerminal(defaults) : fromFlags(io, defaults);
    } catch (error) {
      io.err(`${(error as Error).message}\nusage: ${this.usage}`);
      return 2;
    }
    const { text, variables } = starterConfig(answers);
    // What init writes passes `check` once the variables are set.
    parseConfig(text, file, { env: Object.fromEntries(variables.map((v) => [v, 'set'])) });
    await mkdir(path.dirname(file), { recursive: true });
    try {
      // 'wx': never over a file that appeared meanwhile. The file holds no secret (only variable names).
      await writeFile(file, text, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      io.err(`${file} already exists: not overwritten (move it away or pick another --config FILE)`);
      return 1;
    }
    const host = new URL(answers.publicUrl).host;
    const config = file === path.resolve('ciscophone.yaml') ? '' : ` --config ${file}`;
    const width = Math.max(...variables.map((v) => v.length));
    io.out(
      [
        `Wrote ${file}`,
        ...(answers.pbx === defaults.pbx ? [`PBX assumed on this machine (${lan}:5060): change pbx: in the file, or use --pbx HOST[:PORT]`] : []),
        '',
        'Its passwords come from these environment variables (the file holds only their names):',
        ...variables.map((v) => `  ${v.padEnd(width)}  ${v === ADMIN_PASSWORD_VARIABLE ? 'the web page (user admin)' : `SIP password of line ${answers.phone?.line ?? ''}`}`),
        '',
        'Next steps:',
        `  1. Set them: export NAME=value, or for systemd one NAME=value line each in /etc/ciscophone/ciscophone.env`,
        `  2. ciscophone check${config}`,
        `  3. ciscophone serve${config}   (or: sudo systemctl enable --now ciscophone; port 69 needs root or CAP_NET_BIND_SERVICE)`,
        `  4. Point the phone at ${host.replace(/:\d+$/, '')}: DHCP option 150 (or 66), or on the phone Settings > Network Configuration >`,
        '     IPv4 Configuration > Alternate TFTP: Yes, TFTP Server 1: this address',
        `  5. Watch it fetch its files and boot on ${answers.publicUrl}/`,
      ].join('\n'),
    );
    return 0;
  },
};

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function publicUrlProblem(value: string): string | undefined {
  return /^https?:\/\/[^\s/]+\/?$/.test(value) && URL.canParse(value) ? undefined : `"${value}" is not a URL such as http://192.168.1.20:8080`;
}

function fromFlags(io: CommandIO, defaults: StarterAnswers): StarterAnswers {
  const publicUrl = str(io.values['public-url']) ?? defaults.publicUrl;
  const urlProblem = publicUrlProblem(publicUrl);
  if (urlProblem) throw new UsageError(`--public-url: ${urlProblem}`);
  const pbxFlag = str(io.values['pbx']);
  const [mac, model, line] = [str(io.values['phone']), str(io.values['model']), str(io.values['line'])];
  let phone: StarterAnswers['phone'];
  if (mac !== undefined || model !== undefined || line !== undefined) {
    if (mac === undefined || model === undefined || line === undefined) throw new UsageError('a first phone needs --phone MAC, --model and --line together');
    phone = { mac, model, line };
    const problems = phoneProblems(phone);
    if (problems.length > 0) throw new UsageError(problems.join('\n'));
  }
  return { ...defaults, publicUrl: publicUrl.replace(/\/+$/, ''), pbx: pbxFlag === undefined ? defaults.pbx : parsePbx(pbxFlag), phone };
}

/** The questions on a terminal; an empty answer takes the default shown in brackets. */
async function askAnswers(defaults: StarterAnswers, ask: Ask): Promise<StarterAnswers> {
  const pbx = await ask('PBX (SIP server) HOST[:PORT]', `${defaults.pbx.host}:${defaults.pbx.port}`, (a) => problemOf(() => parsePbx(a)));
  const publicUrl = await ask('How phones reach this machine (publicUrl)', defaults.publicUrl, publicUrlProblem);
  const mac = await ask('First phone\'s MAC address (empty: none yet)', '', (a) => (a === '' ? undefined : phoneProblems({ mac: a, model: '7941', line: '1' })[0]));
  let phone: StarterAnswers['phone'];
  if (mac !== '') {
    const model = await ask('Its model', '7941', (a) => phoneProblems({ mac, model: a, line: '1' })[0]);
    const line = await ask('Its line (extension / SIP user)', '', (a) => phoneProblems({ mac, model, line: a })[0]);
    phone = { mac, model, line };
  }
  return { ...defaults, pbx: parsePbx(pbx), publicUrl: publicUrl.replace(/\/+$/, ''), phone };
}

function problemOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^--\w+: /, '');
  }
}

async function askOnTerminal(defaults: StarterAnswers): Promise<StarterAnswers> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const closed = new Promise<never>((_, reject) => rl.once('close', () => reject(new Error('no answer (input closed)'))));
  closed.catch(() => undefined);
  try {
    return await askAnswers(defaults, async (question, fallback, check) => {
      for (;;) {
        const answer = (await Promise.race([rl.question(`${question}${fallback ? ` [${fallback}]` : ''}: `), closed])).trim() || fallback;
        const problem = check(answer);
        if (!problem) return answer;
        process.stdout.write(`  ${problem}\n`);
      }
    });
  } finally {
    rl.close();
  }
}
