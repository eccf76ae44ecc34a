/**
 * The commented starter `ciscophone.yaml` that `ciscophone init` writes: pure text from the
 * answers, every secret a `${VAR}` placeholder so no password is ever written to the file.
 */
import { normaliseMac } from '../config/mac.js';
import { UsageError } from '../errors.js';
import { MODEL_IDS, type ModelId } from '../phones/models.js';

export interface StarterAnswers {
  /** How phones reach this machine, e.g. http://192.168.1.20:8080. */
  publicUrl: string;
  pbx: { host: string; port: number };
  /** Caches and state; the TFTP root goes in its tftp/ folder. Relative paths are beside the config file. */
  dataDir: string;
  timeZone: string;
  phone?: { mac: string; model: string; line: string } | undefined;
}

export interface StarterConfig {
  text: string;
  /** The environment variables the file reads its passwords from, in the order they appear. */
  variables: string[];
}

export const ADMIN_PASSWORD_VARIABLE = 'CISCOPHONE_ADMIN_PASSWORD';

/** A SIP user name a phone line can have (it also names the line's password variable). */
const LINE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._+*#-]{0,31}$/;
/** A host name, an IPv4 address or a bracketed IPv6 address, then an optional port. */
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))(?::(\d{1,5}))?$/;

/** `HOST[:PORT]` (`[v6]:PORT` for IPv6) → host and port (5060 when absent); throws a message that says what is wrong. */
export function parsePbx(value: string): { host: string; port: number } {
  const m = HOST_PORT.exec(value.trim());
  const port = m?.[3] === undefined ? 5060 : Number(m[3]);
  if (!m || port < 1 || port > 65535) throw new UsageError(`--pbx: "${value}" is not HOST or HOST:PORT (e.g. 192.168.1.1 or pbx.lan:5060)`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** Checks the first phone's answers; returns the problems (empty when the phone is fine). */
export function phoneProblems(phone: { mac: string; model: string; line: string }): string[] {
  const problems: string[] = [];
  if (normaliseMac(phone.mac) === null) problems.push(`--phone: "${phone.mac}" is not a MAC address (e.g. 00:80:41:AE:FD:7E or 008041AEFD7E)`);
  if (!MODEL_IDS.includes(phone.model as ModelId)) problems.push(`--model: "${phone.model}" is not one of ${MODEL_IDS.join(' ')}`);
  if (!LINE_NUMBER.test(phone.line)) problems.push(`--line: "${phone.line}" is not an extension or SIP user name (e.g. 620)`);
  return problems;
}

/** The password variable of a line: CISCOPHONE_LINE_620_PASSWORD. */
export function linePasswordVariable(line: string): string {
  return `CISCOPHONE_LINE_${line.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PASSWORD`;
}

/** A YAML double-quoted scalar (JSON's string syntax is valid YAML). */
const q = (value: string): string => JSON.stringify(value);

export function starterConfig(answers: StarterAnswers): StarterConfig {
  const variables = [ADMIN_PASSWORD_VARIABLE];
  const { phone } = answers;
  const phoneLines = phone
    ? (() => {
        const mac = normaliseMac(phone.mac)!.replace(/(..)(?!$)/g, '$1:');
        const variable = linePasswordVariable(phone.line);
        variables.push(variable);
        return [
          `  - mac: ${q(mac)}`,
          `    model: ${q(phone.model)}`,
          `    label: ${q(`Line ${phone.line}`)}`,
          '    lines:',
          `      - { number: ${q(phone.line)}, password: "\${${variable}}" }   # authName: when the PBX wants another user name`,
        ];
      })()
    : [];
  const dataDir = answers.dataDir.replace(/\/+$/, '');
  const text = [
    '# ciscophone configuration, written by `ciscophone init`.',
    '# Every key is described in the README; `ciscophone schema` prints the JSON Schema for editors.',
    '# After a change: `ciscophone check --config <this file>`, then restart the server.',
    '#',
    '# Passwords are never written here: "${NAME}" is read from the environment variable NAME',
    '# (for the systemd unit: the EnvironmentFile, /etc/ciscophone/ciscophone.env).',
    '',
    'server:',
    '  # How the phones reach this machine: every URL handed to a phone starts with it.',
    `  publicUrl: ${q(answers.publicUrl)}`,
    '  http: { host: 0.0.0.0, port: ' + String(portOf(answers.publicUrl)) + ' }   # services and the web page',
    '  # Phones ask for their config on UDP port 69: it needs root or CAP_NET_BIND_SERVICE',
    '  # (the systemd unit grants it). The root holds firmware and your own files.',
    `  tftp: { host: 0.0.0.0, port: 69, root: ${q(`${dataDir}/tftp`)} }`,
    `  dataDir: ${q(dataDir)}   # caches and state: the only folder ciscophone writes to`,
    '',
    '# The SIP server (Asterisk, FreePBX, a FRITZ!Box …) the phones register with.',
    `pbx: { host: ${q(answers.pbx.host)}, port: ${answers.pbx.port} }`,
    '',
    '# Every phone gets these; a phone\'s own keys win.',
    'defaults:',
    '  language: en            # en or de: every word on the phones',
    `  timeZone: ${q(answers.timeZone)}`,
    '',
    '# The web page: with a password it answers on the LAN (user "admin"), without one on this machine only.',
    'admin:',
    `  password: "\${${ADMIN_PASSWORD_VARIABLE}}"`,
    '',
    '# The phones, by MAC address (on the label under the phone, or Settings > Network Configuration).',
    '# Models: ' + MODEL_IDS.join(' '),
    ...(phone ? ['phones:', ...phoneLines] : ['phones: []']),
    '# Another phone:',
    '#  - mac: "00:19:E8:A1:79:70"',
    '#    model: "7970"',
    '#    label: Kitchen',
    '#    lines:',
    '#      - { number: "621", password: "${CISCOPHONE_LINE_621_PASSWORD}" }',
    '',
    '# Phone book and calendar (see the README for CardDAV, CalDAV, vCard and ICS sources):',
    '# directory:',
    '#   sources:',
    '#     - { type: carddav, name: Family, url: "https://cloud.example.org/remote.php/dav", username: anna, password: "${DAV_PASSWORD}" }',
    '',
  ].join('\n');
  return { text, variables };
}

function portOf(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
}
