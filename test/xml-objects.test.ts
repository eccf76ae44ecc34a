import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import {
  cipDataLength,
  encodeBody,
  LIMITS,
  serialize,
  type Charset,
  type MenuItem,
  type PhoneObject,
} from '../src/xml/index.js';
import { checkPhoneXml, schemaAvailable } from './helpers/phone-xml.js';
import { XmlLimitError } from '../src/errors.js';

const BASE = 'http://192.168.1.10:8080';
const hex = (w: number, h: number, depth: 1 | 2 = 2): string => 'A5'.repeat(cipDataLength(w, h, depth) / 2);
const items = (n: number): MenuItem[] => Array.from({ length: n }, (_, i) => ({ name: `Item ${i + 1}`, url: `${BASE}/item/${i + 1}` }));
const exit = { name: 'Exit', url: 'SoftKey:Exit', position: 3 };

/** One valid object of every kind. */
const SAMPLES: PhoneObject[] = [
  { kind: 'Menu', title: 'Services', prompt: 'Pick one', items: items(3), softKeys: [{ name: 'Select', url: 'SoftKey:Select', position: 1 }, exit] },
  { kind: 'Text', title: 'Note', text: 'Line one\r\nLine two\tTabbed', softKeys: [exit] },
  {
    kind: 'Input', title: 'Search', prompt: 'Enter a name', url: `${BASE}/directory/search?name=SEP001122334455`,
    items: [
      { displayName: 'Name', param: 'q', flags: 'A', defaultValue: 'Mül' },
      { displayName: 'PIN', param: 'pin', flags: 'NP' },
    ],
    softKeys: [{ name: 'Submit', url: 'SoftKey:Submit', position: 1 }, { name: '<<', url: 'SoftKey:<<', position: 2 }, { name: 'Cancel', url: 'SoftKey:Cancel', position: 3 }],
  },
  { kind: 'Directory', title: 'Phone book', entries: [{ name: 'Alice', telephone: '+49 30 1234' }, { name: 'Bob', telephone: '200' }], softKeys: [{ name: 'Dial', url: 'SoftKey:Dial', position: 1 }, { name: 'EditDial', url: 'SoftKey:EditDial', position: 2 }, exit] },
  { kind: 'Image', title: 'Clock', x: -1, y: -1, width: 133, height: 65, depth: 2, data: hex(133, 65), softKeys: [exit] },
  { kind: 'Image', x: 0, y: 0, width: 16, height: 8, depth: 1, data: hex(16, 8, 1) },
  { kind: 'ImageFile', title: 'Photo', x: 0, y: 0, url: `${BASE}/img/photo.png`, softKeys: [exit] },
  { kind: 'GraphicMenu', title: 'Pick', x: 0, y: 0, width: 20, height: 10, depth: 2, data: hex(20, 10), items: items(12) },
  {
    kind: 'GraphicFileMenu', title: 'Touch', x: 0, y: 0, url: `${BASE}/img/menu.png`,
    items: [{ name: 'Left', url: `${BASE}/l`, touchArea: { x1: 0, y1: 0, x2: 100, y2: 100 } }, { name: 'Right', url: `${BASE}/r`, touchArea: { x1: 101, y1: 0, x2: 298, y2: 168 } }],
    softKeys: [exit],
  },
  {
    kind: 'IconMenu', title: 'Icons', items: [{ name: 'One', url: `${BASE}/1`, iconIndex: 0 }, { name: 'Two', url: `${BASE}/2`, iconIndex: 1 }],
    icons: [{ index: 0, width: 16, height: 10, depth: 2, data: hex(16, 10) }, { index: 1, width: 5, height: 5, depth: 1, data: hex(5, 5, 1) }],
    softKeys: [exit],
  },
  { kind: 'IconFileMenu', title: 'PNG icons', items: [{ name: 'One', url: `${BASE}/1`, iconIndex: 3 }], icons: [{ index: 3, url: `${BASE}/icons/3.png` }], softKeys: [exit] },
  { kind: 'Status', text: 'On call', timer: 0, x: -1, y: -1, width: 106, height: 21, depth: 2, data: hex(106, 21) },
  { kind: 'StatusFile', text: 'Recording', timer: 5939, x: 0, y: 0, url: `${BASE}/status.png` },
  { kind: 'Execute', items: [{ url: 'Play:chime.raw', priority: 0 }, { url: `${BASE}/msg?id=1&name=SEP1`, priority: 1 }, { url: 'Init:AppStatus' }] },
  { kind: 'Error', number: 4 },
  { kind: 'Error', number: 1, message: 'Parse error' },
];

