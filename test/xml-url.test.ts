import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildUrl, describeUrl, urlKind, urlProblem } from '../src/xml/index.js';

describe('buildUrl', () => {
  it('joins base and path with exactly one slash', () => {
    assert.equal(buildUrl('http://192.168.1.10:8080', '/services'), 'http://192.168.1.10:8080/services');
    assert.equal(buildUrl('http://192.168.1.10:8080/', 'services'), 'http://192.168.1.10:8080/services');
    assert.equal(buildUrl('http://192.168.1.10:8080//', '//services'), 'http://192.168.1.10:8080/services');
  });

  it('keeps a path prefix of the base', () => {
    assert.equal(buildUrl('http://host:8080/cisco', '/menu'), 'http://host:8080/cisco/menu');
    assert.equal(buildUrl('https://host/cisco/', 'menu'), 'https://host/cisco/menu');
  });

  it('percent-encodes query values and skips undefined ones', () => {
    const url = buildUrl('http://h:8080', '/dir', { name: 'SEP001122334455', q: "O'Brien & Söhne", page: 2, none: undefined });
    assert.equal(url, "http://h:8080/dir?name=SEP001122334455&q=O%27Brien%20%26%20S%C3%B6hne&page=2");
    assert.equal(new URL(url).searchParams.get('q'), "O'Brien & Söhne");
  });

  it('appends to a query string the path already has', () => {
    assert.equal(buildUrl('http://h', '/a?x=1', { y: 2 }), 'http://h/a?x=1&y=2');
  });

  it('encodes characters a path cannot carry but keeps existing escapes', () => {
    assert.equal(buildUrl('http://h', '/a b/ü/%41'), 'http://h/a%20b/%C3%BC/%41');
  });

  it('rejects a base that is not absolute http(s)', () => {
    assert.throws(() => buildUrl('192.168.1.10', '/x'));
    assert.throws(() => buildUrl('ftp://h', '/x'), TypeError);
  });

  it('gives URLs a phone object accepts', () => {
    assert.equal(urlProblem(buildUrl('http://[::1]:8080', '/x', { a: 'b c' })), undefined);
  });
});

describe('urlKind / urlProblem', () => {
  it('classifies http URLs and internal URIs', () => {
    assert.equal(urlKind('http://h/x'), 'http');
    assert.equal(urlKind('HTTPS://h'), 'http');
    assert.equal(urlKind('Dial:123'), 'Dial');
    assert.equal(urlKind('RTPMRx:239.0.0.1:20480'), 'RTPMRx');
    assert.equal(urlKind('dial:123'), undefined);
    assert.equal(urlKind('javascript:alert(1)'), undefined);
    assert.equal(urlKind('http:/x'), undefined);
  });

  it('reports length, characters and scheme problems', () => {
    assert.match(urlProblem(`http://h/${'a'.repeat(250)}`) ?? '', /longer than 255/);
    assert.match(urlProblem('http://h/\u0000') ?? '', /printable ASCII/);
    assert.match(urlProblem('') ?? '', /empty/);
    assert.equal(urlProblem('SendDigits:123:1::App'), undefined);
  });
});

describe('describeUrl', () => {
  it('keeps query strings and URI arguments out of error messages', () => {
    assert.equal(describeUrl('http://h/x?token=secret'), '"http://h/x?…"');
    assert.equal(describeUrl('Notify:http:h:80:p:c2VjcmV0'), '"Notify:…"');
    assert.equal(describeUrl('http://user:pw@h/x'), '"http://h/x"');
    assert.doesNotMatch(urlProblem('relative?token=secret') ?? '', /secret/);
  });
});
