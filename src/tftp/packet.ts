/**
 * TFTP packet encoding and decoding (pure functions).
 *
 * RFC 1350 §5 defines the five basic packets, RFC 2347 adds the option
 * extension (option pairs after the mode, and the OACK packet).
 */

// RFC 1350 §5 and RFC 2347: opcodes.
export const Opcode = {
  RRQ: 1,
  WRQ: 2,
  DATA: 3,
  ACK: 4,
  ERROR: 5,
  OACK: 6,
} as const;

// RFC 1350 Appendix / RFC 2347: error codes.
export const ErrorCode = {
  NOT_DEFINED: 0,
  FILE_NOT_FOUND: 1,
  ACCESS_VIOLATION: 2,
  DISK_FULL: 3,
  ILLEGAL_OPERATION: 4,
  UNKNOWN_TID: 5,
  FILE_EXISTS: 6,
  NO_SUCH_USER: 7,
  OPTION_REFUSED: 8,
} as const;

/** RFC 2347: a request packet (with options) may not exceed 512 octets. */
export const MAX_REQUEST_BYTES = 512;

export type TransferMode = 'octet' | 'netascii';

/** RRQ or WRQ; `mode` is lower-cased, option names too (RFC 2347: case-insensitive). */
export interface RequestPacket {
  op: 'RRQ' | 'WRQ';
  filename: string;
  mode: string;
  options: Map<string, string>;
}

export type Packet =
  | RequestPacket
  | { op: 'DATA'; block: number; data: Buffer }
  | { op: 'ACK'; block: number }
  | { op: 'ERROR'; code: number; message: string }
  | { op: 'OACK'; options: Map<string, string> };

/** Why a datagram could not be decoded. */
export type DecodeFailure = { op: 'INVALID'; opcode: number | null; reason: string };

/** Splits NUL-terminated strings; returns null if the last one is not terminated. */
function splitStrings(buf: Buffer, start: number): string[] | null {
  const out: string[] = [];
  let pos = start;
  while (pos < buf.length) {
    const end = buf.indexOf(0, pos);
    if (end < 0) return null;
    // RFC 1350 §5 says netascii; UTF-8 also matches non-ASCII names stored on disk.
    out.push(buf.toString('utf8', pos, end));
    pos = end + 1;
  }
  return out;
}

/** RFC 2347: option names are case-insensitive; the first occurrence wins. */
function toOptionMap(pairs: string[]): Map<string, string> | null {
  if (pairs.length % 2 !== 0) return null;
  const map = new Map<string, string>();
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i]!.toLowerCase();
    if (name === '') return null;
    if (!map.has(name)) map.set(name, pairs[i + 1]!);
  }
  return map;
}

/** Decodes one datagram. Never throws: bad input yields `{ op: 'INVALID' }`. */
export function decodePacket(buf: Buffer): Packet | DecodeFailure {
  if (buf.length < 2) return { op: 'INVALID', opcode: null, reason: 'packet too short' };
  const opcode = buf.readUInt16BE(0);
  const invalid = (reason: string): DecodeFailure => ({ op: 'INVALID', opcode, reason });
  switch (opcode) {
    case Opcode.RRQ:
    case Opcode.WRQ: {
      // RFC 1350 §5: | opcode | filename | 0 | mode | 0 | ; RFC 2347 appends | opt | 0 | value | 0 |...
      if (buf.length > MAX_REQUEST_BYTES) return invalid('request longer than 512 bytes');
      const parts = splitStrings(buf, 2);
      if (!parts || parts.length < 2) return invalid('malformed request');
      const options = toOptionMap(parts.slice(2));
      if (!options) return invalid('malformed options');
      return { op: opcode === Opcode.RRQ ? 'RRQ' : 'WRQ', filename: parts[0]!, mode: parts[1]!.toLowerCase(), options };
    }
    case Opcode.DATA:
      if (buf.length < 4) return invalid('short DATA');
      return { op: 'DATA', block: buf.readUInt16BE(2), data: buf.subarray(4) };
    case Opcode.ACK:
      // RFC 1350 §5: ACK is exactly 4 bytes; tolerate trailing padding.
      if (buf.length < 4) return invalid('short ACK');
      return { op: 'ACK', block: buf.readUInt16BE(2) };
    case Opcode.ERROR: {
      if (buf.length < 4) return invalid('short ERROR');
      const end = buf.indexOf(0, 4);
      const message = buf.toString('latin1', 4, end < 0 ? buf.length : end);
      return { op: 'ERROR', code: buf.readUInt16BE(2), message };
    }
    case Opcode.OACK: {
      const parts = splitStrings(buf, 2);
      const options = parts && toOptionMap(parts);
      if (!options) return invalid('malformed OACK');
      return { op: 'OACK', options };
    }
    default:
      return invalid(`unknown opcode ${opcode}`);
  }
}

/** Block number of an ACK packet, or null if `buf` is not an ACK (hot path: no allocation). */
export function ackBlock(buf: Buffer): number | null {
  return buf.length >= 4 && buf.readUInt16BE(0) === Opcode.ACK ? buf.readUInt16BE(2) : null;
}

function encodeStrings(opcode: number, strings: string[]): Buffer {
  const parts = strings.map((s) => Buffer.from(`${s}\0`, 'utf8'));
  const head = Buffer.alloc(2);
  head.writeUInt16BE(opcode, 0);
  return Buffer.concat([head, ...parts]);
}

/** RFC 1350 §5 RRQ / WRQ, with RFC 2347 options appended in insertion order. */
export function encodeRequest(
  op: 'RRQ' | 'WRQ',
  filename: string,
  mode: string,
  options: Iterable<[string, string]> = [],
): Buffer {
  const pairs = [...options].flat();
  return encodeStrings(op === 'RRQ' ? Opcode.RRQ : Opcode.WRQ, [filename, mode, ...pairs]);
}

/**
 * Writes the RFC 1350 §5 DATA header (opcode + 16-bit block) into the first 4 bytes of `packet`,
 * whose payload follows it: the hot path frames blocks in place, without allocating.
 */
export function writeDataHeader(packet: Buffer, block: number): void {
  packet.writeUInt16BE(Opcode.DATA, 0);
  // Block numbers are 16 bit; wrapping 65535 → 0 is the common rollover practice.
  packet.writeUInt16BE(block & 0xffff, 2);
}

export function encodeData(block: number, data: Buffer): Buffer {
  const packet = Buffer.allocUnsafe(4 + data.length);
  writeDataHeader(packet, block);
  data.copy(packet, 4);
  return packet;
}

export function encodeAck(block: number): Buffer {
  const buf = Buffer.allocUnsafe(4);
  buf.writeUInt16BE(Opcode.ACK, 0);
  buf.writeUInt16BE(block & 0xffff, 2);
  return buf;
}

/** RFC 1350 §5 ERROR: | 05 | code | message | 0 |. */
export function encodeError(code: number, message: string): Buffer {
  const msg = Buffer.from(`${message}\0`, 'latin1');
  const head = Buffer.allocUnsafe(4);
  head.writeUInt16BE(Opcode.ERROR, 0);
  head.writeUInt16BE(code, 2);
  return Buffer.concat([head, msg]);
}

/** RFC 2347 OACK: | 06 | opt1 | 0 | value1 | 0 | ... */
export function encodeOack(options: Iterable<[string, string]>): Buffer {
  return encodeStrings(Opcode.OACK, [...options].flat());
}