const CHARSETS: Charset[] = ['utf-8', 'iso-8859-1'];
const contentType = (charset: Charset): string => `text/xml; charset=${charset}`;

function check(obj: PhoneObject, charset: Charset = 'utf-8') {
  return checkPhoneXml(encodeBody(serialize(obj, charset), charset), contentType(charset));
}

function throwsLimit(obj: PhoneObject, pattern: RegExp): void {
  for (const charset of CHARSETS) assert.throws(() => serialize(obj, charset), (e: unknown) => e instanceof XmlLimitError && pattern.test(e.message));
}

describe('serialize: every object', () => {
  for (const obj of SAMPLES) {
    for (const charset of CHARSETS) {
      it(`${obj.kind} (${charset}) passes the phone checks and the schema`, () => {
        const xml = serialize(obj, charset);
        const label = charset === 'utf-8' ? 'UTF-8' : 'ISO-8859-1';
        assert.ok(xml.startsWith(`<?xml version="1.0" encoding="${label}"?><CiscoIPPhone${obj.kind}`), xml.slice(0, 80));
        const parsed = check(obj, charset);
        assert.equal(parsed.kind, obj.kind);
        // The schema has no IconFileMenu and no Error message text; everything else is validated
        // wherever the shared schema and xmllint exist.
        const covered = obj.kind !== 'IconFileMenu' && !(obj.kind === 'Error' && obj.message);
        assert.equal(parsed.schemaValidated, covered && schemaAvailable());
      });
    }
  }

  it('validates against the patched schema when it is available', (t) => {
    if (!schemaAvailable()) return t.skip('patched schema or xmllint not available');
    assert.equal(check(SAMPLES[0]!).schemaValidated, true);
  });
});

