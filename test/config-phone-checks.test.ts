import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type ConfigProblem } from '../src/config/problems.js';
import { parseConfig } from '../src/config/load.js';
import { runCli } from './helpers/cli.js';
import { ConfigError } from '../src/errors.js';

/** The problems a config text gives (empty when it loads). */
function problemsOf(yaml: string): ConfigProblem[] {
  try {
    parseConfig(`pbx: { host: pbx }\n${yaml}`, path.join(os.tmpdir(), 'ciscophone.yaml'), { env: { SIP_PW: 'a"b' } });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

const paths = (yaml: string): string[] => problemsOf(yaml).map((p) => p.path);

describe('ciscophone check: what the phones themselves would refuse', () => {
  it('a phone needs at least one line', () => {
    assert.deepEqual(paths('phones:\n  - { mac: "008041AEFD7E", model: "7941" }\n'), ['phones[0].lines']);
    assert.deepEqual(paths('phones:\n  - { mac: "008041AEFD7E", model: "7941", lines: [ { number: "620" } ] }\n'), []);
  });

  it('labels on a 7940/7960: no spaces, at most 11 characters', () => {
    const line = 'lines: [ { number: "620" } ]';
    assert.deepEqual(paths(`phones:\n  - { mac: "008041AEFD7E", model: "7940", label: "Front desk", ${line} }\n`), ['phones[0].label']);
    assert.deepEqual(paths(`phones:\n  - { mac: "008041AEFD7E", model: "7941", label: "Front desk", ${line} }\n`), []);
    assert.deepEqual(paths(`phones:\n  - { mac: "008041AEFD7E", model: "7940", label: "Receptionxx", ${line} }\n`), []);
    assert.deepEqual(paths(`phones:\n  - { mac: "008041AEFD7E", model: "7940", label: "Receptionxxx", ${line} }\n`), ['phones[0].label']);
    assert.deepEqual(paths(`phones:\n  - { mac: "008041AEFD7E", model: "7941", label: "Receptionxxx", ${line} }\n`), []);
  });

  it('line name, auth name, display name, label and password: at most 30 characters', () => {
    const long = 'x'.repeat(31);
    const ok = 'y'.repeat(30);
    const yaml = (field: string, value: string) => `phones:\n  - { mac: "008041AEFD7E", model: "7941", lines: [ { number: "620", ${field}: "${value}" } ] }\n`;
    for (const field of ['displayName', 'authName', 'label', 'password']) {
      assert.deepEqual(paths(yaml(field, long)), [`phones[0].lines[0].${field}`], field);
      assert.deepEqual(paths(yaml(field, ok)), [], field);
    }
    assert.deepEqual(paths(`phones:\n  - { mac: "008041AEFD7E", model: "7941", lines: [ { number: "${long}" } ] }\n`), ['phones[0].lines[0].number']);
    // The message never repeats a password.
    assert.ok(problemsOf(yaml('password', long)).every((p) => !p.message.includes(long)));
  });

  it('7940/7960: values the flat file cannot carry are reported with their path; secrets are never rewritten', () => {
    const old = (line: string) => `phones:\n  - { mac: "001120AABBCC", model: "7960", lines: [ ${line} ] }\n`;
    assert.deepEqual(paths(old('{ number: "622", password: "${SIP_PW}" }')), ['phones[0].lines[0].password']);
    assert.deepEqual(paths(old('{ number: "622", password: "Kx;9" }')), ['phones[0].lines[0].password']);
    assert.deepEqual(paths(old('{ number: "622", password: "Kx€9" }')), ['phones[0].lines[0].password'], 'a secret is not transliterated');
    assert.deepEqual(paths(old('{ number: "622", displayName: "Anna \\"Ann\\" Berg" }')), ['phones[0].lines[0].displayName']);
    assert.deepEqual(paths(old('{ number: "622", displayName: "Zoë € Müller", password: "Kx&ab;" }')), ['phones[0].lines[0].password']);
    assert.deepEqual(paths(`defaults: { messagesNumber: "*9;1" }\n${old('{ number: "622" }')}`), ['defaults.messagesNumber']);
    // The same values are fine for a phone with cnf.xml (escaped there as XML).
    assert.deepEqual(paths(`phones:\n  - { mac: "008041AEFD7E", model: "7941", lines: [ { number: "620", password: "Kx;\\"9" } ] }\n`), []);
  });

  it('prints a warning for a catch-all dial rule with timeout 0 and still accepts the file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'check-'));
    const file = path.join(dir, 'ciscophone.yaml');
    writeFileSync(file, 'pbx: { host: pbx }\ndialplan:\n  rules:\n    - { match: "911", timeout: 0 }\n    - { match: "*", timeout: 0 }\n');
    const r = await runCli(['check', '--config', file]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.outLines.filter((l) => l.startsWith('warning:')).map((l) => l.split(':')[1]?.trim()), ['dialplan.rules[1].timeout']);
  });
});
