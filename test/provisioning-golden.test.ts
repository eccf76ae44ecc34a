/**
 * Golden test: the SEP file rendered from a config equal to the seed's example carries every value
 * the seed's hand-written template sets, element by element. Only the URLs (they point at this
 * server) and the comments differ by design.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { parseConfig } from '../src/config/load.js';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { renderVirtualFile } from '../src/provisioning/virtual-files.js';

const SEED_DIR = '/work/shared/seed';

/** The seed post's template: the ```xml block. */
function seedTemplate(): string {
  const post = readdirSync(SEED_DIR)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(SEED_DIR, f), 'utf8'))
    .find((text) => text.includes('<deviceProtocol>'));
  const m = post ? /```xml\n([\s\S]*?)```/.exec(post) : null;
  assert.ok(m, 'the seed template is readable');
  return m[1]!;
}

// The seed's phone is a 7941G, but its speed dial sits on button 6: a 7961 (six buttons) is the
// model on which that layout exists; everything else is the seed's example as a config.
const SEED_CONFIG = `
server:
  publicUrl: http://192.168.1.10:8080
  dataDir: /tmp/ciscophone-golden-unused
pbx: { host: 192.168.1.1, port: 5060, transport: udp }
phones:
  - mac: "00:80:41:ae:fd:7e"
    model: "7961"
    label: Office
    timeZone: Europe/Berlin
    dateTemplate: D.M.YY
    loadInformation: SIP41.9-4-2SR3-1S
    idleTimeout: 60
    sshUser: admin
    sshPassword: admin
    lines:
      - { number: "620", authName: office, password: SECRET_PASSWORD, label: "Line 1", messagesNumber: "**600" }
    keys:
      - { type: speeddial, number: "911", label: Emergency Call, button: 6 }
`;

/** Elements whose seed value is not the reference, with the reason. */
const DELIBERATE = new Map<string, string>([
  // The seed misspells Cisco's service URI (x--serviceuri-cfwdall); the phone knows x-cisco-serviceuri-cfwdall.
  ['device.sipProfile.sipCallFeatures.callForwardURI', 'x-cisco-serviceuri-cfwdall'],
  // The seed's power saving switches the display off five minutes after the last key press, which
  // hides the idle screen: the display stays on unless `powerSave:` is configured.
  ['device.vendorConfig.displayOnTime', '00:00'],
  ['device.vendorConfig.displayOnDuration', '24:00'],
  ['device.vendorConfig.displayIdleTimeout', '00:00'],
]);
const URL_ELEMENTS = new Set(['authenticationURL', 'directoryURL', 'idleURL', 'servicesURL']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'line',
});

type Tree = Record<string, unknown>;

/** Every leaf as path → text; `line` elements are keyed by their button. */
function leaves(node: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (node === null || typeof node !== 'object') {
    out.set(path, String(node ?? ''));
    return out;
  }
  for (const [key, value] of Object.entries(node as Tree)) {
    if (key === '?xml') continue;
    if (Array.isArray(value)) {
      for (const item of value) leaves(item, `${path}.${key}[button=${String((item as Tree)['@button'])}]`, out);
    } else {
      leaves(value, path ? `${path}.${key}` : key, out);
    }
  }
  return out;
}

describe('SEP file against the seed template', () => {
  const config = parseConfig(SEED_CONFIG, '/tmp/ciscophone-golden.yaml', { env: {} });
  const ctx = createContext({ config, log: createLogger('silent'), ephemeral: true });
  const seed = leaves(parser.parse(seedTemplate()), '', new Map());

  it('sets every element the seed sets, to the seed value', async () => {
    const file = await renderVirtualFile(ctx, 'SEP008041AEFD7E.cnf.xml');
    assert.ok(file && file.kind === 'file');
    const ours = leaves(parser.parse(file.body.toString('utf8')), '', new Map());
    let compared = 0;
    for (const [path, expected] of seed) {
      const element = path.split('.').pop()!;
      assert.ok(ours.has(path), `${path} is missing`);
      if (URL_ELEMENTS.has(element)) continue;
      compared++;
      assert.equal(ours.get(path), DELIBERATE.get(path) ?? expected, path);
    }
    assert.ok(compared > 120, `compared ${compared} leaves`);
  });

  it('points the URLs the seed sets at this server, carrying the device name', async () => {
    const file = await renderVirtualFile(ctx, 'SEP008041AEFD7E.cnf.xml');
    assert.ok(file && file.kind === 'file');
    const ours = leaves(parser.parse(file.body.toString('utf8')), '', new Map());
    for (const element of URL_ELEMENTS) {
      const url = ours.get(`device.${element}`)!;
      assert.match(url, /^http:\/\/192\.168\.1\.10:8080\/[a-z]+\?name=SEP008041AEFD7E$/);
    }
  });
});