describe('serialize: children in schema order', () => {
  const order = (xml: string, names: string[]) => {
    const positions = names.map((n) => xml.indexOf(`<${n}>`));
    for (const p of positions) assert.ok(p >= 0, `${names} in ${xml}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, xml);
  };

  it('Input: Title, Prompt, URL, InputItem(DisplayName, QueryStringParam, InputFlags, DefaultValue), SoftKeyItem', () => {
    order(serialize(SAMPLES[2]!, 'utf-8'), ['Title', 'Prompt', 'URL', 'InputItem', 'DisplayName', 'QueryStringParam', 'InputFlags', 'DefaultValue', 'SoftKeyItem']);
  });
  it('Image: Title, LocationX, LocationY, Width, Height, Depth, Data, SoftKeyItem', () => {
    order(serialize(SAMPLES[4]!, 'utf-8'), ['Title', 'LocationX', 'LocationY', 'Width', 'Height', 'Depth', 'Data', 'SoftKeyItem']);
  });
  it('GraphicFileMenu puts URL before the location; ImageFile after it', () => {
    order(serialize(SAMPLES[8]!, 'utf-8'), ['Title', 'URL', 'LocationX', 'LocationY', 'MenuItem', 'SoftKeyItem']);
    order(serialize(SAMPLES[6]!, 'utf-8'), ['Title', 'LocationX', 'LocationY', 'URL', 'SoftKeyItem']);
  });
  it('IconMenu: MenuItem(IconIndex, Name, URL), then IconItem, then SoftKeyItem', () => {
    order(serialize(SAMPLES[9]!, 'utf-8'), ['MenuItem', 'IconIndex', 'Name', 'URL', 'IconItem', 'Index', 'SoftKeyItem']);
  });
  it('SoftKeyItem: Name, URL, URLDown, Position', () => {
    const xml = serialize({ kind: 'Text', text: 'x', softKeys: [{ name: 'Talk', url: 'Key:PTT', urlDown: 'Key:PTT', position: 1 }] }, 'utf-8');
    order(xml, ['Name', 'URL', 'URLDown', 'Position']);
  });
  it('Status: Text, Timer, LocationX, LocationY, Width, Height, Depth, Data', () => {
    order(serialize(SAMPLES[11]!, 'utf-8'), ['Text', 'Timer', 'LocationX', 'LocationY', 'Width', 'Height', 'Depth', 'Data']);
  });
});

describe('serialize: escaping', () => {
  const nasty = `Tom & Jerry <"QA">`;

  it('escapes all five characters in text and round-trips through a parser', () => {
    for (const charset of CHARSETS) {
      const xml = serialize({ kind: 'Text', title: nasty, text: `O'Brien ${nasty}` }, charset);
      assert.ok(xml.includes('<Title>Tom &amp; Jerry &lt;&quot;QA&quot;&gt;</Title>'), xml);
      assert.ok(xml.includes('O&apos;Brien'), xml);
      const parsed = check({ kind: 'Text', title: nasty, text: `O'Brien ${nasty}` }, charset);
      assert.equal(parsed.title, nasty);
      assert.equal(parsed.text, `O'Brien ${nasty}`);
    }
  });

  it('escapes URLs in elements and attributes', () => {
    const url = `${BASE}/dir?name=SEP1&q=O'Brien`;
    const menu = serialize({ kind: 'Menu', items: [{ name: nasty, url }] }, 'utf-8');
    assert.ok(menu.includes(`<URL>${BASE}/dir?name=SEP1&amp;q=O&apos;Brien</URL>`), menu);
    assert.equal(check({ kind: 'Menu', items: [{ name: nasty, url }] }).items[0]?.url, url);
    const exec = serialize({ kind: 'Execute', items: [{ url, priority: 1 }] }, 'utf-8');
    assert.ok(exec.includes(`URL="${BASE}/dir?name=SEP1&amp;q=O&apos;Brien"`), exec);
    assert.equal(check({ kind: 'Execute', items: [{ url }] }).executeItems[0]?.url, url);
  });

  it('leaves no raw quote anywhere outside attribute delimiters', () => {
    const xml = serialize({ kind: 'Directory', title: `"'`, entries: [{ name: `a"b'c`, telephone: '1' }], softKeys: [{ name: `"`, url: 'SoftKey:Exit', position: 1 }] }, 'utf-8');
    const body = xml.replace(/^<\?xml[^>]*\?>/, '');
    assert.doesNotMatch(body, /['"]/);
  });

  it('strips control characters except CR, LF and TAB', () => {
    const parsed = check({ kind: 'Text', title: 'a\u0000b\u0007c\u001bd', text: 'x\u0001y\tz\r\nw\u007f\u0085' });
    assert.equal(parsed.title, 'abcd');
    assert.equal(parsed.text, 'xy\tz\nw');
  });

  it('turns line breaks in one-line fields into spaces', () => {
    assert.equal(check({ kind: 'Menu', title: 'two\nlines', items: [] }).title, 'two lines');
  });

  it('keeps up to two line breaks in a MenuItem Name', () => {
    const xml = serialize({ kind: 'Menu', items: [{ name: 'one\ntwo\r\nthree\nfour', url: `${BASE}/x` }] }, 'utf-8');
    assert.ok(xml.includes('<Name>one\rtwo\rthree four</Name>'), JSON.stringify(xml));
  });

  it('drops lone surrogates that XML cannot carry', () => {
    assert.equal(check({ kind: 'Text', text: 'a\ud800b' }).text, 'ab');
  });
});

describe('serialize: lengths are shortened with an ellipsis', () => {
  const long = 'x'.repeat(100);

  it('title and prompt to 32 characters', () => {
    const utf = check({ kind: 'Menu', title: long, prompt: long, items: [] });
    assert.equal(utf.title, `${'x'.repeat(31)}…`);
    assert.equal([...(utf.prompt ?? '')].length, 32);
    const latin = check({ kind: 'Menu', title: long, items: [] }, 'iso-8859-1');
    assert.equal(latin.title, `${'x'.repeat(29)}...`);
  });

  it('counts characters after transliteration for ISO-8859-1', () => {
    // 31 characters in UTF-8; '€' becomes 'EUR' and pushes it over 32.
    const title = `${'a'.repeat(29)} €`;
    assert.equal(check({ kind: 'Menu', title, items: [] }).title, title);
    const latin = check({ kind: 'Menu', title, items: [] }, 'iso-8859-1');
    assert.equal(latin.title, `${'a'.repeat(29)}...`);
  });

  it('never splits a surrogate pair', () => {
    const title = '😀'.repeat(40);
    assert.equal(check({ kind: 'Menu', title, items: [] }).title, `${'😀'.repeat(31)}…`);
  });

  it('menu item names to 64, text to 4000, softkey and directory names to 32', () => {
    const menu = check({ kind: 'Menu', items: [{ name: long, url: `${BASE}/x` }], softKeys: [{ name: long, url: 'SoftKey:Exit', position: 1 }] });
    assert.equal([...menu.items[0]!.name].length, LIMITS.menuItemName);
    assert.equal([...menu.softKeys[0]!.name].length, LIMITS.softKeyName);
    const text = check({ kind: 'Text', text: 'y'.repeat(5000) });
    assert.equal(text.text?.length, LIMITS.text);
    assert.ok(text.text?.endsWith('…'));
    const dir = check({ kind: 'Directory', entries: [{ name: long, telephone: '1' }] });
    assert.equal([...dir.entries[0]!.name].length, LIMITS.directoryName);
    const status = check({ ...(SAMPLES[11] as Extract<PhoneObject, { kind: 'Status' }>), text: long });
    assert.equal([...(status.text ?? '')].length, LIMITS.statusText);
  });

  it('input default values are cut without an ellipsis', () => {
    const input = check({ kind: 'Input', url: `${BASE}/f`, items: [{ displayName: long, param: 'q', flags: 'A', defaultValue: long }] });
    assert.equal(input.inputItems[0]?.defaultValue, 'x'.repeat(32));
    assert.equal([...input.inputItems[0]!.displayName].length, 32);
  });
});

describe('serialize: counts over the limit throw (callers page)', () => {
  it('101 menu items', () => {
    assert.doesNotThrow(() => serialize({ kind: 'Menu', items: items(100) }, 'utf-8'));
    throwsLimit({ kind: 'Menu', items: items(101) }, /Menu\.items: 101 given, at most 100/);
  });
  it('33 directory entries', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `P${i}`, telephone: String(100 + i) }));
    assert.doesNotThrow(() => check({ kind: 'Directory', entries: entries(32) }));
    throwsLimit({ kind: 'Directory', entries: entries(33) }, /Directory\.entries: 33/);
  });
  it('6 input items, 33 icon menu items, 13 graphic menu items, 11 icons, 9 softkeys, 4 execute items', () => {
    const inputItems = Array.from({ length: 6 }, (_, i) => ({ displayName: `F${i}`, param: `p${i}`, flags: 'A' as const }));
    throwsLimit({ kind: 'Input', url: `${BASE}/f`, items: inputItems }, /Input\.items: 6/);
    throwsLimit({ kind: 'IconMenu', items: items(33), icons: [] }, /IconMenu\.items: 33/);
    throwsLimit({ kind: 'IconFileMenu', items: items(33), icons: [] }, /IconFileMenu\.items: 33/);
    throwsLimit({ kind: 'GraphicMenu', x: 0, y: 0, width: 4, height: 1, depth: 2, data: hex(4, 1), items: items(13) }, /GraphicMenu\.items: 13/);
    const touch = items(13).map((it) => ({ ...it, touchArea: { x1: 0, y1: 0, x2: 1, y2: 1 } }));
    throwsLimit({ kind: 'GraphicFileMenu', x: 0, y: 0, url: `${BASE}/a.png`, items: touch }, /GraphicFileMenu\.items: 13/);
    const icons = Array.from({ length: 11 }, (_, i) => ({ index: i % 10, url: `${BASE}/${i}.png` }));
    throwsLimit({ kind: 'IconFileMenu', items: [], icons }, /icons: 11/);
    const keys = Array.from({ length: 9 }, (_, i) => ({ name: `K${i}`, url: 'SoftKey:Exit', position: i + 1 }));
    throwsLimit({ kind: 'Menu', items: [], softKeys: keys }, /softKeys: 9/);
    throwsLimit({ kind: 'Execute', items: [{ url: 'Init:AppStatus' }, { url: 'Play:a.raw' }, { url: 'Key:Services' }, { url: 'Key:Settings' }] }, /Execute\.items: 4/);
    throwsLimit({ kind: 'Execute', items: [] }, /at least one/);
  });
});

