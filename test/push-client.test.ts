import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { executeBody, parseAddress } from '../src/push/client.js';
import { PUSH_OBJECT_LIMIT, pushToPhones } from '../src/push/push.js';
import { encodeBody } from '../src/xml/charset.js';
import { serialize } from '../src/xml/objects.js';
import { checkPhoneXml } from './helpers/phone-xml.js';
import { PhoneStandIn, startPushServer, testMac, type PushServer, type StandInOptions } from './helpers/phone-standin.js';

const PUSH = { username: 'push', password: 'push-pass-1', timeout: 2 };

/** The charset named in an XML declaration, as a Content-Type for checkPhoneXml. */
function xmlType(xml: string): string {
  return /encoding="ISO-8859-1"/.test(xml) ? 'text/xml; charset=ISO-8859-1' : 'text/xml; charset=UTF-8';
}

interface Rig {
  server: PushServer;
  phones: PhoneStandIn[];
  close(): Promise<void>;
}

/** Our server plus one stand-in per phone spec (model 7941 unless told). */
async function rig(specs: (Partial<StandInOptions> & { model?: string })[], push: Record<string, unknown> = PUSH): Promise<Rig> {
  const phones = await Promise.all(
    specs.map((s, i) => new PhoneStandIn({ deviceName: `SEP${testMac(i + 1)}`, ...s }).start()),
  );
  const server = await startPushServer({
    phones: phones.map((p, i) => ({ mac: testMac(i + 1), label: `Phone${i + 1}`, model: specs[i]!.model ?? '7941', ip: p.address })),
    push,
    standIns: phones,
  });
  return {
    server,
    phones,
    close: async () => {
      await Promise.all(phones.map((p) => p.stop()));
      await server.close();
    },
  };
}

