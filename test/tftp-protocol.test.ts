/**
 * Pure parts of the TFTP server: packets, option negotiation, names,
 * netascii, allow-list, progress throttling.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ackBlock,
  bindErrorMessage,
  createAllowList,
  decodePacket,
  encodeAck,
  encodeData,
  encodeError,
  encodeOack,
  encodeRequest,
  macFromName,
  negotiateOptions,
  normaliseAddress,
  normaliseRequestName,
  bufferFile,
  encodeNetascii,
  netasciiFile,
  MAX_TIMEOUT_SECONDS,
} from '../src/tftp/index.js';
import { createProgressGate } from '../src/tftp/progress.js';

describe('packets', () => {
  it('round-trips every packet type', () => {
    const rrq = decodePacket(encodeRequest('RRQ', 'SEP001122334455.cnf.xml', 'OCTET', [['BLKSIZE', '1428'], ['tsize', '0']]));
    assert.deepEqual(rrq, {
      op: 'RRQ',
      filename: 'SEP001122334455.cnf.xml',
      mode: 'octet',
      options: new Map([['blksize', '1428'], ['tsize', '0']]),
    });
    assert.deepEqual(decodePacket(encodeData(65536 + 3, Buffer.from('ab'))), { op: 'DATA', block: 3, data: Buffer.from('ab') });
    assert.deepEqual(decodePacket(encodeAck(65535)), { op: 'ACK', block: 65535 });
    assert.deepEqual(decodePacket(encodeError(1, 'File not found')), { op: 'ERROR', code: 1, message: 'File not found' });
    assert.deepEqual(decodePacket(encodeOack([['blksize', '512']])), { op: 'OACK', options: new Map([['blksize', '512']]) });
    assert.equal(ackBlock(encodeAck(7)), 7);
    assert.equal(ackBlock(encodeData(7, Buffer.alloc(0))), null);
  });

  it('keeps the first of repeated options', () => {
    const packet = decodePacket(encodeRequest('RRQ', 'a', 'octet', [['blksize', '1024'], ['BlkSize', '8']]));
    assert.equal(packet.op === 'RRQ' && packet.options.get('blksize'), '1024');
  });

  it('rejects malformed input without throwing', () => {
    const bad = [
      Buffer.alloc(0),
      Buffer.from([0]),
      Buffer.from([0, 1, 0x61]), // no NUL
      Buffer.from([0, 1, 0x61, 0]), // no mode
      encodeRequest('RRQ', 'a'.repeat(600), 'octet'), // over 512 bytes
      Buffer.concat([encodeRequest('RRQ', 'a', 'octet'), Buffer.from('blksize\0')]), // option without value
      Buffer.from([0, 9, 1, 2]),
      Buffer.from([0, 4, 1]),
    ];
    for (const buf of bad) assert.equal(decodePacket(buf).op, 'INVALID');
  });
});

describe('option negotiation', () => {
  const limits = { maxBlockSize: 1468, maxWindowSize: 16 };

  it('accepts nothing when nothing is asked', () => {
    assert.deepEqual(negotiateOptions(new Map(), 100, limits), { blksize: 512, windowsize: 1, timeoutMs: null, accepted: [] });
  });

  it('caps blksize and windowsize, answers tsize and echoes timeout', () => {
    const asked = new Map([['windowsize', '100'], ['blksize', '65464'], ['tsize', '0'], ['timeout', '5'], ['rollover', '1']]);
    assert.deepEqual(negotiateOptions(asked, 4321, limits), {
      blksize: 1468,
      windowsize: 16,
      timeoutMs: 5000,
      accepted: [['windowsize', '16'], ['blksize', '1468'], ['tsize', '4321'], ['timeout', '5']],
    });
  });

  it('leaves out invalid values, a non-zero tsize and tsize of an empty file', () => {
    const asked = new Map([['blksize', '7'], ['timeout', '0'], ['windowsize', 'x'], ['tsize', '12']]);
    assert.deepEqual(negotiateOptions(asked, 10, limits).accepted, []);
    assert.deepEqual(negotiateOptions(new Map([['tsize', '0']]), 0, limits).accepted, []);
    assert.deepEqual(negotiateOptions(new Map([['blksize', '8'], ['timeout', '256']]), 10, limits).accepted, [['blksize', '8']]);
  });

  it('declines a timeout above the cap (RFC 2349 has no smaller counter-offer) and keeps the default', () => {
    for (const value of [String(MAX_TIMEOUT_SECONDS + 1), '255']) {
      const result = negotiateOptions(new Map([['timeout', value], ['tsize', '0']]), 10, limits);
      assert.equal(result.timeoutMs, null);
      assert.deepEqual(result.accepted, [['tsize', '10']]);
    }
    assert.equal(negotiateOptions(new Map([['timeout', String(MAX_TIMEOUT_SECONDS)]]), 10, limits).timeoutMs, MAX_TIMEOUT_SECONDS * 1000);
  });
});

describe('request names', () => {
  it('normalises separators and leading slashes', () => {
    assert.equal(normaliseRequestName('/mk-sip.jar'), 'mk-sip.jar');
    assert.equal(normaliseRequestName('Desktops\\320x196x4\\List.xml'), 'Desktops/320x196x4/List.xml');
    assert.equal(normaliseRequestName('//a/./b//c'), 'a/b/c');
    assert.equal(normaliseRequestName('..foo'), '..foo');
  });

  it('refuses escapes and junk', () => {
    for (const raw of ['', '/', '.', '../etc/passwd', 'a/../../b', 'a\\..\\b', 'C:\\boot.ini', 'c:foo', 'a\0b', 'a\nb']) {
      assert.equal(normaliseRequestName(raw), null, raw);
    }
  });

  it('finds the MAC in phone file names', () => {
    assert.equal(macFromName('SEP001122aabbcc.cnf.xml'), '001122AABBCC');
    assert.equal(macFromName('CTLSEP001122AABBCC.tlv'), '001122AABBCC');
    assert.equal(macFromName('ringlist.xml'), null);
  });
});

describe('netascii', () => {
  const whole = (input: Buffer): Buffer => {
    const out = Buffer.alloc(input.length * 2);
    return out.subarray(0, encodeNetascii(input, out, 0).written);
  };

  it('turns LF into CR LF and CR into CR NUL', () => {
    assert.deepEqual(whole(Buffer.from('a\nb\rc\r\n')), Buffer.from('a\r\nb\r\0c\r\0\r\n', 'latin1'));
    assert.deepEqual(whole(Buffer.from('abc')), Buffer.from('abc'));
  });

  it('carries the second byte of a pair that does not fit', () => {
    const out = Buffer.alloc(2);
    assert.deepEqual(encodeNetascii(Buffer.from('a\nb'), out, 0), { consumed: 2, written: 2, carry: 0x0a });
    assert.deepEqual(out, Buffer.from('a\r'));
  });

  it('reads any block of the converted file, in order, backwards or split inside a pair', async () => {
    const source = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 0x0a : i % 11 === 0 ? 0x0d : 0x41 + (i % 26))));
    const expected = whole(source);
    for (const blksize of [1, 3, 512]) {
      const file = await netasciiFile(bufferFile(source));
      assert.equal(file.size, expected.length);
      const parts: Buffer[] = [];
      for (let offset = 0; offset < file.size; offset += blksize) parts.push(Buffer.from(await file.read(offset, blksize)));
      assert.deepEqual(Buffer.concat(parts), expected, `blksize ${blksize}`);
    }
    const file = await netasciiFile(bufferFile(source));
    assert.deepEqual(await file.read(4000, 600), expected.subarray(4000, 4600));
    assert.deepEqual(await file.read(4300, 600), expected.subarray(4300, 4900), 'a read starting inside the last one');
    assert.deepEqual(await file.read(10, 100), expected.subarray(10, 110), 'a read before the last one');
    assert.deepEqual(await file.read(expected.length - 5, 100), expected.subarray(expected.length - 5));
  });
});

describe('client addresses', () => {
  it('matches IPv4 and IPv6 subnets, including IPv4-mapped addresses', () => {
    const allowed = createAllowList(['192.168.1.0/24', '127.0.0.0/8', 'fd00::/8', '2001:db8::1']);
    assert.equal(allowed('192.168.1.77'), true);
    assert.equal(allowed('::ffff:192.168.1.77'), true);
    assert.equal(allowed('192.168.2.1'), false);
    assert.equal(allowed('fd12::5'), true);
    assert.equal(allowed('2001:db8::1'), true);
    assert.equal(allowed('2001:db8::2'), false);
    assert.equal(normaliseAddress('::FFFF:10.0.0.1'), '10.0.0.1');
  });

  it('throws on a bad entry', () => {
    assert.throws(() => createAllowList(['192.168.1.0/33']), /allow-list/);
    assert.throws(() => createAllowList(['phones']), /allow-list/);
  });
});

describe('progress gate', () => {
  it('reports quarter marks and otherwise at most every interval', () => {
    const gate = createProgressGate(1000, 250, 0);
    assert.deepEqual(gate.next(100, 10), { report: false, quarter: null });
    assert.deepEqual(gate.next(260, 20), { report: true, quarter: 1 });
    assert.deepEqual(gate.next(300, 100), { report: false, quarter: null });
    assert.deepEqual(gate.next(320, 300), { report: true, quarter: null });
    assert.deepEqual(gate.next(1000, 310), { report: true, quarter: 4 });
  });
});

describe('bind errors', () => {
  it('explains EACCES and EADDRINUSE on one line', () => {
    const denied = bindErrorMessage(Object.assign(new Error('bind EACCES'), { code: 'EACCES' }), '0.0.0.0', 69);
    assert.match(denied, /setcap cap_net_bind_service=\+ep/);
    assert.match(denied, /--tftp-port 6969/);
    assert.ok(!denied.includes('\n'));
    const busy = bindErrorMessage(Object.assign(new Error('bind EADDRINUSE'), { code: 'EADDRINUSE' }), '0.0.0.0', 69);
    assert.match(busy, /already in use/);
  });
});
