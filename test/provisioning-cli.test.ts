/**
 * `ciscophone render` and `ciscophone phones` as a user runs them: what is printed, what goes to
 * stderr, and the exit codes.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { ActivityLog } from '../src/activity/activity-log.js';
import { writeFileAtomic } from '../src/data/atomic-write.js';
import { ConfigLocks } from '../src/provisioning/config-locks.js';
import { makeTempDir, removeDir } from './helpers/tftp-fixture.js';
import { runCli } from './helpers/cli.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (n) => n === 'line' });


let dir: string;
let root: string;
let config: string;

before(async () => {
  dir = await makeTempDir('provisioning-cli-');
  root = join(dir, 'tftp');
  await mkdir(root);
  await writeFile(join(root, 'SIP41.9-4-2SR3-1S.loads'), 'loads\n');
  await writeFile(join(root, 'ringlist.xml'), '<CiscoIPPhoneRingList/>\n');
  config = join(dir, 'ciscophone.yaml');
  await writeFile(
    config,
    `server:
  publicUrl: http://192.168.1.10:8080
  tftp: { root: ./tftp }
pbx: { host: 192.168.1.1 }
phones:
  - mac: "00:80:41:AE:FD:7E"
    model: "7961"
    label: Office
    lines:
      - { number: "620", authName: office, password: s3cret }
  - mac: "0011.20aa.bbcc"
    model: "7940"
    label: Hall
    lines:
      - { number: "622", password: hallpw }
`,
  );
});

after(async () => {
  await removeDir(dir);
});

describe('ciscophone render', () => {
  it('prints the SEP file a phone gets, whatever the case of the name', async () => {
    const r = await runCli(['render', 'sep008041aefd7e.cnf.xml', '--config', config]);
    assert.equal(r.code, 0, r.err);
    const device = parser.parse(r.out).device;
    assert.equal(device.loadInformation, 'SIP41.9-4-2SR3-1S');
    assert.equal(device.servicesURL, 'http://192.168.1.10:8080/services?name=SEP008041AEFD7E');
    assert.equal(device.sipProfile.sipLines.line[0].authPassword, 's3cret');
  });

  it('masks the passwords with --mask', async () => {
    const r = await runCli(['render', 'SEP008041AEFD7E.cnf.xml', '--mask', '--config', config]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /s3cret/);
    assert.equal(parser.parse(r.out).device.sipProfile.sipLines.line[0].authPassword, '********');
    const flat = await runCli(['render', 'SIP001120AABBCC.cnf', '--mask', '--config', config]);
    assert.equal(flat.code, 0, flat.err);
    assert.match(flat.out, /^line1_password: "?\*{8}"?$/m);
    assert.doesNotMatch(flat.out, /hallpw/);
  });

  it('explains an unknown MAC, a file served from the root, a missing one and a bad name', async () => {
    const unknown = await runCli(['render', 'SEP00AABBCCDDEE.cnf.xml', '--config', config]);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.out, '');
    assert.match(unknown.err, /no phone with MAC 00AABBCCDDEE in the config .*XMLDefault\.cnf\.xml/);

    const fromRoot = await runCli(['render', 'RINGLIST.XML', '--config', config]);
    assert.equal(fromRoot.code, 1);
    assert.match(fromRoot.err, /a phone gets .*ringlist\.xml from the TFTP root as it is/);

    const missing = await runCli(['render', 'CTLSEP008041AEFD7E.tlv', '--config', config]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /not in the TFTP root .*"file not found"/);

    const bad = await runCli(['render', '../../etc/passwd', '--config', config]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /not a file name a phone could ask for/);
  });
});

describe('ciscophone phones', () => {
  it('lists configured and unknown phones with their config lock, last fetch, address, time and firmware', async () => {
    let now = Date.parse('2025-03-01T10:00:00Z');
    const activity = new ActivityLog({ file: ActivityLog.fileIn(join(dir, 'data')), clock: () => new Date((now += 1000)), save: writeFileAtomic });
    activity.record({ via: 'tftp', ip: '192.168.1.20', path: 'SEP008041AEFD7E.cnf.xml', status: 'ok', name: 'SEP008041AEFD7E', model: '7961' });
    activity.record({ via: 'tftp', ip: '192.168.1.20', path: 'SIP41.9-4-2SR4-1S.loads', status: 'missing', name: 'SEP008041AEFD7E', model: '7961' });
    activity.record({ via: 'tftp', ip: '192.168.1.30', path: 'SEP00AABBCCDDEE.cnf.xml', status: 'missing', name: 'SEP00AABBCCDDEE' });
    await activity.flush();
    const locks = new ConfigLocks(ConfigLocks.fileIn(join(dir, 'data')), undefined, writeFileAtomic);
    locks.claim('SEP008041AEFD7E', '192.168.1.20');
    await locks.flush();

    const r = await runCli(['phones', '--config', config]);
    assert.equal(r.code, 0, r.err);
    const [header, ...rows] = r.out.split('\n');
    assert.match(header!, /^NAME\s+MODEL\s+LABEL\s+CONFIG FOR\s+LAST FETCH\s+FROM\s+WHEN\s+FIRMWARE ASKED FOR$/);
    assert.equal(rows.length, 3);
    const office = rows.find((l) => l.startsWith('SEP008041AEFD7E'))!;
    assert.match(office, /7961\s+Office\s+192\.168\.1\.20\s+SIP41\.9-4-2SR4-1S\.loads \(tftp, missing\)\s+192\.168\.1\.20\s+2025-03-01T10:00:02\.000Z\s+SIP41\.9-4-2SR4-1S\.loads \(missing\)$/);
    assert.match(rows.find((l) => l.startsWith('SEP001120AABBCC'))!, /7940\s+Hall\s+first to fetch\s+-\s+never seen\s+-$/);
    assert.match(rows.find((l) => l.startsWith('SEP00AABBCCDDEE'))!, /\?\s+\(not configured\)\s+-\s+SEP00AABBCCDDEE\.cnf\.xml \(tftp, missing\)\s+192\.168\.1\.30/);
  });
});