describe('push client against a phone stand-in', () => {
  let current: Rig | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });

  it('delivers a text with good credentials: a small Execute, then the phone fetches the page', async () => {
    current = await rig([{}]);
    const [phone] = current.phones;
    const [result] = await pushToPhones(current.server.ctx, 'Phone1', { text: 'Parcel at the door', title: 'Door' });
    assert.equal(result?.status, 'ok', result?.message);
    assert.equal(result.name, `SEP${testMac(1)}`);
    assert.equal(result.address, phone!.address);
    const push = phone!.received[0]!;
    assert.equal(push.authAnswer, 'AUTHORIZED');
    assert.deepEqual(push.credentials, { username: 'push', password: 'push-pass-1' });
    assert.equal(push.headers.expect, undefined);
    assert.equal(push.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(Number(push.headers['content-length']), Buffer.byteLength(push.body));
    assert.match(push.body, /^XML=%3C%3Fxml/);
    const execute = checkPhoneXml(push.xml, xmlType(push.xml));
    assert.equal(execute.kind, 'Execute');
    assert.equal(execute.executeItems.length, 1);
    assert.match(execute.executeItems[0]!.url, new RegExp(`^${current.server.url}/push/object/[A-Za-z0-9_-]{22}\\?name=SEP${testMac(1)}$`));
    const fetched = phone!.fetched[0]!;
    assert.equal(fetched.status, 200);
    const page = checkPhoneXml(fetched.body, fetched.contentType);
    assert.equal(page.kind, 'Text');
    assert.equal(page.title, 'Door');
    assert.equal(page.text, 'Parcel at the door');
  });

  it('sends an oversize object through an Execute URL and the phone gets all of it', async () => {
    current = await rig([{}]);
    const text = Array.from({ length: 120 }, (_, i) => `Line ${i} äöü €`).join('\n');
    const [result] = await pushToPhones(current.server.ctx, `SEP${testMac(1)}`, { text });
    assert.equal(result?.status, 'ok', result?.message);
    const push = current.phones[0]!.received[0]!;
    assert.ok(Buffer.byteLength(push.body, 'latin1') <= PUSH_OBJECT_LIMIT, `POST body of ${push.body.length} bytes`);
    const page = checkPhoneXml(current.phones[0]!.fetched[0]!.body, current.phones[0]!.fetched[0]!.contentType);
    assert.equal(page.text, text.slice(0, 4000));
    assert.ok(Buffer.byteLength(page.xml) > PUSH_OBJECT_LIMIT);
  });

  it('reports wrong credentials when the phone answers CiscoIPPhoneError 4', async () => {
    current = await rig([{}]);
    // The phone asks a server that knows other credentials.
    const other = await startPushServer({ phones: [{ mac: testMac(1) }], push: { username: 'push', password: 'another' } });
    try {
      current.phones[0]!.options.authUrl = `${other.url}/authenticate`;
      const [result] = await pushToPhones(current.server.ctx, 'Phone1', { dial: '123' });
      assert.equal(result?.status, 'wrong-credentials');
      assert.match(result.message, /Error 4/);
      assert.equal(current.phones[0]!.received[0]!.authAnswer, 'UNAUTHORIZED');
      assert.deepEqual(current.phones[0]!.executed, []);
    } finally {
      await other.close();
    }
  });

  it('reports wrong credentials when a 7940-style phone answers 401', async () => {
    current = await rig([{ refusal: '401' }]);
    const other = await startPushServer({ phones: [{ mac: testMac(1) }], push: { username: 'x', password: 'y' } });
    try {
      current.phones[0]!.options.authUrl = `${other.url}/authenticate`;
      const [result] = await pushToPhones(current.server.ctx, 'Phone1', { dial: '123' });
      assert.equal(result?.status, 'wrong-credentials');
      assert.match(result.message, /401/);
    } finally {
      await other.close();
    }
  });

  it('maps forced answers: Error 4, 401, a malformed reply, a redirect', async () => {
    current = await rig([{ mode: 'error4' }, { mode: '401' }, { mode: 'malformed' }, { mode: 'redirect' }]);
    const results = await pushToPhones(current.server.ctx, 'all', { dial: '0,123#' });
    assert.deepEqual(results.map((r) => r.status), ['wrong-credentials', 'wrong-credentials', 'ok', 'ok']);
    assert.deepEqual(results[2]!.items, [{ status: 0, data: 'Success & done', url: 'Dial:0,123#' }]);
    assert.deepEqual(results[3]!.items, [{ status: 0, data: 'Success', url: 'Dial:0,123#' }]);
    assert.deepEqual(current.phones[3]!.executed, ['Dial:0,123#']);
  });

  it('gives up on a phone that never answers (push.timeout)', async () => {
    current = await rig([{ mode: 'silent' }, {}], { ...PUSH, timeout: 1 });
    const results = await pushToPhones(current.server.ctx, ['Phone1', 'Phone2'], { dial: '42' });
    assert.equal(results[0]!.status, 'timeout');
    assert.match(results[0]!.message, /1 s/);
    assert.equal(results[1]!.status, 'ok');
  });

  it('pushes to ten phones at once and reports each', async () => {
    current = await rig(Array.from({ length: 10 }, () => ({})));
    const results = await pushToPhones(current.server.ctx, 'all', { text: 'Fire drill at 11:00', play: 'chime.raw' });
    assert.equal(results.length, 10);
    assert.deepEqual(results.map((r) => r.label), current.phones.map((_, i) => `Phone${i + 1}`));
    for (const [i, r] of results.entries()) {
      assert.equal(r.status, 'ok', `${r.label}: ${r.message}`);
      assert.equal(r.items?.length, 2);
      assert.deepEqual(current.phones[i]!.executed, ['Play:chime.raw']);
      assert.equal(checkPhoneXml(current.phones[i]!.fetched[0]!.body, current.phones[i]!.fetched[0]!.contentType).text, 'Fire drill at 11:00');
    }
  });

  it('pushes a picture fitted to the model display', async () => {
    current = await rig([{}, { model: '7970', modelName: 'CP-7970G' }]);
    const picture = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 30, b: 30 } } }).jpeg().toBuffer();
    const results = await pushToPhones(current.server.ctx, 'all', { image: picture, title: 'Door' });
    assert.deepEqual(results.map((r) => r.status), ['ok', 'ok']);
    for (const [i, phone] of current.phones.entries()) {
      const [page, png] = phone.fetched;
      const parsed = checkPhoneXml(page!.body, page!.contentType);
      assert.equal(parsed.kind, 'ImageFile');
      assert.equal(png!.contentType, 'image/png');
      const meta = await sharp(png!.body).metadata();
      const display = current.server.ctx.inventory.phones[i]!.caps.display;
      assert.ok(meta.width! <= display.width && meta.height! <= display.height, `${meta.width}x${meta.height} fits ${display.width}x${display.height}`);
      assert.ok(meta.width === display.width || meta.height === display.height);
    }
  });

  it('pushes only a short text to a 7940, directly', async () => {
    current = await rig([{ model: '7940', modelName: 'CP-7940G' }]);
    const [text] = await pushToPhones(current.server.ctx, 'Phone1', { text: 'Hello' });
    assert.equal(text?.status, 'ok', text?.message);
    assert.equal(current.phones[0]!.shown.length, 1);
    assert.equal(checkPhoneXml(current.phones[0]!.shown[0]!, xmlType(current.phones[0]!.shown[0]!)).kind, 'Text');
    const [dial] = await pushToPhones(current.server.ctx, 'Phone1', { dial: '1' });
    assert.equal(dial?.status, 'unsupported');
    const [long] = await pushToPhones(current.server.ctx, 'Phone1', { text: 'word '.repeat(200) });
    assert.equal(long?.status, 'too-large');
    assert.match(long.message, /shorten the text/);
    assert.equal(current.phones[0]!.received.length, 1);
  });

  it('measures the 512-byte limit on the URL-encoded POST body, not on the object', async () => {
    current = await rig([{ model: '7940', modelName: 'CP-7940G' }]);
    const bodyOf = (text: string) => executeBody(encodeBody(serialize({ kind: 'Text', text }, 'iso-8859-1'), 'iso-8859-1'));
    // Spaces and punctuation take three bytes each once encoded.
    const text = 'a, b; '.repeat(60);
    const object = encodeBody(serialize({ kind: 'Text', text }, 'iso-8859-1'), 'iso-8859-1');
    assert.ok(object.length < PUSH_OBJECT_LIMIT && bodyOf(text).length > PUSH_OBJECT_LIMIT, `${object.length} / ${bodyOf(text).length}`);
    const [over] = await pushToPhones(current.server.ctx, 'Phone1', { text });
    assert.equal(over?.status, 'too-large');
    assert.match(over.message, new RegExp(`${bodyOf(text).length} bytes URL-encoded`));
    assert.equal(current.phones[0]!.received.length, 0);
    // The longest text of this kind that still fits goes out whole, in a body of at most 512 bytes.
    let fitting = text;
    while (bodyOf(fitting).length > PUSH_OBJECT_LIMIT) fitting = fitting.slice(0, -1);
    const [ok] = await pushToPhones(current.server.ctx, 'Phone1', { text: fitting });
    assert.equal(ok?.status, 'ok', ok?.message);
    const push = current.phones[0]!.received[0]!;
    assert.ok(Buffer.byteLength(push.body, 'latin1') <= PUSH_OBJECT_LIMIT);
    assert.equal(checkPhoneXml(push.xml, xmlType(push.xml)).text, fitting);
  });

  it('reports unknown phones, phones without an address and bad actions', async () => {
    current = await rig([{}]);
    const results = await pushToPhones(current.server.ctx, ['Phone1', 'Nowhere'], { dial: 'call me' });
    assert.deepEqual(results.map((r) => r.status), ['invalid', 'unknown-phone']);
    const noIp = await startPushServer({ phones: [{ mac: testMac(9), label: 'Lost' }], push: PUSH });
    try {
      const [lost] = await pushToPhones(noIp.ctx, 'Lost', { dial: '1' });
      assert.equal(lost?.status, 'no-address');
      // Any host can name the phone in a service URL: that gives no address to push to.
      await noIp.app.inject({ method: 'GET', url: `/services?name=SEP${testMac(9)}`, remoteAddress: '127.0.0.1' });
      const [still] = await pushToPhones(noIp.ctx, 'Lost', { dial: '1' });
      assert.equal(still?.status, 'no-address');
      assert.match(still!.message, /set its ip:/);
      // The address holding its config lock does (the phone's own web server: port 80).
      noIp.ctx.configLocks.claim(`SEP${testMac(9)}`, '127.0.0.1');
      const [found] = await pushToPhones(noIp.ctx, 'Lost', { dial: '1' });
      assert.equal(found?.address, '127.0.0.1:80');
      assert.notEqual(found.status, 'no-address');
    } finally {
      await noIp.close();
    }
  });
});

