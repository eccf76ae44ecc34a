import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildUrl, encodeBody, serialize } from '../src/xml/index.js';
import { checkPhoneXml, injectPath, submitInput } from './helpers/phone-xml.js';

const CT = 'text/xml; charset=utf-8';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const menu = (inner: string) => `${DECL}<CiscoIPPhoneMenu>${inner}</CiscoIPPhoneMenu>`;
const item = (name: string, url: string) => `<MenuItem><Name>${name}</Name><URL>${url}</URL></MenuItem>`;

describe('checkPhoneXml rejects what a phone would choke on', () => {
  const good = menu(item('A', 'http://h/a'));

  it('accepts a good body as string or bytes', () => {
    assert.equal(checkPhoneXml(good, CT).items[0]?.url, 'http://h/a');
    assert.equal(checkPhoneXml(Buffer.from(good), 'text/xml;charset="UTF-8"').kind, 'Menu');
  });

  it('Content-Type must be text/xml with a charset', () => {
    assert.throws(() => checkPhoneXml(good, 'text/xml'), /charset/);
    assert.throws(() => checkPhoneXml(good, 'application/xml; charset=utf-8'), /text\/xml/);
    assert.throws(() => checkPhoneXml(good, 'text/xml; charset=shift_jis'), /utf-8 or iso-8859-1/);
  });

  it('the declaration must name the same encoding', () => {
    assert.throws(() => checkPhoneXml(good.replace(DECL, ''), CT), /XML declaration/);
    assert.throws(() => checkPhoneXml(good.replace('UTF-8', 'ISO-8859-1'), CT), /declaration encoding/);
  });

  it('bytes must decode in the declared charset', () => {
    assert.throws(() => checkPhoneXml(Buffer.concat([Buffer.from(menu(item('M', 'http://h/a')).slice(0, 60)), Buffer.from([0xfc]), Buffer.from('</CiscoIPPhoneMenu>')]), CT));
  });

  it('no raw & or unknown entities, well-formed, one known root', () => {
    assert.throws(() => checkPhoneXml(menu(item('A', 'http://h/a?x=1&y=2')), CT), /raw '&'/);
    assert.throws(() => checkPhoneXml(menu(item('A&nbsp;', 'http://h/a')), CT), /raw '&'/);
    assert.throws(() => checkPhoneXml(menu('<MenuItem><Name>A</Name>'), CT), /well-formed/);
    assert.throws(() => checkPhoneXml(`${DECL}<CiscoIPPhoneFoo/>`, CT), /unknown root/);
    assert.throws(() => checkPhoneXml(`${DECL}<CiscoIPPhoneText/><CiscoIPPhoneText/>`, CT), /one root/);
  });

  it('no elements outside the object definition', () => {
    assert.throws(() => checkPhoneXml(menu(`<Title>x</Title><Foo/>`), CT), /must not contain <Foo>/);
  });

  it('counts and lengths', () => {
    assert.throws(() => checkPhoneXml(menu(`<Title>${'x'.repeat(33)}</Title>`), CT), /Title has 33 characters/);
    assert.throws(() => checkPhoneXml(menu(item('A', 'http://h/a').repeat(101)), CT), /101 MenuItems/);
    const entries = '<DirectoryEntry><Name>a</Name><Telephone>1</Telephone></DirectoryEntry>'.repeat(33);
    assert.throws(() => checkPhoneXml(`${DECL}<CiscoIPPhoneDirectory>${entries}</CiscoIPPhoneDirectory>`, CT), /33 DirectoryEntries/);
    // Characters, not bytes: 32 two-byte characters are fine.
    assert.equal(checkPhoneXml(menu(`<Title>${'ü'.repeat(32)}</Title>`), CT).title, 'ü'.repeat(32));
  });

  it('URLs must be absolute or internal URIs', () => {
    assert.throws(() => checkPhoneXml(menu(item('A', '/relative')), CT), /not an absolute/);
    assert.throws(() => checkPhoneXml(menu(item('A', `http://h/${'x'.repeat(250)}`)), CT), /longer than 255/);
    assert.throws(() => checkPhoneXml(menu('<MenuItem><Name>A</Name></MenuItem>'), CT), /URL missing/);
  });

  it('SoftKeyItem needs Position', () => {
    assert.throws(() => checkPhoneXml(menu('<SoftKeyItem><Name>Exit</Name><URL>SoftKey:Exit</URL></SoftKeyItem>'), CT), /no Position/);
  });

  it('Input needs URL and QueryStringParam', () => {
    const input = (inner: string) => `${DECL}<CiscoIPPhoneInput>${inner}</CiscoIPPhoneInput>`;
    assert.throws(() => checkPhoneXml(input('<InputItem><DisplayName>a</DisplayName><QueryStringParam>q</QueryStringParam><InputFlags>A</InputFlags></InputItem>'), CT), /Input\/URL missing/);
    assert.throws(() => checkPhoneXml(input('<URL>http://h/f</URL><InputItem><DisplayName>a</DisplayName><InputFlags>A</InputFlags></InputItem>'), CT), /QueryStringParam/);
  });

  it('element order is checked everywhere, the schema not needed', () => {
    assert.throws(() => checkPhoneXml(menu(`${item('A', 'http://h/a')}<Title>late</Title>`), CT), /breaks the schema order/);
    assert.throws(() => checkPhoneXml(menu('<MenuItem><URL>http://h/a</URL><Name>A</Name></MenuItem>'), CT), /MenuItem: <Name> after <URL>/);
  });
});

describe('following a page like a phone', () => {
  const base = 'http://127.0.0.1:8080/cisco';

  it('injectPath gives path and query of a URL', () => {
    assert.equal(injectPath(buildUrl(base, '/dir', { q: 'a b', page: 2 })), '/cisco/dir?q=a%20b&page=2');
  });

  it('submitInput builds the GET a phone sends for a form', () => {
    const form = serialize({
      kind: 'Input', url: buildUrl(base, '/search', { name: 'SEP1' }),
      items: [{ displayName: 'Last name', param: 'last', flags: 'A' }, { displayName: 'First', param: 'first', flags: 'A', defaultValue: 'Jo' }],
    }, 'utf-8');
    const page = checkPhoneXml(encodeBody(form, 'utf-8'), CT);
    assert.equal(submitInput(page, { last: 'Müller' }), `${base}/search?name=SEP1&last=M%C3%BCller&first=Jo`);
  });
});
