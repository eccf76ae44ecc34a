import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { PhoneStandIn, startPushServer, testMac, type PushServer } from './helpers/phone-standin.js';
import { runCli } from './helpers/cli.js';

const PUSH = { username: 'push', password: 'cli-push-pass', timeout: 2 };
const TOKEN = 'cli-api-token-abcdef';


describe('ciscophone push', () => {
  let dir: string;
  let phones: PhoneStandIn[];
  let server: PushServer;
  let picture: string;

  /** A config file for the CLI: the same phones and credentials, publicUrl where the server runs (or not). */
  async function configFile(name: string, publicUrl: string, withToken: boolean): Promise<string> {
    const file = join(dir, name);
    const config = {
      pbx: { host: '127.0.0.1' },
      server: { publicUrl, dataDir: join(dir, 'data') },
      phones: phones.map((p, i) => ({ mac: testMac(i + 1), model: '7941', label: `Desk${i + 1}`, ip: p.address, lines: [{ number: `60${i}` }] })),
      push: PUSH,
      ...(withToken ? { api: { token: TOKEN } } : {}),
    };
    await writeFile(file, JSON.stringify(config));
    return file;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'push-cli-'));
    phones = await Promise.all([1, 2].map((i) => new PhoneStandIn({ deviceName: `SEP${testMac(i)}` }).start()));
    server = await startPushServer({
      phones: phones.map((p, i) => ({ mac: testMac(i + 1), label: `Desk${i + 1}`, ip: p.address })),
      push: PUSH,
      api: { token: TOKEN },
      standIns: phones,
    });
    picture = join(dir, 'door.png');
    await writeFile(picture, await sharp({ create: { width: 200, height: 100, channels: 3, background: '#808080' } }).png().toBuffer());
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('hands the push to the running server and prints each phone', async () => {
    const config = await configFile('via-server.yaml', server.url, true);
    const res = await runCli(['push', '--config', config, '--phone', 'all', '--image', picture]);
    assert.equal(res.code, 0, res.err);
    assert.deepEqual(res.outLines, [
      `Desk1 (SEP${testMac(1)}) at ${phones[0]!.address}: ok`,
      `Desk2 (SEP${testMac(2)}) at ${phones[1]!.address}: ok`,
    ]);
    assert.ok(phones.every((p) => p.fetched.some((f) => f.contentType === 'image/png')));
  });

  it('pushes directly when no server answers, and says what needed one', async () => {
    // A loopback port nobody listens on any more.
    const gone = await new PhoneStandIn({ deviceName: 'x' }).start();
    const closedUrl = `http://${gone.address}`;
    await gone.stop();
    const config = await configFile('direct.yaml', closedUrl, true);
    const text = await runCli(['push', '--config', config, '--phone', 'Desk1', '--text', 'Short one']);
    assert.equal(text.code, 0, text.err);
    assert.match(text.errLines[0]!, /no server answers .*pushing directly/);
    assert.deepEqual(text.outLines, [`Desk1 (SEP${testMac(1)}) at ${phones[0]!.address}: ok`]);
    assert.match(phones[0]!.shown.at(-1)!, /Short one/);

    const image = await runCli(['push', '--config', config, '--phone', 'Desk1', '--phone', 'Desk2', '--image', picture]);
    assert.equal(image.code, 1);
    assert.ok(image.errLines.some((l) => /Desk1 .*needs-server/.test(l)));
    assert.ok(image.errLines.some((l) => /start `ciscophone serve`/.test(l)));
  });

  it('pushes directly without api.token', async () => {
    const config = await configFile('no-token.yaml', 'http://127.0.0.1:9', false);
    const res = await runCli(['push', '--config', config, '--phone', `SEP${testMac(2)}`, '--dial', '0171 234-5678']);
    assert.equal(res.code, 0, res.err);
    assert.ok(phones[1]!.executed.includes('Dial:01712345678'));
  });

  it('refuses bad usage with exit code 2', async () => {
    const config = await configFile('usage.yaml', server.url, true);
    assert.equal((await runCli(['push', '--config', config, '--text', 'no phone'])).code, 2);
    assert.equal((await runCli(['push', '--config', config, '--phone', 'all'])).code, 2);
    const both = await runCli(['push', '--config', config, '--phone', 'all', '--text', 'a', '--url', 'http://127.0.0.1/']);
    assert.equal(both.code, 2);
    assert.match(both.errLines[0]!, /only one of text, url and image/);
    const unknown = await runCli(['push', '--config', config, '--phone', 'Attic', '--dial', '1']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /Attic: unknown-phone/);
  });
});
