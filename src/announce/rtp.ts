/**
 * RTP packets for G.711 µ-law audio (RFC 3550, RFC 3551), pure. Cisco's phones take RTPRx/RTPMRx
 * streams as G.711 µ-law in 20 ms packets (Cisco developer notes, "Internal URI Features").
 */
import { randomInt } from 'node:crypto';

/** RFC 3551 §6 table 4: PCMU is static payload type 0, 8000 Hz. */
export const PAYLOAD_PCMU = 0;
export const SAMPLE_RATE = 8000;
/** 20 ms per packet: 160 samples, one byte each in µ-law. */
export const PACKET_MS = 20;
export const SAMPLES_PER_PACKET = (SAMPLE_RATE * PACKET_MS) / 1000;
/** RFC 3550 §5.1: the fixed header is 12 bytes when there is no CSRC. */
export const RTP_HEADER_BYTES = 12;

/** What stays the same for every packet of one stream. */
export interface RtpStreamIds {
  ssrc: number;
  /** Sequence number of the first packet. */
  firstSeq: number;
  /** Timestamp of the first packet. */
  firstTimestamp: number;
}

/**
 * RFC 3550 §5.1: SSRC chosen at random, so two streams are unlikely to share it; the initial
 * sequence number and timestamp are random too, which makes known-plaintext attacks harder.
 */
export function randomStreamIds(): RtpStreamIds {
  return { ssrc: randomInt(0, 2 ** 32), firstSeq: randomInt(0, 2 ** 16), firstTimestamp: randomInt(0, 2 ** 32) };
}

/**
 * Packet number `n` (0-based) of a stream carrying `payload` (160 µ-law bytes). RFC 3550 §5.1:
 * V=2, no padding, no extension, CC=0; the sequence number goes up by one per packet (mod 2^16),
 * the timestamp by the samples in each packet (mod 2^32). The marker bit (RFC 3551 §4.1) is set
 * on the first packet of a talkspurt: here the first one.
 */
export function rtpPacket(ids: RtpStreamIds, n: number, payload: Uint8Array): Buffer {
  const packet = Buffer.allocUnsafe(RTP_HEADER_BYTES + payload.length);
  packet[0] = 0x80; // V=2, P=0, X=0, CC=0
  packet[1] = (n === 0 ? 0x80 : 0) | PAYLOAD_PCMU;
  packet.writeUInt16BE((ids.firstSeq + n) % 2 ** 16, 2);
  packet.writeUInt32BE((ids.firstTimestamp + n * SAMPLES_PER_PACKET) % 2 ** 32, 4);
  packet.writeUInt32BE(ids.ssrc, 8);
  packet.set(payload, RTP_HEADER_BYTES);
  return packet;
}

/** The header fields of an RTP packet (RFC 3550 §5.1), for tests and tools. */
export interface RtpHeader {
  version: number;
  marker: boolean;
  payloadType: number;
  seq: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

export function parseRtp(packet: Buffer): RtpHeader | undefined {
  if (packet.length < RTP_HEADER_BYTES) return undefined;
  const cc = packet[0]! & 0x0f;
  const start = RTP_HEADER_BYTES + 4 * cc;
  return {
    version: packet[0]! >> 6,
    marker: (packet[1]! & 0x80) !== 0,
    payloadType: packet[1]! & 0x7f,
    seq: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    payload: packet.subarray(start),
  };
}
