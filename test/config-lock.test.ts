/**
 * Password-bearing files go to one host, and pushes follow them: the whole server (`startServer`)
 * with the default lock, hosts played by loopback addresses (127.0.0.2, .3 …) through curl's
 * TFTP client (`--interface`), a raw TFTP client and HTTP clients bound to those addresses.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/logger.js';
import { pushToPhones } from '../src/push/index.js';
import { startServer, type RunningServer } from '../src/server.js';
import { httpFrom } from './helpers/http-from.js';
import { makeTempDir, removeDir, runClient, waitFor } from './helpers/tftp-fixture.js';
import { RawClient } from './helpers/tftp-raw-client.js';

const OFFICE = 'SEP008041AEFD7E';
const HALL_MAC = '001120AABBCC';
const FIXED = 'SEP001122334455';

const config = (allow: string) => `
server:
  publicUrl: http://127.0.0.1:8080
  tftp: { root: ./root${allow} }
pbx: { host: 192.168.1.1 }
push: { username: pushuser, password: push-secret-1 }
phones:
  - { mac: "00:80:41:ae:fd:7e", model: "7941", label: Office, lines: [ { number: "620", password: "sip-secret-620" } ] }
  - { mac: "${HALL_MAC}", model: "7960", label: Hall, lines: [ { number: "622", password: "sip-secret-622" } ] }
  - { mac: "001122334455", model: "7941", label: Fixed, ip: "127.0.0.6", lines: [ { number: "623", password: "sip-secret-623" } ] }
`;

interface Running {
  server: RunningServer;
  logs: string[];
  tftpPort: number;
  services: string;
  provisioning: string;
}

async function start(dir: string, allow: string): Promise<Running> {
  const file = path.join(dir, 'ciscophone.yaml');
  await writeFile(file, config(allow));
  const loaded = await loadConfig(file, { httpPort: 0, tftpPort: 0 });
  loaded.server.http.host = '127.0.0.1';
  loaded.server.tftp.host = '127.0.0.1';
  loaded.server.provisioningHttp.port = 0;
  const logs: string[] = [];
  const server = await startServer({ config: loaded, configFile: file, log: createLogger('info', { write: (line: string) => void logs.push(line) }) });
  return {
    server,
    logs,
    tftpPort: server.tftp!.address()!.port,
    services: `http://127.0.0.1:${(server.http.server.address() as AddressInfo).port}`,
    provisioning: `http://127.0.0.1:${(server.provisioningHttp!.server.address() as AddressInfo).port}`,
  };
}

describe('config files locked to one host (trust on first use, the default)', () => {
  let dir: string;
  let run: Running;
  const curlFrom = (address: string, name: string) =>
    runClient('curl', ['-sS', '--interface', address, '-o', `${address}-${name}`, `tftp://127.0.0.1:${run.tftpPort}/${name}`], dir);
  const lockOf = (name: string) => run.server.ctx.configLocks.get(name)?.address;

  before(async () => {
    dir = await makeTempDir('config-lock-');
    // 127.0.0.0/29 may fetch files; 127.0.0.9 stands for a host outside server.tftp.allow.
    run = await start(dir, ', allow: ["127.0.0.0/29"]');
  });
  after(async () => {
    await run.server.stop();
    await removeDir(dir);
  });

  it('is on by default and says nothing at startup when server.tftp.allow is set', () => {
    assert.equal(run.server.ctx.config.server.tftp.lockConfigToIp, true);
    assert.ok(!run.logs.some((l) => l.includes('server.tftp.allow is unset')));
  });

  it('is not taken by refused requests, service requests or other files before the first fetch', async () => {
    const outsider = await RawClient.open('127.0.0.9');
    try {
      await assert.rejects(outsider.fetch(run.tftpPort, `${OFFICE}.cnf.xml`, { waitMs: 300 }));
    } finally {
      outsider.close();
    }
    assert.equal((await httpFrom('127.0.0.9', `${run.provisioning}/${OFFICE}.cnf.xml`)).status, 403);
    assert.equal((await httpFrom('127.0.0.5', `${run.services}/services?name=${OFFICE}`)).status, 200);
    assert.equal((await curlFrom('127.0.0.5', 'dialplan.xml')).code, 0);
    assert.equal(lockOf(OFFICE), undefined);
    const [push] = await pushToPhones(run.server.ctx, 'Office', { text: 'hello' });
    assert.equal(push?.status, 'no-address');
    assert.match(push!.message, /set its ip:/);
  });

  it("goes to the phone's first fetch; another host is refused over TFTP and port 6970, in any letter case", async () => {
    const phone = await curlFrom('127.0.0.2', `${OFFICE}.cnf.xml`);
    assert.equal(phone.code, 0, phone.stderr);
    assert.match(await readFile(path.join(dir, `127.0.0.2-${OFFICE}.cnf.xml`), 'utf8'), /sip-secret-620/);
    assert.equal(lockOf(OFFICE), '127.0.0.2');

    const other = await curlFrom('127.0.0.3', `${OFFICE}.cnf.xml`);
    assert.equal(other.code, 69, 'curl: CURLE_TFTP_PERM (TFTP error 2, access violation)');
    const raw = await RawClient.open('127.0.0.3');
    try {
      await assert.rejects(raw.fetch(run.tftpPort, `sep008041aefd7e.CNF.XML`), /TFTP error 2/);
    } finally {
      raw.close();
    }
    const viaHttp = await httpFrom('127.0.0.3', `${run.provisioning}/Sep008041AeFd7E.cnf.xml`);
    assert.equal(viaHttp.status, 403);
    assert.doesNotMatch(viaHttp.body, /secret/);
    assert.equal((await httpFrom('127.0.0.2', `${run.provisioning}/${OFFICE}.cnf.xml`)).status, 200);

    // One log line per refusal, naming the holder; the refused host is not recorded as the phone.
    await waitFor(() => run.logs.filter((l) => l.includes('"lockedTo":"127.0.0.2"')).length === 3);
    assert.equal(lockOf(OFFICE), '127.0.0.2');
    assert.notEqual(run.server.ctx.activity.get(OFFICE)?.ip, '127.0.0.3');
    assert.ok(!run.logs.some((l) => l.includes('sip-secret')));
  });

  it('locks the 7940/7960 flat file the same way', async () => {
    assert.equal((await curlFrom('127.0.0.4', `SIP${HALL_MAC}.cnf`)).code, 0);
    assert.equal(lockOf(`SEP${HALL_MAC}`), '127.0.0.4');
    assert.notEqual((await curlFrom('127.0.0.3', `SIP${HALL_MAC}.cnf`)).code, 0);
    assert.equal(lockOf(`SEP${HALL_MAC}`), '127.0.0.4');
  });

  it('serves a phone with ip: only there, without taking a lock', async () => {
    assert.notEqual((await curlFrom('127.0.0.2', `${FIXED}.cnf.xml`)).code, 0);
    assert.equal(lockOf(FIXED), undefined);
    assert.equal((await curlFrom('127.0.0.6', `${FIXED}.cnf.xml`)).code, 0);
    assert.equal(lockOf(FIXED), undefined);
  });

  it('pushes to the locked address, never to a later fetcher or a service request', async () => {
    assert.equal((await httpFrom('127.0.0.3', `${run.services}/services?name=${OFFICE}`)).status, 200);
    await curlFrom('127.0.0.3', `${OFFICE}.cnf.xml`);
    const [office, fixed] = await pushToPhones(run.server.ctx, ['Office', 'Fixed'], { text: 'hello' });
    assert.equal(office?.address, '127.0.0.2:80');
    assert.equal(fixed?.address, '127.0.0.6:80');
  });

  it('once released, goes to the next fetch; the lock survives a restart', async () => {
    assert.equal(run.server.ctx.configLocks.release(OFFICE), true);
    assert.equal((await curlFrom('127.0.0.3', `${OFFICE}.cnf.xml`)).code, 0);
    assert.equal(lockOf(OFFICE), '127.0.0.3');
    await run.server.stop();
    const saved = JSON.parse(await readFile(path.join(dir, 'data', 'config-locks.json'), 'utf8'));
    assert.equal(saved[OFFICE].address, '127.0.0.3');
    run = await start(dir, '');
    assert.equal(lockOf(OFFICE), '127.0.0.3');
    assert.notEqual((await curlFrom('127.0.0.2', `${OFFICE}.cnf.xml`)).code, 0);
  });

  it('warns once at startup when passwords are configured and server.tftp.allow is unset', () => {
    const warnings = run.logs.filter((l) => l.includes('server.tftp.allow is unset'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /allow: \[\\"192\.168\.1\.0\/24\\"\]/);
  });
});