describe('serialize: values that cannot be fixed silently throw', () => {
  it('URLs: relative, unknown scheme, too long, with spaces or non-ASCII', () => {
    throwsLimit({ kind: 'Menu', items: [{ name: 'a', url: '/relative' }] }, /not an absolute/);
    throwsLimit({ kind: 'Menu', items: [{ name: 'a', url: 'ftp://x/y' }] }, /not an absolute/);
    throwsLimit({ kind: 'Menu', items: [{ name: 'a', url: 'softkey:Exit' }] }, /not an absolute/);
    throwsLimit({ kind: 'Menu', items: [{ name: 'a', url: '' }] }, /empty URL/);
    throwsLimit({ kind: 'Menu', items: [{ name: 'a', url: `${BASE}/${'x'.repeat(256)}` }] }, /longer than 255/);
    throwsLimit({ kind: 'Menu', items: [{ name: 'a', url: `${BASE}/a b` }] }, /not an absolute/);
    throwsLimit({ kind: 'Menu', items: [{ name: 'a', url: `${BASE}/Müller` }] }, /printable ASCII/);
    const url255 = `${BASE}/${'x'.repeat(255 - BASE.length - 1)}`;
    assert.equal(url255.length, 255);
    assert.doesNotThrow(() => check({ kind: 'Menu', items: [{ name: 'a', url: url255 }] }));
  });

  it('accepts every internal URI scheme', () => {
    const uris = ['SoftKey:Exit', 'Dial:1234', 'EditDial:1234', 'Key:Services', 'Init:AppStatus', 'Play:x.raw', 'QueryStringParam:a=1',
      'Notify:http:host:80:path', 'RTPRx:192.168.1.2:20480', 'RTPTx:Stop', 'RTPMRx:239.1.1.1:20480', 'RTPMTx:239.1.1.1:20480',
      'Display:Off:10', 'App:Close:0:60:Vendor/App', 'Device:Unlock', 'SendDigits:123:1::App'];
    for (const url of uris) assert.doesNotThrow(() => check({ kind: 'Menu', items: [{ name: 'a', url }] }), url);
  });

  it('softkeys: Position 1..8 or -1, not twice; URLDown internal only', () => {
    throwsLimit({ kind: 'Menu', items: [], softKeys: [{ name: 'a', url: 'SoftKey:Exit', position: 0 }] }, /position must be an integer/);
    throwsLimit({ kind: 'Menu', items: [], softKeys: [{ name: 'a', url: 'SoftKey:Exit', position: 9 }] }, /position/);
    throwsLimit({ kind: 'Menu', items: [], softKeys: [{ name: 'a', url: 'SoftKey:Exit', position: 1.5 }] }, /position/);
    throwsLimit({ kind: 'Menu', items: [], softKeys: [exit, { ...exit, name: 'b' }] }, /used twice/);
    throwsLimit({ kind: 'Menu', items: [], softKeys: [{ name: 'a', url: 'Key:PTT', urlDown: `${BASE}/x`, position: 1 }] }, /internal URI/);
    const apps = check({ kind: 'Menu', items: [], softKeys: [{ name: 'Apps', url: `${BASE}/apps`, position: -1 }] });
    assert.equal(apps.softKeys[0]?.position, -1);
  });

  it('Input: http URL, plain unique parameter names, valid flags', () => {
    throwsLimit({ kind: 'Input', url: 'SoftKey:Submit', items: [] }, /must be an http/);
    throwsLimit({ kind: 'Input', url: `${BASE}/f`, items: [{ displayName: 'a', param: '', flags: 'A' }] }, /param/);
    throwsLimit({ kind: 'Input', url: `${BASE}/f`, items: [{ displayName: 'a', param: 'a b', flags: 'A' }] }, /param/);
    throwsLimit({ kind: 'Input', url: `${BASE}/f`, items: [{ displayName: 'a', param: 'p'.repeat(33), flags: 'A' }] }, /longer than 32/);
    throwsLimit({ kind: 'Input', url: `${BASE}/f`, items: [{ displayName: 'a', param: 'q', flags: 'A' }, { displayName: 'b', param: 'q', flags: 'N' }] }, /used twice/);
    throwsLimit({ kind: 'Input', url: `${BASE}/f`, items: [{ displayName: 'a', param: 'q', flags: 'X' as 'A' }] }, /flags/);
    throwsLimit({ kind: 'Input', url: `${BASE}/f`, items: [{ displayName: 'a', param: 'q', flags: 'PA' as 'A' }] }, /flags/);
  });

  it('Directory: a telephone number is never shortened', () => {
    throwsLimit({ kind: 'Directory', entries: [{ name: 'a', telephone: '1'.repeat(33) }] }, /telephone longer than 32/);
  });

  it('CIP images: data length and hex digits must match the size', () => {
    throwsLimit({ kind: 'Image', x: 0, y: 0, width: 4, height: 4, depth: 2, data: 'AABBCC' }, /needs 8/);
    throwsLimit({ kind: 'Image', x: 0, y: 0, width: 4, height: 4, depth: 2, data: 'AABBCCGG' }, /hex/);
    throwsLimit({ kind: 'Image', x: 0, y: 0, width: 4, height: 4, depth: 3 as 2, data: 'AABBCCDD' }, /depth/);
    assert.equal(cipDataLength(133, 65, 2), 4324);
    assert.equal(cipDataLength(5, 5, 2), 14);
    assert.equal(cipDataLength(5, 5, 1), 8);
    throwsLimit({ kind: 'IconMenu', items: [], icons: [{ index: 0, width: 16, height: 10, depth: 2, data: 'AA' }] }, /needs 80/);
  });

  it('numeric ranges', () => {
    const img = { x: 0, y: 0, width: 4, height: 1, depth: 2 as const, data: hex(4, 1) };
    throwsLimit({ kind: 'Image', ...img, x: 134 }, /Image\.x/);
    throwsLimit({ kind: 'Image', ...img, y: -2 }, /Image\.y/);
    throwsLimit({ kind: 'Image', ...img, width: 134, data: hex(134, 1) }, /Image\.width/);
    throwsLimit({ kind: 'Image', ...img, height: 66, data: hex(4, 66) }, /Image\.height/);
    throwsLimit({ kind: 'ImageFile', x: 321, y: 0, url: `${BASE}/a.png` }, /ImageFile\.x/);
    assert.doesNotThrow(() => check({ kind: 'ImageFile', x: 320, y: 320, url: `${BASE}/a.png` }));
    throwsLimit({ kind: 'ImageFile', x: 0, y: 0, url: 'Play:x.raw' }, /must be an http/);
    throwsLimit({ kind: 'Status', ...img, x: 107 }, /Status\.x/);
    throwsLimit({ kind: 'Status', ...img, timer: 5940 }, /timer/);
    throwsLimit({ kind: 'StatusFile', x: 0, y: 22, url: `${BASE}/a.png` }, /StatusFile\.y/);
    throwsLimit({ kind: 'GraphicFileMenu', x: 0, y: 0, url: `${BASE}/a.png`, items: [{ name: 'a', url: `${BASE}/a`, touchArea: { x1: 10, y1: 0, x2: 5, y2: 5 } }] }, /top-left/);
    throwsLimit({ kind: 'GraphicFileMenu', x: 0, y: 0, url: `${BASE}/a.png`, items: [{ name: 'a', url: `${BASE}/a`, touchArea: { x1: 0, y1: 0, x2: 321, y2: 5 } }] }, /x2/);
    throwsLimit({ kind: 'Menu', items: [{ name: 'a', url: `${BASE}/a`, iconIndex: 10 }] }, /iconIndex/);
    throwsLimit({ kind: 'IconMenu', items: [{ name: 'a', url: `${BASE}/a`, iconIndex: 2 }], icons: [] }, /has no IconItem/);
    throwsLimit({ kind: 'IconFileMenu', items: [], icons: [{ index: 1, url: `${BASE}/1.png` }, { index: 1, url: `${BASE}/2.png` }] }, /used twice/);
    throwsLimit({ kind: 'IconMenu', items: [], icons: [{ index: 0, width: 17, height: 1, depth: 2, data: hex(17, 1) }] }, /width/);
    throwsLimit({ kind: 'Error', number: 1.5 }, /Error\.number/);
  });

  it('Execute: at most one http URL, no SoftKey: or Notify:, priority 0..2', () => {
    throwsLimit({ kind: 'Execute', items: [{ url: `${BASE}/a` }, { url: `${BASE}/b` }] }, /at most 1 http/);
    throwsLimit({ kind: 'Execute', items: [{ url: 'SoftKey:Exit' }] }, /not allowed in Execute/);
    throwsLimit({ kind: 'Execute', items: [{ url: 'Notify:http:h:80:p' }] }, /not allowed in Execute/);
    throwsLimit({ kind: 'Execute', items: [{ url: `${BASE}/a`, priority: 3 as 2 }] }, /priority/);
  });
});

