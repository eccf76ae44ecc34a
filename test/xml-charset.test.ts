import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeBody, transliterate } from '../src/xml/index.js';

describe('transliterate', () => {
  it('keeps Latin-1 words as they are', () => {
    assert.equal(transliterate('Müller Größe Café Ærø naïve ½ £ ¥ «x»'), 'Müller Größe Café Ærø naïve ½ £ ¥ «x»');
  });

  it('folds whole words that contain letters outside Latin-1', () => {
    assert.equal(transliterate('Łódź'), 'Lodz');
    assert.equal(transliterate('Dvořák'), 'Dvorak');
    assert.equal(transliterate('Erdős Pál'), 'Erdos Pál');
    assert.equal(transliterate('Đorđe Čačak'), 'Dorde Cacak');
    assert.equal(transliterate('łódka ŁÓDŹ ő č'), 'lodka LODZ o c');
  });

  it('maps symbols and punctuation', () => {
    assert.equal(transliterate('€'), 'EUR');
    assert.equal(transliterate('10 € – 20 € — “quoted” ‘single’ „low“ …'), '10 EUR - 20 EUR - "quoted" \'single\' "low" ...');
    assert.equal(transliterate('ﬁ ™ ŒUVRE ẞ'), 'fi TM OEUVRE SS');
  });

  it('transliterates Cyrillic and Greek', () => {
    assert.equal(transliterate('Привет, Мир! Щука Юля'), 'Privet, Mir! Shchuka Yulya');
    assert.equal(transliterate('Ελληνικά Θεσσαλονίκη'), 'Ellinika Thessaloniki');
  });

  it("turns what it cannot map into '?' and drops invisible format characters", () => {
    assert.equal(transliterate('a😀b'), 'a?b');
    assert.equal(transliterate('漢字'), '??');
    assert.equal(transliterate('x\u200by\ufeffz\u200d'), 'xyz');
  });

  it('composes decomposed input first', () => {
    assert.equal(transliterate('Mu\u0308ller'), 'Müller');
  });

  it('always returns Latin-1 only', () => {
    const all = Array.from({ length: 0x3000 }, (_, i) => (i >= 0xd800 && i < 0xe000 ? '' : String.fromCodePoint(i))).join('');
    assert.doesNotMatch(transliterate(all), /[^\u0000-\u00ff]/);
  });
});

describe('encodeBody', () => {
  it('UTF-8 bytes', () => {
    assert.deepEqual([...encodeBody('ü€', 'utf-8')], [0xc3, 0xbc, 0xe2, 0x82, 0xac]);
  });

  it('Latin-1 bytes, transliterating the rest', () => {
    assert.deepEqual([...encodeBody('Müller €', 'iso-8859-1')], [...Buffer.from('M\xfcller EUR', 'latin1')]);
  });

  it('keeps markup well-formed when a replacement holds quotes', () => {
    const bytes = encodeBody('<a t="“x”">‹y›</a>', 'iso-8859-1');
    assert.equal(bytes.toString('latin1'), '<a t="&#34;x&#34;">&#60;y&#62;</a>');
  });
});
