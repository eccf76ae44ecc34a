/**
 * 7940/7960 moving from SCCP to SIP firmware, fetched the way the phone fetches over TFTP (real
 * tftp-hpa and curl clients): XMLDefault names the SIP image for device types 8 and 7 (and the
 * 79x1 GE variants), a configured 7940 gets a SEP file with its load, and OS79XX.TXT names the
 * universal loader when it is in the root.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { parseConfig } from '../src/config/load.js';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { virtualFileProviders } from '../src/provisioning/providers.js';
import { TftpServer } from '../src/tftp/index.js';
import { makeTempDir, removeDir, runClient } from './helpers/tftp-fixture.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

describe('7940/7960: conversion from SCCP over TFTP', () => {
  let dir: string;
  let root: string;
  let tftp: TftpServer;
  let port: number;

  before(async () => {
    dir = await makeTempDir('sccp-');
    root = join(dir, 'tftp');
    await (await import('node:fs/promises')).mkdir(root);
    for (const name of ['P0S3-08-11-00.loads', 'P0S3-08-12-00.loads', 'P0S3-08-12-00.sb2', 'P003-08-11-00.bin', 'P003-08-12-00.bin', 'P003-08-12-00.sbn', 'SIP41.9-4-2SR3-1S.loads']) {
      await writeFile(join(root, name), 'x');
    }
    const config = parseConfig(
      `server: { publicUrl: "http://127.0.0.1:8080", dataDir: ${dir}/data, tftp: { root: ${root} } }\npbx: { host: 192.168.1.1 }\nphones:\n  - { mac: "001120AABBCC", model: "7940", lines: [ { number: "622", password: "sekr1t-622" } ] }\n`,
      join(dir, 'ciscophone.yaml'),
      { env: {} },
    );
    const ctx = createContext({ config, log: createLogger('silent'), ephemeral: true });
    tftp = new TftpServer({ host: '127.0.0.1', port: 0, root, providers: virtualFileProviders(ctx) });
    ({ port } = await tftp.start());
  });
  after(async () => {
    await tftp?.stop();
    await removeDir(dir);
  });

  async function fetchTftpHpa(name: string): Promise<string> {
    const run = await runClient('tftp', ['127.0.0.1', String(port), '-m', 'binary', '-c', 'get', name, `got-${name}`], dir);
    assert.equal(run.code, 0, run.stderr);
    return readFile(join(dir, `got-${name}`), 'latin1');
  }

  async function fetchCurl(name: string): Promise<{ code: number; body: string }> {
    const run = await runClient('curl', ['-sS', '-o', `curl-${name}`, `tftp://127.0.0.1:${port}/${name}`], dir);
    return { code: run.code, body: run.code === 0 ? await readFile(join(dir, `curl-${name}`), 'latin1') : '' };
  }

  it('XMLDefault.cnf.xml names the SIP image for 7940 (8) and 7960 (7), and the 79x1 load for the GE variants', async () => {
    const root = parser.parse(await fetchTftpHpa('XMLDefault.cnf.xml')).Default;
    assert.deepEqual(root.loadInformation8, { '@model': 'Cisco 7940', '#text': 'P0S3-08-12-00' });
    assert.deepEqual(root.loadInformation7, { '@model': 'Cisco 7960', '#text': 'P0S3-08-12-00' });
    assert.equal(root.loadInformation115['#text'], 'SIP41.9-4-2SR3-1S');
    assert.deepEqual(root.loadInformation309, { '@model': 'Cisco 7941G-GE', '#text': 'SIP41.9-4-2SR3-1S' });
    assert.deepEqual(root.loadInformation308, { '@model': 'Cisco 7961G-GE', '#text': 'SIP41.9-4-2SR3-1S' });
  });

  it('a configured 7940 gets a SEP file naming its load (no secret in it); an unknown MAC still gets none', async () => {
    const sep = await fetchCurl('SEP001120AABBCC.cnf.xml');
    assert.equal(sep.code, 0);
    const device = parser.parse(sep.body).device;
    assert.deepEqual(device.loadInformation, { '@model': 'Cisco 7940', '#text': 'P0S3-08-12-00' });
    assert.equal(device.devicePool.callManagerGroup.members.member.callManager.processNodeName, '192.168.1.1');
    assert.ok(!sep.body.includes("sekr1t"));
    assert.notEqual((await fetchCurl('SEP001120AABBCD.cnf.xml')).code, 0);
  });

  it('OS79XX.TXT names the newest universal loader, and SIP<MAC>.cnf the SIP image', async () => {
    assert.equal(await fetchTftpHpa('OS79XX.TXT'), 'P003-08-12-00');
    assert.match(await fetchTftpHpa('SIP001120AABBCC.cnf'), /^image_version: P0S3-08-12-00$/m);
  });
});
