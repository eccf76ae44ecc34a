/**
 * Ring tones and backgrounds through the real server path: `startServer` (TFTP with tftp-hpa,
 * the provisioning HTTP port), files dropped into the folders while it runs, `ciscophone render`
 * and `ciscophone push --play` against a stand-in phone.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import { makeWav, tone } from './helpers/media-wav.js';
import { PhoneStandIn, testMac } from './helpers/phone-standin.js';
import { makeTempDir, removeDir, runClient } from './helpers/tftp-fixture.js';
import { runCli } from './helpers/cli.js';

const parser = new XMLParser({ isArray: (name) => name === 'Ring' });
const TOKEN = 'media-api-token-123456';
const PUSH = { username: 'push', password: 'media-push-pass', timeout: 2 };

interface Ring {
  DisplayName: string;
  FileName: string;
}


describe('media through the running server', () => {
  let dir: string;
  let rings: string;
  let server: RunningServer;
  let phone: PhoneStandIn;
  let tftpPort: number;
  let provisioningBase: string;
  let configFile: string;

  before(async () => {
    dir = await makeTempDir('media-server-');
    rings = path.join(dir, 'rings');
    await Promise.all([mkdir(rings), mkdir(path.join(dir, 'pics')), mkdir(path.join(dir, 'tftp'))]);
    await writeFile(path.join(rings, 'Chime.wav'), makeWav({ rate: 16000, channels: [tone(16000, 0.5, [[880, 0.5]])] }));
    await writeFile(path.join(rings, 'Türklingel.wav'), makeWav({ rate: 8000, channels: [tone(8000, 0.3, [[440, 0.5]])] }));
    phone = await new PhoneStandIn({ deviceName: `SEP${testMac(1)}` }).start();
    const yaml = (publicUrl: string) =>
      [
        'pbx: { host: 127.0.0.1 }',
        `server: { publicUrl: "${publicUrl}", dataDir: ./data, tftp: { root: ./tftp } }`,
        `phones: [ { mac: "${testMac(1)}", model: "7941", label: Desk, lines: [ { number: "600" } ], ip: "${phone.address}" } ]`,
        `push: ${JSON.stringify(PUSH)}`,
        `api: { token: ${TOKEN} }`,
        'ringtones: { folder: ./rings, names: { Chime: Door Chime } }',
        'backgrounds: { folder: ./pics }',
        '',
      ].join('\n');
    configFile = path.join(dir, 'ciscophone.yaml');
    await writeFile(configFile, yaml('http://127.0.0.1:1'));
    const config = await loadConfig(configFile, { httpPort: 0, tftpPort: 0 });
    config.server.http.host = '127.0.0.1';
    config.server.tftp.host = '127.0.0.1';
    config.server.provisioningHttp.port = 0;
    server = await startServer({ config, configFile, log: createLogger('silent') });
    tftpPort = server.tftp!.address()!.port;
    const httpBase = `http://127.0.0.1:${(server.http.server.address() as AddressInfo).port}`;
    config.server.publicUrl = httpBase;
    provisioningBase = `http://127.0.0.1:${(server.provisioningHttp!.server.address() as AddressInfo).port}`;
    phone.options.authUrl = `${httpBase}/authenticate`;
    // The CLI reads the same file, now naming where the server listens.
    await writeFile(configFile, yaml(httpBase));
  });

  after(async () => {
    await server.stop();
    await phone.stop();
    await removeDir(dir);
  });

  async function tftpGet(remote: string): Promise<Buffer> {
    const local = path.join(dir, `got-${Math.random().toString(36).slice(2)}`);
    const res = await runClient('tftp', ['127.0.0.1', String(tftpPort), '-m', 'binary', '-c', 'get', remote, local], dir);
    assert.ok(!/Error/i.test(res.stdout + res.stderr), `${remote}: ${res.stdout}${res.stderr}`);
    return readFile(local);
  }

  async function ringList(): Promise<Ring[]> {
    return (parser.parse((await tftpGet('Ringlist.xml')).toString('latin1')) as { CiscoIPPhoneRingList: { Ring: Ring[] } }).CiscoIPPhoneRingList.Ring;
  }

  it('serves the ring list over HTTP in the charset it declares', async () => {
    const res = await fetch(`${provisioningBase}/ringlist.xml`);
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.headers.get('content-type') ?? '', /utf-8/i);
    const body = Buffer.from(await res.arrayBuffer());
    assert.deepEqual(body, await tftpGet('RingList.xml'));
    assert.match(body.toString('latin1'), /^<\?xml version="1.0" encoding="ISO-8859-1"\?>/);
    assert.match(body.toString('latin1'), /<DisplayName>Türklingel<\/DisplayName>/);
  });

  it('picks up a WAV dropped into the folder while running, and leaves out a corrupt one', async () => {
    assert.deepEqual((await ringList()).map((r) => r.FileName), ['Chime.raw', 'Turklingel.raw']);
    await writeFile(path.join(rings, 'Bell.wav'), makeWav({ rate: 44100, encoding: 's24', channels: [tone(44100, 0.4, [[660, 0.4]]), tone(44100, 0.4, [[660, 0.4]])] }));
    await writeFile(path.join(rings, 'broken.wav'), Buffer.from('RIFF\x04\x00\x00\x00WAVE', 'latin1'));
    const list = await ringList();
    assert.deepEqual(list.map((r) => r.FileName), ['Bell.raw', 'Chime.raw', 'Turklingel.raw']);
    const raw = await tftpGet('bell.raw');
    assert.equal(raw.length, 3360); // 0.4 s at 8 kHz = 3200 samples, padded to 14 blocks of 240
    assert.deepEqual(raw, Buffer.from(await (await fetch(`${provisioningBase}/Bell.raw`)).arrayBuffer()));
  });

  it('ciscophone render prints the lists and describes the binary files', async () => {
    const list = await runCli(['render', '--config', configFile, 'RINGLIST.XML']);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /<DisplayName>Door Chime<\/DisplayName>\s*<FileName>Chime\.raw<\/FileName>/);
    assert.match(list.out, /Türklingel/);
    const dat = await runCli(['render', '--config', configFile, 'RINGLIST.DAT']);
    assert.equal(dat.code, 0, dat.err);
    assert.match(dat.out, /^Bell\tBell\.raw\r\nDoor Chime\tChime\.raw\r\n/);
    const raw = await runCli(['render', '--config', configFile, 'chime.raw']);
    assert.equal(raw.code, 0, raw.err);
    assert.match(raw.err, /chime\.raw: \d+ bytes of audio\/basic, not printed/);
    assert.equal((await runCli(['render', '--config', configFile, 'nothere.raw'])).code, 1);
  });

  it('ciscophone push --play takes the names people use and plays the converted file', async () => {
    for (const typed of ['Door Chime', 'Chime.wav', 'chime']) {
      const res = await runCli(['push', '--config', configFile, '--phone', 'Desk', '--play', typed]);
      assert.equal(res.code, 0, res.err);
      assert.equal(phone.executed.at(-1), 'Play:Chime.raw');
    }
    const count = phone.executed.length;
    const unknown = await runCli(['push', '--config', configFile, '--phone', 'Desk', '--play', 'Doorbell']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no ring tone "Doorbell"; the ring tones are: Bell\.raw, Chime\.raw \(Door Chime\), Turklingel\.raw \(Türklingel\)/);
    assert.equal(phone.executed.length, count);
  });
});
