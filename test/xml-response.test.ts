import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePhoneReply } from '../src/xml/index.js';

describe('parsePhoneReply', () => {
  it('reads a well-formed CiscoIPPhoneResponse', () => {
    const body = '<?xml version="1.0" encoding="utf-8"?>\n<CiscoIPPhoneResponse>\n  <ResponseItem Status="0" Data="Success" URL="Play:chime.raw"/>\n  <ResponseItem URL="http://h/x?a=1&amp;b=2" Data="URI not found" Status="6" />\n</CiscoIPPhoneResponse>';
    assert.deepEqual(parsePhoneReply(body), {
      kind: 'Response',
      items: [
        { status: 0, data: 'Success', url: 'Play:chime.raw' },
        { status: 6, data: 'URI not found', url: 'http://h/x?a=1&b=2' },
      ],
    });
  });

  it('tolerates duplicated declarations, raw & and encoding=""', () => {
    const body = '<?xml version="1.0" encoding=""?><?xml version="1.0" encoding=""?>\r\n<CiscoIPPhoneResponse><ResponseItem Status="0" Data="A & B" URL="http://h/x?a=1&b=2"></ResponseItem></CiscoIPPhoneResponse>';
    assert.deepEqual(parsePhoneReply(body), { kind: 'Response', items: [{ status: 0, data: 'A & B', url: 'http://h/x?a=1&b=2' }] });
  });

  it('tolerates single quotes, unquoted values, odd case and > inside values', () => {
    const body = "<CiscoIPPhoneResponse><responseitem status='1' data=\"a > b\" url=Dial:123 /></CiscoIPPhoneResponse>";
    assert.deepEqual(parsePhoneReply(body), { kind: 'Response', items: [{ status: 1, data: 'a > b', url: 'Dial:123' }] });
  });

  it('marks an unreadable Status as -1 and missing attributes as empty', () => {
    assert.deepEqual(parsePhoneReply('<CiscoIPPhoneResponse><ResponseItem Status="x"/></CiscoIPPhoneResponse>'), {
      kind: 'Response', items: [{ status: -1, data: '', url: '' }],
    });
  });

  it('a Response without items is an empty Response', () => {
    assert.deepEqual(parsePhoneReply('<CiscoIPPhoneResponse/>'), { kind: 'Response', items: [] });
  });

  it('reads CiscoIPPhoneError with and without a message', () => {
    assert.deepEqual(parsePhoneReply('<?xml version="1.0"?><CiscoIPPhoneError Number="4"/>'), { kind: 'Error', number: 4, message: '' });
    assert.deepEqual(parsePhoneReply('<CiscoIPPhoneError Number="6">Expect &amp; 100-continue</CiscoIPPhoneError>'), { kind: 'Error', number: 6, message: 'Expect & 100-continue' });
    assert.deepEqual(parsePhoneReply('<?xml version="1.0" encoding=""?><CiscoIPPhoneError Number = \'1\' >Bad & broken'), { kind: 'Error', number: 1, message: 'Bad & broken' });
  });

  it('anything else is Unknown with the body kept', () => {
    for (const body of ['', 'AUTHORIZED', '<html><body>401 Unauthorized</body></html>', '<CiscoIPPhoneText><Text>x</Text></CiscoIPPhoneText>']) {
      assert.deepEqual(parsePhoneReply(body), { kind: 'Unknown', body });
    }
  });
});
