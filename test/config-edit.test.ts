/**
 * Phones added, changed and removed in the YAML text: everything but the one phone stays byte for
 * byte (comments, their alignment, quoting, order), `${VAR}` stays `${VAR}`, and the result is
 * validated before it is written (with the previous file kept as .bak).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { changePhonesFile, changePhonesText } from '../src/config/edit-phones.js';
import { parseConfig } from '../src/config/load.js';
import { ConfigError, hasCode } from '../src/errors.js';

const ENV = { OFFICE_PW: 'office-secret', KITCHEN_PW: 'kitchen-secret' };
const options = { env: ENV };

const HEAD = `# ciscophone: the house
server:
  http: { host: 127.0.0.1, port: 8080 }     # aligned comment
  tftp: { host: 127.0.0.1, port: 6969, root: ./tftp }   # another one
pbx: { host: 192.168.178.1, port: 5060 }
defaults:
  language: de                # words on the phones
`;
const OFFICE = `  # the desk phone
  - mac: "00:80:41:AE:FD:7E"              # any common form
    model: "7941"
    label: Office
    lines:
      - { number: "620", displayName: Office, authName: office, password: "\${OFFICE_PW}" }
`;
const KITCHEN = `  - mac: "0019.e8a1.7970"
    model: "7970"
    label: Kitchen
    lines:
      - { number: "621", password: "\${KITCHEN_PW}" }
`;
const TAIL = `
# where names come from
directory:
  sources: []      # none yet
`;
const TEXT = `${HEAD}phones:\n${OFFICE}${KITCHEN}${TAIL}`;

describe('changing phones in the YAML text', () => {
  it('adds a phone at the end of the list; every other byte stays', () => {
    const next = changePhonesText(TEXT, { kind: 'add', phone: { mac: '00:11:22:33:44:55', model: '7941', label: 'Hall', lines: [{ number: '622', authName: 'hall', password: 'pw-622' }] } }, 'c.yaml', options);
    const added = '  - mac: 00:11:22:33:44:55\n    model: "7941"\n    label: Hall\n    lines:\n      - { number: "622", authName: hall, password: pw-622 }\n';
    assert.equal(next, `${HEAD}phones:\n${OFFICE}${KITCHEN}${added}${TAIL}`);
    const config = parseConfig(next, 'c.yaml', options);
    assert.equal(config.phones[2]!.mac, '001122334455');
    assert.equal(config.phones[2]!.lines[0]!.password, 'pw-622');
  });

  it('edits one phone: its ${VAR} password stays ${VAR}, the rest of the file byte for byte', () => {
    const next = changePhonesText(TEXT, { kind: 'edit', mac: '0080.41ae.fd7e', phone: { label: 'Desk', lines: [{ number: '630', displayName: 'Desk' }] } }, 'c.yaml', options);
    assert.ok(next.startsWith(`${HEAD}phones:\n  # the desk phone\n`), next);
    assert.ok(next.endsWith(`${KITCHEN}${TAIL}`), next);
    assert.match(next, /- \{ number: "630", displayName: Desk, authName: office, password: "\$\{OFFICE_PW\}" \}/);
    assert.match(next, /label: Desk/);
    const config = parseConfig(next, 'c.yaml', options);
    assert.equal(config.phones[0]!.lines[0]!.password, 'office-secret');
  });

  it('removes a phone with the comment above it', () => {
    const next = changePhonesText(TEXT, { kind: 'remove', mac: '008041AEFD7E' }, 'c.yaml', options);
    assert.equal(next, `${HEAD}phones:\n${KITCHEN}${TAIL}`);
  });

  it('turns `phones: []` into a list, and adds the section when it is missing', () => {
    const phone = { mac: '001122334455', model: '7941', lines: [{ number: '1' }] };
    const empty = `pbx: { host: 10.0.0.1 }\nphones: []   # none yet\nservices: []\n`;
    assert.equal(
      changePhonesText(empty, { kind: 'add', phone }, 'c.yaml'),
      `pbx: { host: 10.0.0.1 }\nphones:   # none yet\n  - mac: "001122334455"\n    model: "7941"\n    lines:\n      - { number: "1" }\nservices: []\n`,
    );
    assert.equal(
      changePhonesText('pbx: { host: 10.0.0.1 }', { kind: 'add', phone }, 'c.yaml'),
      `pbx: { host: 10.0.0.1 }\nphones:\n  - mac: "001122334455"\n    model: "7941"\n    lines:\n      - { number: "1" }\n`,
    );
  });

  it('refuses an existing MAC, an unknown one, and an invalid result with each problem’s path', () => {
    assert.throws(() => changePhonesText(TEXT, { kind: 'add', phone: { mac: '0019E8A17970', model: '7941', lines: [{ number: '1' }] } }, 'c.yaml', options), (e) => hasCode(e, 'CISCOPHONE_PHONE_EXISTS'));
    assert.throws(() => changePhonesText(TEXT, { kind: 'remove', mac: '001122334455' }, 'c.yaml', options), (e) => hasCode(e, 'CISCOPHONE_PHONE_NOT_FOUND'));
    assert.throws(
      () => changePhonesText(TEXT, { kind: 'add', phone: { mac: '00:11', model: '7999', label: 'A label too long', lines: [] } }, 'c.yaml', options),
      (e) => e instanceof ConfigError && ['phones[2].mac', 'phones[2].model'].every((p) => e.problems.some((q) => q.path === p)),
    );
  });
});

describe('writing the file', () => {
  it('writes atomically, keeps the previous text as .bak and the file mode', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'edit-'));
    try {
      const file = path.join(dir, 'ciscophone.yaml');
      await writeFile(file, TEXT);
      await chmod(file, 0o640);
      const config = await changePhonesFile(file, { kind: 'remove', mac: '0019E8A17970' }, options);
      assert.equal(config.phones.length, 1);
      assert.equal(await readFile(`${file}.bak`, 'utf8'), TEXT);
      assert.equal(await readFile(file, 'utf8'), `${HEAD}phones:\n${OFFICE}${TAIL}`);
      assert.equal((await stat(file)).mode & 0o777, 0o640);
      await assert.rejects(changePhonesFile(undefined, { kind: 'remove', mac: '0019E8A17970' }), (e) => hasCode(e, 'CISCOPHONE_CONFIG_READ_ONLY'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