describe('serialize: encoding declaration and bytes', () => {
  it('declares the charset it was given and matches Content-Type', () => {
    assert.match(serialize(SAMPLES[0]!, 'utf-8'), /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    assert.match(serialize(SAMPLES[0]!, 'iso-8859-1'), /^<\?xml version="1\.0" encoding="ISO-8859-1"\?>/);
    assert.throws(() => checkPhoneXml(encodeBody(serialize(SAMPLES[0]!, 'utf-8'), 'utf-8'), 'text/xml; charset=iso-8859-1'), /declaration encoding/);
  });

  it('writes Müller as Latin-1 byte 0xFC and as UTF-8 C3 BC', () => {
    const obj: PhoneObject = { kind: 'Directory', entries: [{ name: 'Müller', telephone: '100' }] };
    const latin = encodeBody(serialize(obj, 'iso-8859-1'), 'iso-8859-1');
    assert.ok(latin.includes(Buffer.from([0x4d, 0xfc, 0x6c])), latin.toString('hex'));
    const utf = encodeBody(serialize(obj, 'utf-8'), 'utf-8');
    assert.ok(utf.includes(Buffer.from([0x4d, 0xc3, 0xbc, 0x6c])));
    assert.equal(checkPhoneXml(latin, 'text/xml; charset=ISO-8859-1').entries[0]?.name, 'Müller');
  });

  it('transliterates every string for ISO-8859-1 and keeps UTF-8 as written', () => {
    const obj: PhoneObject = { kind: 'Menu', title: 'Łódź – €5', items: [{ name: 'Привет', url: `${BASE}/x` }] };
    const latin = check(obj, 'iso-8859-1');
    assert.equal(latin.title, 'Lodz - EUR5');
    assert.equal(latin.items[0]?.name, 'Privet');
    assert.equal(check(obj).title, 'Łódź – €5');
  });

  it('writes compact output without indentation', () => {
    assert.doesNotMatch(serialize(SAMPLES[0]!, 'utf-8'), />\s+</);
  });
});

describe('serialize: parsed output matches the input', () => {
  it('Menu, Directory, Input and softkeys come back as given', () => {
    const menu = check(SAMPLES[0]!);
    assert.deepEqual(menu.items.map((i) => i.name), ['Item 1', 'Item 2', 'Item 3']);
    assert.deepEqual(menu.softKeys.map((k) => [k.name, k.url, k.position]), [['Select', 'SoftKey:Select', 1], ['Exit', 'SoftKey:Exit', 3]]);
    const input = check(SAMPLES[2]!);
    assert.deepEqual(input.inputItems, [{ displayName: 'Name', param: 'q', flags: 'A', defaultValue: 'Mül' }, { displayName: 'PIN', param: 'pin', flags: 'NP' }]);
    assert.equal(input.url, `${BASE}/directory/search?name=SEP001122334455`);
    const error = check(SAMPLES[15]!);
    assert.deepEqual(error.error, { number: 1, message: 'Parse error' });
    const raw = new XMLParser({ ignoreAttributes: false }).parse(serialize(SAMPLES[14]!, 'utf-8')) as Record<string, Record<string, string>>;
    assert.equal(raw.CiscoIPPhoneError?.['@_Number'], '4');
  });
});

describe('serialize: malformed input from untyped sources', () => {
  it('a missing name or URL throws XmlLimitError, a number is written as text', () => {
    throwsLimit({ kind: 'Menu', items: [{ name: undefined as unknown as string, url: `${BASE}/a` }] }, /missing/);
    throwsLimit({ kind: 'Menu', items: [{ name: 'a', url: undefined as unknown as string }] }, /URL missing/);
    assert.equal(check({ kind: 'Menu', items: [{ name: 42 as unknown as string, url: `${BASE}/a` }] }).items[0]?.name, '42');
  });
});
