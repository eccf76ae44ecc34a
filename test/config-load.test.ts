import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig, parseConfig } from '../src/config/load.js';
import { normaliseMac } from '../src/config/mac.js';
import { durationSeconds } from '../src/config/duration.js';
import { ConfigError } from '../src/errors.js';

function problemsOf(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(yaml, '/etc/ciscophone/ciscophone.yaml', { env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  }
  return [];
}

describe('config loading', () => {
  it('accepts the forms of MAC address people write', () => {
    for (const form of ['00:80:41:ae:fd:7e', '00-80-41-AE-FD-7E', '0080.41ae.fd7e', '008041AEFD7E']) {
      assert.equal(normaliseMac(form), '008041AEFD7E', form);
    }
    for (const bad of ['00:11', '0080.41ae.fd7', '00:80:41:ae:fd:7g', '00:80-41:ae:fd:7e', '']) {
      assert.equal(normaliseMac(bad), null, bad);
    }
  });

  it('reports every problem with the path a user can find in the file', () => {
    const problems = problemsOf(`
pbx: { host: 192.168.1.1 }
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941" }
  - { mac: "00:11", model: "7999", colour: blue, lines: [ { number: 620, password: "\${OFFICE_PW}" } ] }
directory: { sources: [ { type: ldap } ] }
`);
    assert.deepEqual(problems.sort(), [
      'directory.sources[0]: type "ldap" is not known',
      'phones[1].lines[0].password: environment variable OFFICE_PW is not set',
      'phones[1].mac: "00:11" is not a MAC address',
      'phones[1].model: "7999" is not one of "7940", "7960", "7941", "7961", "7942", "7962", "7945", "7965", "7970", "7971", "7975"',
      'phones[1]: unknown key "colour"',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('pbx: { host: 192.168.1.1\nphones: [\n');
    assert.ok(problems.length > 0);
    assert.match(problems[0]!, /^line \d+: /);
  });

  it('finds duplicate MACs in different spellings', () => {
    const problems = problemsOf(`
pbx: { host: pbx }
phones:
  - { mac: "00:80:41:ae:fd:7e", model: "7941", lines: [ { number: "620" } ] }
  - { mac: "0080.41AE.FD7E", model: "7970", lines: [ { number: "621" } ] }
`);
    assert.deepEqual(problems, ['phones[1].mac: same MAC as phones[0]']);
  });

  it('takes ${VAR} from the environment, normalises MACs, resolves paths and fills defaults', () => {
    const config = parseConfig(
      `
server: { tftp: { root: ./firmware } }
pbx: { host: fritz.box }
phones:
  - mac: "0080.41ae.fd7e"
    model: "7941"
    lines: [ { number: 620, password: "\${OFFICE_PW}" } ]
directory: { sources: [ { type: vcard, path: contacts/family.vcf } ] }
`,
      '/etc/ciscophone/ciscophone.yaml',
      { env: { OFFICE_PW: 's3cret&<' } },
    );
    assert.equal(config.phones[0]!.mac, '008041AEFD7E');
    assert.equal(config.phones[0]!.lines[0]!.number, '620', 'a YAML number becomes the extension text');
    assert.equal(config.phones[0]!.lines[0]!.password, 's3cret&<');
    assert.equal(config.server.tftp.root, '/etc/ciscophone/firmware');
    assert.equal(config.server.dataDir, '/etc/ciscophone/data');
    assert.deepEqual(config.directory.sources[0], { type: 'vcard', path: '/etc/ciscophone/contacts/family.vcf' });
    assert.equal(config.server.http.port, 8080);
    assert.equal(config.server.tftp.port, 69);
    assert.equal(config.pbx.port, 5060);
    assert.equal(config.directory.dialing.country, '49');
    assert.match(config.server.publicUrl, /^http:\/\/[0-9.]+:8080$/);
  });

  it('keeps $${VAR} literal and applies command-line port overrides', () => {
    const config = parseConfig('pbx: { host: pbx }\nservices: [ { name: "Price $${X}", url: "http://x/" } ]\n', '/tmp/c.yaml', {
      env: {},
      httpPort: 18080,
      tftpPort: 6969,
    });
    assert.equal(config.services[0]!.name, 'Price ${X}');
    assert.equal(config.server.http.port, 18080);
    assert.equal(config.server.tftp.port, 6969);
    assert.match(config.server.publicUrl, /:18080$/);
  });

  it('says which file it cannot read', async () => {
    await assert.rejects(loadConfig('/nonexistent/ciscophone.yaml'), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /cannot read the file \(ENOENT\)/);
      return true;
    });
  });

  it('needs either path or url for an ics calendar', () => {
    assert.deepEqual(problemsOf('pbx: { host: pbx }\ncalendar: { sources: [ { type: ics } ] }\n'), [
      'calendar.sources[0]: an ics source needs either path or url',
    ]);
  });

  it('loads the built-in demo configuration', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, 'pbx: { host: pbx }\n');
    const config = await loadConfig(file);
    assert.deepEqual(config.phones, []);
    const demo = await loadConfig(new URL('../assets/demo/ciscophone.yaml', import.meta.url).pathname);
    assert.deepEqual(demo.phones.map((p) => p.model).sort(), ['7941', '7970']);
  });

  it('fills the defaults of a section given only in part', () => {
    const config = parseConfig(
      'pbx: { host: pbx }\nserver: { tftp: { enabled: false }, http: { port: 9000 } }\nringtones: { names: { doorbell: Front door } }\n',
      '/etc/ciscophone/ciscophone.yaml',
      { env: {} },
    );
    assert.equal(config.server.tftp.root, '/etc/ciscophone/tftp');
    assert.equal(config.server.tftp.port, 69);
    assert.equal(config.server.http.host, '0.0.0.0');
    assert.equal(config.ringtones.folder, '/etc/ciscophone/assets/ringtones');
    assert.equal(config.backgrounds.folder, '/etc/ciscophone/assets/backgrounds');
  });

  it('reads durations', () => {
    assert.equal(durationSeconds('5m', 1), 300);
    assert.equal(durationSeconds('1h', 1), 3600);
    assert.equal(durationSeconds(42, 1), 42);
    assert.equal(durationSeconds(undefined, 300), 300);
  });
});
