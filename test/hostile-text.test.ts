/**
 * Text is data everywhere: strings that look like entities (`&nbsp;`, `&#0;`, `&ab;`), markup,
 * control characters and lone surrogates, from contacts, events and config values, through every
 * route and file that shows them. Each body must parse as well-formed XML and carry the text as
 * those literal characters (minus what XML 1.0 cannot carry); the idle picture is still drawn
 * with the configured layout.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import sharp from 'sharp';
import { imageListXml, ringListDat, ringListXml } from '../src/media/lists.js';
import { renderMediaFile } from '../src/media/provider.js';
import { renderVirtualFile } from '../src/provisioning/virtual-files.js';
import { xmlText } from '../src/provisioning/xml-file.js';
import { escapeMarkup } from '../src/render/text.js';
import { renderScene } from '../src/render/scene.js';
import type { RenderTarget } from '../src/render/target.js';
import { encodeBody, serialize, type Charset, type PhoneObject } from '../src/xml/index.js';
import { xmlCharsOnly } from '../src/xml/chars.js';
import { testApp, type TestApp } from './helpers/app.js';
import { makeWav, tone } from './helpers/media-wav.js';
import { checkPhoneXml, injectPath, type ParsedPhoneXml } from './helpers/phone-xml.js';

/** Entity-shaped text, markup, a CDATA end, quotes: all must arrive as these very characters. */
const LITERAL = ['Bob &nbsp; Smith', 'R&#0;D', 'Kx&ab;9', 'a&amp;b &#x41; &lt;', '<b>x</b> ]]> "q" \'s\''];
/** Characters XML 1.0 forbids, a lone high and a lone low surrogate: removed, the rest kept. */
const FORBIDDEN = ['R\u0001D', 'x\uD800y', 'x\uDC00y', 'a\u0000b\u001Fc\uFFFEd\uFFFF'];
const HOSTILE = [...LITERAL, ...FORBIDDEN];

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: false });

/** Parses a document strictly (well-formed, one root) and returns every text and attribute value in it. */
function textsOf(xml: string): string[] {
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, `well-formed: ${JSON.stringify(valid)}\n${xml.slice(0, 400)}`);
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(parser.parse(xml));
  return out;
}

/** What a value looks like after the writer: forbidden characters gone, everything else literal. */
const expected = (s: string): string => xmlCharsOnly(s);

/** Asserts every hostile string appears, literally, somewhere in the document's values. */
function assertCarries(xml: string, strings: readonly string[], where: string): void {
  const texts = textsOf(xml).join('\n');
  for (const s of strings) assert.ok(texts.includes(expected(s)), `${where}: ${JSON.stringify(expected(s))} in ${JSON.stringify(texts.slice(0, 600))}`);
}

