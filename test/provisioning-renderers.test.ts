/**
 * The provisioning renderers one by one: SEP config, XMLDefault, the 7940/7960 flat files, the
 * dial plan and its limits, time zones, firmware discovery and the names never rendered.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { parseConfig, type ResolvedConfig } from '../src/config/load.js';
import { createContext, type AppContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { getModel } from '../src/phones/models.js';
import { planButtons } from '../src/provisioning/buttons.js';
import { DIALPLAN_MAX_BYTES, dialplanProblems, dialplanWarnings, renderDialplan } from '../src/provisioning/dialplan.js';
import { familyFirmware, newestLoad } from '../src/provisioning/firmware.js';
import { ciscoTimeZone, FALLBACK_CISCO_ZONE } from '../src/provisioning/time-zones.js';
import { renderVirtualFile } from '../src/provisioning/virtual-files.js';
import { ConfigError } from '../src/errors.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (n) => n === 'line' || n === 'TEMPLATE' });

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provisioning-render-'));
  for (const f of ['SIP41.9-3-1SR2-1S.loads', 'SIP41.9-4-2SR3-1S.loads', 'apps41.9-4-2ES26.sbn', 'term41.default.loads', 'SIP70.9-4-2SR3-1S.loads', 'P0S3-08-12-00.loads', 'readme.txt']) {
    await writeFile(join(dir, f), 'x');
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function configFrom(yaml: string): ResolvedConfig {
  return parseConfig(`server:\n  publicUrl: http://10.0.0.5:8080\n  dataDir: ${dir}/data\n  tftp: { root: ${dir} }\npbx: { host: pbx.example, port: 5070, transport: tcp }\n${yaml}`, join(dir, 'c.yaml'), { env: {} });
}

function contextFrom(yaml: string): AppContext {
  return createContext({ config: configFrom(yaml), log: createLogger('silent'), ephemeral: true });
}

async function text(ctx: AppContext, name: string, mask = false): Promise<string> {
  const file = await renderVirtualFile(ctx, name, { mask });
  assert.ok(file && file.kind === 'file', `${name} is rendered`);
  return file.body.toString(file.contentType.includes('iso-8859-1') ? 'latin1' : 'utf8');
}

const OFFICE = `
phones:
  - mac: "00:80:41:ae:fd:7e"
    model: "7961"
    label: Office
    timeZone: Europe/Berlin
    lines:
      - { number: "620", displayName: "Tom & Jerry <home>", password: "p&ss<word>" }
      - { number: "621", authName: second }
    keys:
      - { type: speeddial, number: "911", label: Emergency }
      - { type: blf, number: "622", label: Kitchen, button: 6 }
      - { type: speeddial, number: "623", label: Garage }
`;

describe('SEP<MAC>.cnf.xml', () => {
  it('escapes text and reads back to the configured values', async () => {
    const xml = await text(contextFrom(OFFICE), 'SEP008041AEFD7E.cnf.xml');
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    assert.ok(xml.includes('Tom &amp; Jerry &lt;home&gt;'));
    const line = parser.parse(xml).device.sipProfile.sipLines.line[0];
    assert.equal(line.displayName, 'Tom & Jerry <home>');
    assert.equal(line.authPassword, 'p&ss<word>');
    assert.equal(line.proxy, 'USECALLMANAGER');
    assert.equal(line.featureID, '9');
    assert.equal(line.name, '620', 'name = authName, which defaults to the number');
  });

  it('takes the PBX, transport, time zone and newest load for the model', async () => {
    const device = parser.parse(await text(contextFrom(OFFICE), 'SEP008041AEFD7E.cnf.xml')).device;
    assert.equal(device.devicePool.callManagerGroup.members.member.callManager.processNodeName, 'pbx.example');
    assert.equal(device.devicePool.callManagerGroup.members.member.callManager.ports.sipPort, '5070');
    assert.equal(device.sipProfile.sipProxies.outboundProxy, 'pbx.example');
    assert.equal(device.sipProfile.sipProxies.outboundProxyPort, '5070');
    assert.equal(device.sipProfile.sipProxies.registerWithProxy, 'true');
    assert.equal(device.transportLayerProtocol, '1');
    assert.equal(device.devicePool.dateTimeSetting.timeZone, 'Central Europe Standard/Daylight Time');
    assert.equal(device.devicePool.dateTimeSetting.ntps.ntp.name, 'pbx.example');
    assert.equal(device.loadInformation, 'SIP41.9-4-2SR3-1S');
  });

  it('hands out URLs at server.publicUrl carrying name=SEP…, each at most 255 characters', async () => {
    const device = parser.parse(await text(contextFrom(OFFICE), 'SEP008041AEFD7E.cnf.xml')).device;
    for (const [element, path] of [['idleURL', 'idle'], ['servicesURL', 'services'], ['directoryURL', 'directory'], ['authenticationURL', 'authenticate']] as const) {
      assert.equal(device[element], `http://10.0.0.5:8080/${path}?name=SEP008041AEFD7E`);
    }
    assert.equal(device.informationURL, '');
    assert.equal(device.messagesURL, '');
  });

  it('puts keys on the free buttons after the lines, explicit buttons where asked', async () => {
    const lines = parser.parse(await text(contextFrom(OFFICE), 'SEP008041AEFD7E.cnf.xml')).device.sipProfile.sipLines.line;
    const layout = lines.map((l: Record<string, string>) => `${l['@button']}:${l['featureID']}:${l['featureLabel'] ?? ''}`);
    assert.deepEqual(layout, ['1:9:Tom & Jerry <home>', '2:9:621', '3:2:Emergency', '4:2:Garage', '6:21:Kitchen']);
  });

  it('drops what does not fit the model, and the config check says so', () => {
    const plan = planButtons([{ number: '1' }], [{ type: 'speeddial', number: '2', label: 'A' }, { type: 'speeddial', number: '3', label: 'B' }, { type: 'blf', number: '4', label: 'C', button: 6 }], getModel('7941').lineButtons);
    assert.deepEqual(plan.keys.map((k) => k.button), [2]);
    assert.equal(plan.dropped.length, 2);
    assert.throws(
      () => configFrom('phones:\n  - { mac: "001122334455", model: "7941", lines: [{ number: "1" }], keys: [{ type: blf, number: "4", label: C, button: 6 }] }\n'),
      (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.path === 'phones[0]' && /button 6/.test(p.message)),
    );
  });

  it('changes versionStamp when the config changes, and only then', async () => {
    const stamp = async (yaml: string) => parser.parse(await text(contextFrom(yaml), 'SEP008041AEFD7E.cnf.xml')).device.versionStamp as string;
    const first = await stamp(OFFICE);
    assert.equal(await stamp(OFFICE), first);
    assert.notEqual(await stamp(OFFICE.replace('p&ss<word>', 'other')), first);
    assert.notEqual(await stamp(OFFICE.replace('label: Office', 'label: Desk')), first);
  });

  it('masks passwords on request without changing anything else', async () => {
    const ctx = contextFrom(OFFICE.replace('label: Office', 'label: Office\n    sshPassword: ssh-secret\n    phonePassword: "1234"'));
    const plain = await text(ctx, 'SEP008041AEFD7E.cnf.xml');
    const masked = await text(ctx, 'SEP008041AEFD7E.cnf.xml', true);
    assert.ok(!masked.includes('ssh-secret') && !masked.includes('p&amp;ss') && !masked.includes('>1234<'));
    assert.equal(masked.replace(/>\*{8}</g, '><'), plain.replace(/<(sshPassword|phonePassword|authPassword)>[^<]+</g, '<$1><'));
  });

  it('keeps the seed vendorConfig unless the phone overrides it; SSH stays closed without a password', async () => {
    const vendor = parser.parse(await text(contextFrom(OFFICE.replace('label: Office', 'label: Office\n    vendorConfig: { webAccess: 1, g722CodecSupport: 2 }')), 'SEP008041AEFD7E.cnf.xml')).device.vendorConfig;
    assert.equal(vendor.webAccess, '1');
    assert.equal(vendor.g722CodecSupport, '2');
    assert.equal(vendor.sshAccess, '1');
  });

  it('keeps the display on unless powerSave is configured (per phone or in defaults)', async () => {
    const vendorOf = async (yaml: string) => parser.parse(await text(contextFrom(yaml), 'SEP008041AEFD7E.cnf.xml')).device.vendorConfig;
    const on = await vendorOf(OFFICE);
    assert.deepEqual([on.displayOnTime, on.displayOnDuration, on.displayIdleTimeout], ['00:00', '24:00', '00:00']);
    const saving = await vendorOf(OFFICE.replace('label: Office', 'label: Office\n    powerSave: { onTime: "07:30", duration: "10:00", idleTimeout: "00:10" }'));
    assert.deepEqual([saving.displayOnTime, saving.displayOnDuration, saving.displayIdleTimeout], ['07:30', '10:00', '00:10']);
    const fromDefaults = await vendorOf(`defaults: { powerSave: { onTime: "08:00", duration: "09:00", idleTimeout: "00:05" } }\n${OFFICE}`);
    assert.equal(fromDefaults.displayOnTime, '08:00');
  });

  it('adds the locale elements only when configured', async () => {
    const without = parser.parse(await text(contextFrom(OFFICE), 'SEP008041AEFD7E.cnf.xml')).device;
    assert.equal(without.userLocale, undefined);
    const device = parser.parse(await text(contextFrom(OFFICE.replace('label: Office', 'label: Office\n    language: de\n    userLocale: German_Germany\n    networkLocale: Germany')), 'SEP008041AEFD7E.cnf.xml')).device;
    assert.equal(device.userLocale.name, 'German_Germany');
    assert.equal(device.userLocale.langCode, 'de_DE');
    assert.equal(device.networkLocale, 'Germany');
  });

  it('answers an unknown MAC as unknown, and never renders trust lists or signed files', async () => {
    const ctx = contextFrom(OFFICE);
    assert.deepEqual(await renderVirtualFile(ctx, 'SEP0000AAAABBBB.cnf.xml'), { kind: 'unknown-phone', mac: '0000AAAABBBB' });
    for (const name of ['CTLSEP008041AEFD7E.tlv', 'ITLSEP008041AEFD7E.tlv', 'ITLFile.tlv', 'SEP008041AEFD7E.cnf.xml.sgn', 'SEP008041AEFD7E.cnf.xml.enc.sgn', 'Desktops/320x196x4/List.xml']) {
      assert.equal(await renderVirtualFile(ctx, name), null, name);
    }
    assert.ok(await renderVirtualFile(ctx, 'sep008041aefd7e.CNF.XML'), 'names match regardless of case');
  });
});

describe('XMLDefault.cnf.xml', () => {
  it('names the PBX and a load per model found in the root', async () => {
    const root = parser.parse(await text(contextFrom(OFFICE), 'XMLDefault.cnf.xml')).Default;
    const cm = root.callManagerGroup.members.member.callManager;
    assert.equal(cm.ports.ethernetPhonePort, '2000');
    assert.equal(cm.processNodeName, 'pbx.example');
    assert.deepEqual(root.loadInformation115, { '#text': 'SIP41.9-4-2SR3-1S', '@model': 'Cisco 7941' });
    assert.deepEqual(root.loadInformation30006, { '#text': 'SIP70.9-4-2SR3-1S', '@model': 'Cisco 7970' });
    assert.equal(root.loadInformation434, undefined, 'no 7942 load is present');
  });
});

describe('7940/7960 files', () => {
  const OLD = `
defaults: { timeZone: Europe/Berlin, dateTemplate: D.M.YY }
phones:
  - mac: "0011.2233.4455"
    model: "7960"
    label: Hall
    lines:
      - { number: "630", authName: hall, password: "s3cret", displayName: "Hall Phone" }
`;
  it('renders SIP<MAC>.cnf as key: value lines with the line settings', async () => {
    const cnf = await text(contextFrom(OLD), 'SIP001122334455.cnf');
    const entries = new Map(cnf.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
    assert.equal(entries.get('line1_name'), 'hall');
    assert.equal(entries.get('line1_authname'), 'hall');
    assert.equal(entries.get('line1_password'), 's3cret');
    assert.equal(entries.get('line1_displayname'), '"Hall Phone"');
    assert.equal(entries.get('phone_label'), 'Hall');
    assert.equal(entries.get('proxy1_address'), 'pbx.example');
    assert.equal(entries.get('services_url'), '"http://10.0.0.5:8080/services?name=SEP001122334455"');
    assert.equal(entries.get('dial_template'), 'dialplan');
    assert.equal(entries.get('image_version'), 'P0S3-08-12-00');
    assert.equal(entries.get('time_zone'), 'CET');
    assert.equal(entries.get('date_format'), 'D/M/Y');
  });

  it('renders OS79XX.TXT as one bare line and SIPDefault.cnf from defaults', async () => {
    const ctx = contextFrom(OLD);
    const os = await renderVirtualFile(ctx, 'OS79XX.TXT');
    assert.ok(os && os.kind === 'file');
    assert.equal(os.body.toString('latin1'), 'P0S3-08-12-00');
    const defaults = await text(ctx, 'SIPDefault.cnf');
    assert.match(defaults, /^proxy1_address: pbx\.example$/m);
    assert.doesNotMatch(defaults, /line1_/);
  });

  it('does not render SIP<MAC>.cnf for a phone of the cnf.xml family; a 7960 gets only its load in SEP….cnf.xml', async () => {
    assert.equal(await renderVirtualFile(contextFrom(OFFICE), 'SIP008041AEFD7E.cnf'), null);
    const sep = parser.parse(await text(contextFrom(OLD), 'SEP001122334455.cnf.xml')).device;
    assert.deepEqual(Object.keys(sep), ['devicePool', 'loadInformation']);
    assert.equal(sep.loadInformation['#text'], 'P0S3-08-12-00');
  });
});

describe('dialplan.xml', () => {
  it('is the empty plan without rules', async () => {
    const xml = await text(contextFrom(''), 'dialplan.xml');
    assert.equal(xml, '<DIALTEMPLATE>\n</DIALTEMPLATE>\n');
  });

  it('writes upper-case TEMPLATE elements with the phone attribute names', () => {
    const xml = renderDialplan([
      { match: '911', timeout: 0, user: 'Phone', route: 'Emergency' },
      { match: '9,1..........', tone: 'Bellcore-Outside', rewrite: '%s' },
      { match: '\\*..', line: 2 },
    ]);
    assert.match(xml, /^<DIALTEMPLATE>/);
    assert.match(xml, /<TEMPLATE MATCH="911" Timeout="0" User="Phone" Route="Emergency"\/>/);
    // Without timeout: no attribute, the phone's own inter-digit timer applies.
    assert.match(xml, /<TEMPLATE MATCH="9,1\.\.\.\.\.\.\.\.\.\." Rewrite="%s" Tone="Bellcore-Outside"\/>/);
    assert.match(xml, /<TEMPLATE MATCH="\\\*\.\." Line="2"\/>/);
    assert.doesNotMatch(renderDialplan([{ match: '*' }]), /Timeout/);
  });

  it('warns about a catch-all rule with timeout 0, and only about that', () => {
    assert.deepEqual(dialplanWarnings([{ match: '*', timeout: 0 }]).map((w) => w.path), ['dialplan.rules[0].timeout']);
    assert.equal(dialplanWarnings([{ match: '..*', timeout: 0 }]).length, 1);
    assert.deepEqual(dialplanWarnings([{ match: '*' }, { match: '*', timeout: 5 }, { match: '911', timeout: 0 }, { match: '\\*..', timeout: 0 }]), []);
  });

  it('reports the limits the phone enforces', () => {
    assert.deepEqual(dialplanProblems([{ match: '911' }]), []);
    const long = dialplanProblems([{ match: '1'.repeat(197) }]);
    assert.equal(long[0]?.path, 'dialplan.rules[0].match');
    const tones = dialplanProblems([{ match: '9,1,2,3,', tone: 'Bellcore-Inside,Bellcore-Inside,Bellcore-Inside,Bellcore-Inside' }]);
    assert.ok(tones.some((p) => /at most 3 tones/.test(p.message)));
    assert.ok(dialplanProblems([{ match: '9,', tone: 'Loud' }]).some((p) => /unknown tone/.test(p.message)));
    const many = Array.from({ length: Math.ceil(DIALPLAN_MAX_BYTES / 40) }, (_, i) => ({ match: `${i}........`, timeout: 1 }));
    assert.ok(dialplanProblems(many).some((p) => p.path === 'dialplan.rules' && /bytes/.test(p.message)));
  });

  it('makes a violation a config error (ciscophone check and startup)', () => {
    assert.throws(
      () => configFrom(`dialplan:\n  rules:\n    - { match: "${'1'.repeat(200)}" }\n`),
      (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.path === 'dialplan.rules[0].match'),
    );
  });
});

describe('time zones and firmware', () => {
  it('maps IANA zones to the Cisco names that keep their time (the full walk is in time-zones.test.ts)', () => {
    assert.equal(ciscoTimeZone('Europe/Berlin'), 'Central Europe Standard/Daylight Time');
    assert.equal(ciscoTimeZone('America/New_York'), 'Eastern Standard/Daylight Time');
    assert.equal(ciscoTimeZone('Europe/London'), 'GMT Standard/Daylight Time');
    // Several names fit: the one Cisco lists the city under.
    assert.equal(ciscoTimeZone('Europe/Copenhagen'), 'Romance Standard/Daylight Time');
    assert.equal(ciscoTimeZone('Europe/Stockholm'), 'W. Europe Standard/Daylight Time');
    assert.equal(ciscoTimeZone('Not/AZone'), FALLBACK_CISCO_ZONE);
  });

  it('finds the newest load of a model family and lists the family files', () => {
    const names = ['SIP41.9-3-1SR2-1S.loads', 'SIP41.9-10-1.loads', 'SIP41.9-4-2SR3-1S.loads', 'apps41.9-4-2ES26.sbn', 'jar41sip.9-4-2ES26.sbn', 'SIP42.9-4-2SR3-1S.loads', 'ringlist.xml'];
    assert.equal(newestLoad(names, getModel('7961')), 'SIP41.9-10-1');
    assert.equal(newestLoad(names, getModel('7965')), undefined);
    assert.deepEqual(familyFirmware(names, getModel('7941')), ['SIP41.9-10-1.loads', 'SIP41.9-3-1SR2-1S.loads', 'SIP41.9-4-2SR3-1S.loads', 'apps41.9-4-2ES26.sbn', 'jar41sip.9-4-2ES26.sbn']);
  });
});

describe('server.tftp.allow', () => {
  it('makes an entry that is no address or subnet a config error, with its path', () => {
    const yaml = (allow: string) => `server:\n  tftp: { root: ${dir}, allow: [${allow}] }\npbx: { host: pbx.example }\n`;
    assert.throws(
      () => parseConfig(yaml('192.168.1.0/24, 300.1.1.0/24'), join(dir, 'c.yaml'), { env: {} }),
      (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.path === 'server.tftp.allow[1]' && /300\.1\.1\.0\/24/.test(p.message)),
    );
    assert.deepEqual(parseConfig(yaml('192.168.1.0/24, fd00::/8'), join(dir, 'c.yaml'), { env: {} }).server.tftp.allow, ['192.168.1.0/24', 'fd00::/8']);
  });
});
