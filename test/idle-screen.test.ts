import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { createLogger } from '../src/logger.js';
import { CIP_GREYS, unpackCip } from '../src/render/cip.js';
import { testApp, type TestApp } from './helpers/app.js';
import { checkPhoneXml, injectPath } from './helpers/phone-xml.js';

/** IHDR fields and chunk names of a PNG (no alpha, no interlace). */
function pngHeader(png: Buffer): { width: number; height: number; bitDepth: number; colourType: number; interlace: number; chunks: string[] } {
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');
  const chunks: string[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    chunks.push(type);
    at += 12 + length;
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png[24]!, colourType: png[25]!, interlace: png[28]!, chunks };
}

async function pixels(png: Buffer): Promise<{ data: Buffer; channels: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, channels: info.channels };
}

/** 12:05:30 UTC on a Tuesday; tests move it and put it back. */
let now = new Date('2025-06-03T12:05:30Z');
const clock = (): Date => now;

const MACS = { '7941': '001111000001', '7945': '001111000002', '7970': '001111000003', '7975': '001111000004', '7940': '001111000005' } as const;
const name = (model: keyof typeof MACS): string => `SEP${MACS[model]}`;

describe('idle screen over HTTP', () => {
  let t: TestApp;
  const logLines: string[] = [];

  before(async () => {
    const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => { logLines.push(String(chunk)); done(); } }));
    const phones = Object.entries(MACS).map(([model, mac]) => `  - { mac: "${mac}", model: "${model}", lines: [ { number: "600" } ] }`).join('\n');
    t = await testApp(
      `pbx: { host: 192.168.1.1 }
defaults: { timeZone: Europe/Berlin, language: en }
phones:
${phones}
  - { mac: "00111100000A", model: "7941", lines: [ { number: "600" } ], idle: { widgets: [ { type: clock } ] } }
  - { mac: "00111100000B", model: "7941", lines: [ { number: "600" } ], idle: { widgets: [ { type: clock }, { type: picture, path: broken.jpg } ] } }
  - { mac: "00111100000C", model: "7941", lines: [ { number: "600" } ], idle: { widgets: [ { type: picture, path: huge.png } ] } }
  - { mac: "00111100000D", model: "7941", lines: [ { number: "600" } ], idle: { widgets: [ { type: picture, path: bomb.svg } ] } }
  - { mac: "00111100000E", model: "7970", lines: [ { number: "600" } ], idle: { widgets: [ { type: clock }, { type: picture, path: photo.png } ] } }
`,
      { clock, log },
    );
    // A truncated JPEG, a PNG that claims 20000×20000 pixels, an SVG with a gigantic canvas, a real photo-like PNG.
    const jpeg = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#4080c0' } }).jpeg().toBuffer();
    writeFileSync(path.join(t.dir, 'broken.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    const small = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer();
    const huge = Buffer.from(small);
    huge.writeUInt32BE(20000, 16);
    huge.writeUInt32BE(20000, 20);
    huge.writeUInt32BE(crc32(huge.subarray(12, 29)), 29);
    writeFileSync(path.join(t.dir, 'huge.png'), huge);
    writeFileSync(path.join(t.dir, 'bomb.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="200000" height="200000"><rect width="200000" height="200000"/></svg>');
    const gradient = Buffer.alloc(120 * 80 * 3);
    for (let i = 0; i < 120 * 80; i++) gradient.fill((i % 120) * 2, i * 3, i * 3 + 3);
    writeFileSync(path.join(t.dir, 'photo.png'), await sharp(gradient, { raw: { width: 120, height: 80, channels: 3 } }).png().toBuffer());
  });
  after(() => t.close());

  for (const [model, expect] of [
    ['7941', { width: 298, height: 144 }],
    ['7945', { width: 298, height: 156 }],
    ['7970', { width: 298, height: 168 }],
    ['7975', { width: 298, height: 168 }],
  ] as const) {
    it(`${model}: ImageFile pointing at an absolute /idle.png, Refresh on the next minute`, async () => {
      const res = await t.app.inject(`/idle?name=${name(model)}`);
      const page = checkPhoneXml(res.rawPayload, res.headers['content-type']);
      assert.equal(page.kind, 'ImageFile');
      assert.equal(page.url, `http://phones.test:8080/idle.png?name=${name(model)}`);
      assert.equal(String((page.raw as Record<string, unknown>)['LocationX']), '0');
      // 12:05:30 → 30 s to 12:06, plus one.
      assert.equal(res.headers['refresh'], `31; url=http://phones.test:8080/idle?name=${name(model)}`);
    });

    it(`${model}: the PNG fits the services area and the panel's depth`, async () => {
      const res = await t.app.inject(`/idle.png?name=${name(model)}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/png');
      assert.equal(Number(res.headers['content-length']), res.rawPayload.length);
      const png = res.rawPayload;
      const h = pngHeader(png);
      assert.deepEqual({ width: h.width, height: h.height }, expect);
      assert.equal(h.interlace, 0);
      assert.ok(!h.chunks.includes('tRNS'), 'no transparency');
      const { data, channels } = await pixels(png);
      if (model === '7941') {
        assert.equal(h.colourType, 0, 'greyscale');
        assert.equal(h.bitDepth, 8);
        const levels = new Set<number>();
        for (let i = 0; i < data.length; i += channels) levels.add(data[i]!);
        assert.ok(levels.size <= 16 && levels.size >= 2, `${levels.size} grey levels`);
        // 4 bits: the 16 levels of the panel, 0, 17, …, 255.
        for (const level of levels) assert.equal(level % 17, 0, `level ${level}`);
      } else {
        assert.equal(h.colourType, 2, 'RGB');
        assert.equal(h.bitDepth, 8);
        // 12 bits: 4 per channel (multiples of 17); 16 bits: 5-6-5 with bit replication.
        const bits = model === '7970' ? [4, 4, 4] : [5, 6, 5];
        const allowed = bits.map((b) => new Set(Array.from({ length: 2 ** b }, (_, k) => Math.round((k * 255) / (2 ** b - 1)))));
        for (let i = 0; i < data.length; i++) assert.ok(allowed[i % 3]!.has(data[i]!), `value ${data[i]} at ${i} is not on the ${bits.join('-')} grid`);
      }
    });
  }

  it('7940: a CiscoIPPhoneImage whose 2-bit Data is the picture /idle.png shows', async () => {
    const res = await t.app.inject(`/idle?name=${name('7940')}`);
    const page = checkPhoneXml(res.rawPayload, res.headers['content-type']);
    assert.equal(page.kind, 'Image');
    const raw = page.raw as Record<string, unknown>;
    assert.deepEqual([raw['Width'], raw['Height'], raw['Depth'], raw['LocationX'], raw['LocationY']].map(String), ['133', '65', '2', '0', '0']);
    const data = String(raw['Data']);
    assert.equal(data.length, 2 * Math.ceil((133 * 65) / 4));
    assert.match(res.headers['refresh'] as string, /^31; url=http:\/\/phones\.test:8080\/idle\?name=/);
    const values = unpackCip(data, 133, 65);
    assert.ok(values.includes(3) && values.includes(0), 'black text on white');

    const preview = await t.app.inject(`/idle.png?name=${name('7940')}&scale=1`);
    const { data: grey, channels } = await pixels(preview.rawPayload);
    assert.equal(pngHeader(preview.rawPayload).width, 133);
    for (let i = 0; i < values.length; i++) assert.equal(grey[i * channels], CIP_GREYS[values[i]!], `pixel ${i}`);
    const big = pngHeader((await t.app.inject(`/idle.png?name=${name('7940')}`)).rawPayload);
    assert.deepEqual([big.width, big.height], [266, 130], 'previews are magnified twice by default');
  });

  it('model previews need no configured phone', async () => {
    const res = await t.app.inject('/idle.png?model=7941');
    assert.deepEqual([pngHeader(res.rawPayload).width, pngHeader(res.rawPayload).height], [298, 144]);
    const xml = await t.app.inject('/idle?model=7970&lang=de');
    const page = checkPhoneXml(xml.rawPayload, xml.headers['content-type']);
    assert.equal(page.url, 'http://phones.test:8080/idle.png?model=7970&lang=de');
    assert.equal((await t.app.inject(injectPath(page.url!))).headers['content-type'], 'image/png');
  });

  it('the clock follows the injected clock; the same minute comes from the cache', async () => {
    const clockOnly = '/idle.png?name=SEP00111100000A';
    const first = (await t.app.inject(clockOnly)).rawPayload;
    const before = t.ctx.idle.stats.snapshot();
    now = new Date('2025-06-03T12:05:50Z');
    const sameMinute = (await t.app.inject(clockOnly)).rawPayload;
    assert.ok(first.equals(sameMinute));
    assert.equal(t.ctx.idle.stats.snapshot().hits, before.hits + 1);
    now = new Date('2025-06-03T12:06:01Z');
    const next = (await t.app.inject(clockOnly)).rawPayload;
    assert.ok(!first.equals(next), 'a new minute draws a new clock');
    assert.equal(t.ctx.idle.stats.snapshot().renders, before.renders + 1);
    now = new Date('2025-06-03T12:05:30Z');
  });

  it('a photo is dithered into the panel levels', async () => {
    const res = await t.app.inject('/idle.png?name=SEP00111100000E');
    assert.equal(pngHeader(res.rawPayload).height, 168);
    assert.equal(t.ctx.idle.stats.snapshot().fallbacks, 0);
  });

  for (const [label, mac, file] of [
    ['a truncated JPEG', '00111100000B', 'broken.jpg'],
    ['a 20000×20000 PNG', '00111100000C', 'huge.png'],
    ['an SVG with a gigantic canvas', '00111100000D', 'bomb.svg'],
  ] as const) {
    it(`${label}: logged once, the default layout is shown`, async () => {
      const fallback = t.ctx.idle.stats.snapshot().fallbacks;
      const defaultPicture = (await t.app.inject(`/idle.png?name=${name('7941')}`)).rawPayload;
      for (let i = 0; i < 3; i++) {
        now = new Date(Date.parse('2025-06-03T12:05:30Z') + i * 60_000);
        const res = await t.app.inject(`/idle.png?name=SEP${mac}`);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], 'image/png');
        if (i === 0) assert.ok(res.rawPayload.equals(defaultPicture), 'the default layout, pixel for pixel');
      }
      now = new Date('2025-06-03T12:05:30Z');
      const errors = logLines.filter((l) => l.includes(file) && JSON.parse(l).level === 50);
      assert.equal(errors.length, 1, `one error for ${file}: ${errors.join('')}`);
      assert.ok(t.ctx.idle.stats.snapshot().fallbacks >= fallback + 1);
    });
  }
});

/** CRC-32 of PNG chunks (ISO 3309). */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