describe('the writer: hostile text in every kind of document', () => {
  test('xmlCharsOnly removes what XML 1.0 forbids and keeps pairs, tab, CR, LF and everything else', () => {
    assert.equal(xmlCharsOnly('R\u0001D'), 'RD');
    assert.equal(xmlCharsOnly('x\uD800y'), 'xy');
    assert.equal(xmlCharsOnly('x\uDC00y'), 'xy');
    assert.equal(xmlCharsOnly('a\u0000b\u001Fc\uFFFEd\uFFFF'), 'abcd');
    assert.equal(xmlCharsOnly('😀\t\r\n Ünïcödé &nbsp;'), '😀\t\r\n Ünïcödé &nbsp;');
  });

  for (const charset of ['utf-8', 'iso-8859-1'] as Charset[]) {
    test(`CiscoIPPhone objects (${charset}): titles, prompts, items, entries, text, softkeys, error`, () => {
      const objects: PhoneObject[] = [
        { kind: 'Menu', title: HOSTILE[0]!, prompt: HOSTILE[1]!, items: HOSTILE.map((h, i) => ({ name: h, url: `http://h.test/${i}` })), softKeys: [{ name: 'Kx&ab;', url: 'SoftKey:Exit', position: 3 }] },
        { kind: 'Text', title: HOSTILE[2]!, text: HOSTILE.join('\n') },
        { kind: 'Directory', title: HOSTILE[4]!, entries: HOSTILE.map((h) => ({ name: h, telephone: '200' })) },
        { kind: 'Input', title: 'x', url: 'http://h.test/s', items: [{ displayName: HOSTILE[0]!, param: 'q', flags: 'A', defaultValue: HOSTILE[1]! }] },
        { kind: 'Error', number: 1, message: HOSTILE[2]! },
      ];
      for (const obj of objects) {
        const body = encodeBody(serialize(obj, charset), charset);
        const xml = body.toString(charset === 'utf-8' ? 'utf8' : 'latin1');
        const texts = textsOf(xml).join('\n');
        for (const s of LITERAL) {
          if (obj.kind === 'Menu' || obj.kind === 'Text' || obj.kind === 'Directory') {
            // Truncated fields still begin with the literal text.
            assert.ok(texts.includes(expected(s).slice(0, 10)), `${obj.kind}: ${s}`);
          }
        }
        assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml), `${obj.kind}: no forbidden character`);
        checkPhoneXml(body, `text/xml; charset=${charset}`);
      }
    });
  }

  test('URLs with entity-shaped text are written with every & escaped', () => {
    const url = 'http://h.test/x?a=1&nbsp;=2&amp;b=3';
    const xml = serialize({ kind: 'Execute', items: [{ url }] }, 'utf-8');
    const parsed = parser.parse(xml) as { CiscoIPPhoneExecute: { ExecuteItem: { '@URL': string } } };
    assert.equal(parsed.CiscoIPPhoneExecute.ExecuteItem['@URL'], url);
  });

  test('provisioning files (elements, attributes, text beside attributes), ring and image lists', () => {
    const xml = xmlText({ device: { '@name': HOSTILE[0]!, a: HOSTILE[1]!, b: { '@x': HOSTILE[2]!, '#': HOSTILE[3]! }, c: HOSTILE.map((h) => ({ d: h })) } });
    assertCarries(xml, HOSTILE, 'xmlText');
    const rings = ringListXml(HOSTILE.map((h, i) => ({ displayName: h, fileName: `r${i}.raw` }))).toString('latin1');
    assertCarries(rings, LITERAL, 'Ringlist.xml');
    const images = imageListXml([{ thumbnail: 'Desktops/320x196x4/TN-&nbsp;.png', image: 'Desktops/320x196x4/&#0;.png' }]).toString('latin1');
    assertCarries(images, ['TFTP:Desktops/320x196x4/TN-&nbsp;.png', 'TFTP:Desktops/320x196x4/&#0;.png'], 'List.xml');
    const dat = ringListDat([{ displayName: 'R\u0001D &nbsp;', fileName: 'a.raw' }]).toString('latin1');
    assert.equal(dat, 'RD &nbsp;\ta.raw\r\n');
  });

  test('SVG and Pango markup: forbidden characters removed, markup escaped', () => {
    assert.equal(escapeMarkup('R\u0001D <&nbsp;> x\uD800'), 'RD &lt;&amp;nbsp;&gt; x');
  });

  test('an idle scene with every hostile string is drawn (PNG and CIP targets)', async () => {
    const rows = HOSTILE.map((title) => ({ when: '09:00', title }));
    const targets: RenderTarget[] = [{ kind: 'grey', width: 298, height: 144, bits: 4 }, { kind: 'cip', width: 133, height: 65 }];
    for (const target of targets) {
      const picture = await renderScene({ widgets: [{ type: 'text', lines: HOSTILE.slice(0, 3), size: 'medium', align: 'center' }, { type: 'events', rows, empty: '' }] }, target);
      const meta = await sharp(picture.png).metadata();
      assert.equal(meta.format, 'png');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Through the server: config values, contacts and events, as phones and TFTP clients fetch them.

const yamlString = (s: string): string => JSON.stringify(s);

function vcards(): string {
  return HOSTILE.filter((h) => !/[\uD800-\uDFFF]/.test(h))
    .map((h, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zed ${h}\r\nTEL;TYPE=CELL:+49 170 ${1000 + i}\r\nEND:VCARD\r\n`)
    .join('');
}

function ics(): string {
  const escape = (s: string): string => s.replace(/[,;\\]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
  // Forbidden characters first: the idle screens show the first three events.
  const events = [...FORBIDDEN, ...LITERAL].filter((h) => !/[\uD800-\uDFFF]/.test(h)).map((h, i) =>
    [
      'BEGIN:VEVENT', `UID:hostile-${i}@test`, 'DTSTAMP:20260101T000000Z',
      `DTSTART:20261023T${String(8 + i).padStart(2, '0')}0000Z`, `DTEND:20261023T${String(8 + i).padStart(2, '0')}3000Z`,
      `SUMMARY:${escape(h)}`, `LOCATION:${escape(h)}`, `DESCRIPTION:${escape(h)}`, 'END:VEVENT',
    ].join('\r\n'),
  );
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

const OFFICE = 'SEP008041AEFD7E';
const HALL = 'SEP001120AABBCC';
const HEADERS = {
  '7941': { 'x-CiscoIPPhoneModelName': 'CP-7941G', 'x-CiscoIPPhoneDisplay': '298, 144, 4, G', 'Accept-Charset': 'utf-8,iso-8859-1;q=0.8' },
  '7940': { 'x-CiscoIPPhoneModelName': 'CP-7940G', 'x-CiscoIPPhoneDisplay': '133, 65, 2, G', 'Accept-Charset': 'iso-8859-1' },
};
const NOW = new Date('2026-10-23T06:00:00Z');

describe('hostile text through every route', () => {
  let t: TestApp;

  before(async () => {
    // Config values: a label, a display name, a SIP password, a service name, a ring tone name and an
    // idle text line, each with entity-shaped text and characters XML cannot carry.
    const idle = `{ widgets: [ { type: clock }, { type: text, text: ${yamlString(`${HOSTILE[0]}\n${HOSTILE[5]}\n${HOSTILE[6]}`)} }, { type: events, count: 3 } ] }`;
    t = await testApp(
      `
server: { publicUrl: "http://phones.test:8080" }
pbx: { host: 192.168.1.1 }
defaults: { timeZone: Europe/Berlin, language: en }
idle: ${idle}
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941", label: ${yamlString('Kx&ab;')}, lines: [ { number: "620", displayName: ${yamlString('Bob &nbsp; R\u0001D')}, password: ${yamlString('Kx&ab;9&#0;')}, label: ${yamlString('x\uD800 &lt;')} } ] }
  - { mac: "001120AABBCC", model: "7940", label: Hall, lines: [ { number: "622" } ] }
  - { mac: "00112233AA01", model: "7941", label: Fallback, lines: [ { number: "621" } ], idle: { widgets: [ { type: clock }, { type: picture, path: ./missing.png } ] } }
services:
  - { name: ${yamlString('Weather &nbsp; R\u0001D')}, url: "http://example.org/w.xml" }
directory:
  sources:
    - { type: vcard, name: ${yamlString('Book &ab;')}, path: ./book.vcf }
    - { type: vcard, name: ${yamlString('R&#0;D \u0001')}, path: ./other.vcf }
calendar:
  sources:
    - { type: ics, name: Work, path: ./work.ics }
ringtones: { folder: ./rings, names: { Chime: ${yamlString('Ch&nbsp;\u0001')} } }
backgrounds: { folder: ./pics }
`,
      { clock: () => NOW },
    );
    writeFileSync(path.join(t.dir, 'book.vcf'), vcards());
    writeFileSync(path.join(t.dir, 'other.vcf'), 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Other\r\nTEL:1\r\nEND:VCARD\r\n');
    writeFileSync(path.join(t.dir, 'work.ics'), ics());
    mkdirSync(path.join(t.dir, 'rings'));
    mkdirSync(path.join(t.dir, 'pics'));
    const wav = makeWav({ rate: 8000, channels: [tone(8000, 0.3, [[440, 0.5]])] });
    writeFileSync(path.join(t.dir, 'rings', 'Chime.wav'), wav);
    writeFileSync(path.join(t.dir, 'rings', 'R&#0;D &nbsp;.wav'), wav);
    const picture = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#4080c0' } }).png().toBuffer();
    writeFileSync(path.join(t.dir, 'pics', 'Lake &nbsp; R&#0;D.png'), picture);
    await t.ctx.contacts.start();
    await t.ctx.calendar.start();
    await t.ctx.calendar.refresh();
  });
  after(async () => {
    await t.ctx.contacts.stop();
    await t.ctx.calendar.stop();
    await t.close();
  });

  async function get(url: string, model: keyof typeof HEADERS): Promise<ParsedPhoneXml> {
    const res = await t.app.inject({ method: 'GET', url: url.startsWith('http') ? injectPath(url) : url, headers: HEADERS[model] });
    assert.equal(res.statusCode, 200, res.body);
    const page = checkPhoneXml(res.rawPayload, res.headers['content-type'] as string);
    textsOf(page.xml);
    return page;
  }

  test('/services lists the hostile service name literally', async () => {
    for (const [model, name] of [['7941', OFFICE], ['7940', HALL]] as const) {
      const menu = await get(`/services?name=${name}`, model);
      assert.ok(menu.items.some((i) => i.name === 'Weather &nbsp; RD'), JSON.stringify(menu.items));
    }
  });

  test('/directory: browse and search show hostile names literally', async () => {
    for (const [model, name] of [['7941', OFFICE], ['7940', HALL]] as const) {
      const results = await get(`/directory/results?name=${name}&q=9`, model);
      const names = results.entries.map((e) => e.name).join('\n');
      for (const s of ['Zed Bob &nbsp; Smith', 'Zed R&#0;D', 'Zed Kx&ab;9', 'Zed RD']) assert.ok(names.includes(s), `${model}: ${s} in ${names}`);
      const menu = await get(`/directory?name=${name}`, model);
      assert.ok(menu.items.some((i) => i.name === 'Book &ab;'), JSON.stringify(menu.items));
      assert.ok(menu.items.some((i) => i.name.trim() === 'R&#0;D'), JSON.stringify(menu.items));
    }
  });

  test('/lookup answers a hostile name as one line of plain text', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/lookup?number=%2B49%20170%201005' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'Zed RD');
  });

  test('/agenda and each event page show hostile titles, places and notes literally', async () => {
    for (const [model, name] of [['7941', OFFICE], ['7940', HALL]] as const) {
      const menu = await get(`/agenda?name=${name}`, model);
      const titles = menu.items.map((i) => i.name).join('\n');
      for (const s of ['R&#0;D', 'Kx&ab;9', 'RD']) assert.ok(titles.includes(s), `${model}: ${s} in ${titles}`);
      for (const item of menu.items.filter((i) => i.url.includes('/agenda/event'))) {
        const page = await get(item.url, model);
        assert.ok(page.text !== undefined || page.items.length > 0, `${model}: event page ${item.url}`);
      }
    }
  });

  test('/idle: the configured layout is drawn with hostile event titles and text (PNG and CIP)', async () => {
    const before = t.ctx.idle.stats.snapshot().fallbacks;
    const file = await get(`/idle?name=${OFFICE}`, '7941');
    assert.equal(file.kind, 'ImageFile');
    const res = await t.app.inject({ method: 'GET', url: injectPath(file.url!), headers: HEADERS['7941'] });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal((await sharp(res.rawPayload).metadata()).width, 298);
    const cip = await get(`/idle?name=${HALL}`, '7940');
    assert.equal(cip.kind, 'Image');
    assert.equal(t.ctx.idle.stats.snapshot().fallbacks, before, 'no fallback to the default layout');
  });

  test('/idle: the default layout a broken one falls back to draws the hostile event titles too', async () => {
    const before = t.ctx.idle.stats.snapshot().fallbacks;
    const res = await t.app.inject({ method: 'GET', url: '/idle.png?name=SEP00112233AA01', headers: HEADERS['7941'] });
    assert.equal(res.statusCode, 200);
    assert.equal((await sharp(res.rawPayload).metadata()).format, 'png');
    assert.equal(t.ctx.idle.stats.snapshot().fallbacks, before + 1, 'the fallback layout was drawn');
  });

  test('SEP file, XMLDefault and the ring list carry hostile config values literally; secrets unchanged', async () => {
    const sep = await renderVirtualFile(t.ctx, `${OFFICE}.cnf.xml`);
    assert.ok(sep && sep.kind === 'file');
    const xml = sep.body.toString('utf8');
    const texts = textsOf(xml);
    assert.ok(texts.includes('Kx&ab;9&#0;'), 'the SIP password arrives exactly as configured');
    assert.ok(texts.includes('Bob &nbsp; RD'), 'display name');
    assert.ok(texts.some((s) => s.includes('x &lt;')), 'line label');
    const defaults = await renderVirtualFile(t.ctx, 'XMLDefault.cnf.xml');
    assert.ok(defaults && defaults.kind === 'file');
    textsOf(defaults.body.toString('utf8'));
    const rings = await renderMediaFile(t.ctx, 'Ringlist.xml');
    assert.ok(rings);
    const names = textsOf(rings.body.toString('latin1'));
    assert.ok(names.includes('Ch&nbsp;'), `configured ring name: ${names.join(' | ')}`);
    assert.ok(names.some((n) => n.includes('R&#0;D')), `ring name from the file name: ${names.join(' | ')}`);
    const list = await renderMediaFile(t.ctx, 'Desktops/320x196x4/List.xml');
    assert.ok(list);
    const images = textsOf(list.body.toString('latin1'));
    // Picture files get safe TFTP names of their own; the list stays well-formed.
    assert.ok(images.some((n) => n.startsWith('TFTP:Desktops/320x196x4/Lake')), `background from the file name: ${images.join(' | ')}`);
  });
});