describe('push without the running server (the CLI on its own)', () => {
  let current: Rig;
  before(async () => {
    const phone = await new PhoneStandIn({ deviceName: `SEP${testMac(1)}` }).start();
    const server = await startPushServer({ phones: [{ mac: testMac(1), label: 'Office', ip: phone.address }], push: PUSH, standIns: [phone] });
    current = { server, phones: [phone], close: async () => { await phone.stop(); await server.close(); } };
  });
  after(() => current.close());

  it('posts a short text as it is and explains what needs the server', async () => {
    const ctx = createContext({ config: current.server.ctx.config, log: createLogger('silent'), ephemeral: true });
    const [short] = await pushToPhones(ctx, 'Office', { text: 'Short note' });
    assert.equal(short?.status, 'ok', short?.message);
    assert.equal(checkPhoneXml(current.phones[0]!.shown[0]!, xmlType(current.phones[0]!.shown[0]!)).text, 'Short note');
    const [long] = await pushToPhones(ctx, 'Office', { text: 'x'.repeat(600) });
    assert.equal(long?.status, 'needs-server');
    const [dial] = await pushToPhones(ctx, 'Office', { dial: '5' });
    assert.equal(dial?.status, 'ok');
  });
});

describe('phone addresses', () => {
  it('reads host, host:port, IPv6 and IPv4-mapped forms', () => {
    assert.deepEqual(parseAddress('192.168.1.50'), { host: '192.168.1.50', port: 80 });
    assert.deepEqual(parseAddress('192.168.1.50:8080'), { host: '192.168.1.50', port: 8080 });
    assert.deepEqual(parseAddress('::ffff:10.0.0.7'), { host: '10.0.0.7', port: 80 });
    assert.deepEqual(parseAddress('[fe80::1]:81'), { host: 'fe80::1', port: 81 });
    assert.deepEqual(parseAddress('fe80::1'), { host: 'fe80::1', port: 80 });
    assert.equal(parseAddress('host:99999'), undefined);
    assert.equal(parseAddress('http://x/'), undefined);
  });
});
