/**
 * Sending one µ-law recording as an RTP stream (RFC 3550) over node:dgram to any number of
 * destinations at once, paced against its start time: packet n leaves at start + n·20 ms, so a
 * late timer never adds up to drift over a minute. Packets that fell due while the event loop was
 * busy are sent at once, in order (the phone's jitter buffer absorbs the burst).
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { MULAW_SILENCE } from '../media/mulaw.js';
import { PACKET_MS, randomStreamIds, rtpPacket, SAMPLES_PER_PACKET, type RtpStreamIds } from './rtp.js';

/** Multicast hops: the local network only (RFC 1112 §6.1, TTL 1 stays on the link). */
export const MULTICAST_TTL = 1;

export interface Destination {
  host: string;
  port: number;
}

export type StreamEnd = 'ended' | 'stopped';

export interface PacingStats {
  packets: number;
  /** How late packets left against their schedule (ms). */
  meanLateMs: number;
  maxLateMs: number;
}

function key(d: Destination): string {
  return `${d.host}|${d.port}`;
}

export class RtpSender {
  readonly ids: RtpStreamIds;
  /** Resolves when the last packet is sent or the stream is stopped. */
  readonly done: Promise<StreamEnd>;
  private readonly packets: number;
  private readonly destinations = new Map<string, Destination>();
  private readonly sockets = new Map<'udp4' | 'udp6', dgram.Socket>();
  private finish!: (end: StreamEnd) => void;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private startedAt = 0;
  private lateSum = 0;
  private lateMax = 0;
  private finished = false;
  /** Datagrams handed to a socket and not yet sent: a socket closed before then drops them. */
  private inFlight = 0;

  constructor(
    private readonly audio: Buffer,
    ids: RtpStreamIds = randomStreamIds(),
  ) {
    this.ids = ids;
    this.packets = Math.ceil(audio.length / SAMPLES_PER_PACKET);
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  /** The stream's length in ms (whole packets). */
  get durationMs(): number {
    return this.packets * PACKET_MS;
  }

  get running(): boolean {
    return this.startedAt > 0 && !this.finished;
  }

  add(destination: Destination): void {
    this.destinations.set(key(destination), destination);
  }

  /** Stops sending to one destination; true when it was there. The stream ends with the last one. */
  remove(destination: Destination): boolean {
    const had = this.destinations.delete(key(destination));
    if (had && this.destinations.size === 0 && this.startedAt > 0) this.end('stopped');
    return had;
  }

  get destinationCount(): number {
    return this.destinations.size;
  }

  start(): void {
    if (this.startedAt > 0 || this.finished) return;
    if (this.destinations.size === 0 || this.packets === 0) {
      this.end('ended');
      return;
    }
    this.startedAt = performance.now();
    this.tick();
  }

  stop(): void {
    this.end('stopped');
  }

  stats(): PacingStats {
    const sent = this.next;
    return { packets: sent, meanLateMs: sent ? this.lateSum / sent : 0, maxLateMs: this.lateMax };
  }

  private tick(): void {
    this.timer = undefined;
    if (this.finished) return;
    const now = performance.now();
    while (this.next < this.packets && this.startedAt + this.next * PACKET_MS <= now) {
      const late = now - (this.startedAt + this.next * PACKET_MS);
      this.lateSum += late;
      if (late > this.lateMax) this.lateMax = late;
      this.sendPacket(this.next++);
    }
    if (this.next >= this.packets) {
      this.end('ended');
      return;
    }
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.startedAt + this.next * PACKET_MS - performance.now()));
  }

  private sendPacket(n: number): void {
    const from = n * SAMPLES_PER_PACKET;
    let payload = this.audio.subarray(from, from + SAMPLES_PER_PACKET);
    if (payload.length < SAMPLES_PER_PACKET) {
      // The last packet is filled up with silence: every packet carries 20 ms.
      payload = Buffer.concat([payload, Buffer.alloc(SAMPLES_PER_PACKET - payload.length, MULAW_SILENCE)]);
    }
    const packet = rtpPacket(this.ids, n, payload);
    for (const d of this.destinations.values()) {
      // A send error (no route, a full buffer) loses this packet for this phone, as UDP does.
      this.inFlight++;
      this.socket(isIPv6(d.host) ? 'udp6' : 'udp4').send(packet, d.port, d.host, () => {
        if (--this.inFlight === 0 && this.finished) this.closeSockets();
      });
    }
  }

  private socket(type: 'udp4' | 'udp6'): dgram.Socket {
    let socket = this.sockets.get(type);
    if (!socket) {
      socket = dgram.createSocket(type);
      socket.on('error', () => {});
      socket.bind(0, () => socket!.setMulticastTTL(MULTICAST_TTL));
      this.sockets.set(type, socket);
    }
    return socket;
  }

  private end(how: StreamEnd): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.inFlight === 0) this.closeSockets();
    this.finish(how);
  }

  private closeSockets(): void {
    for (const socket of this.sockets.values()) socket.close();
    this.sockets.clear();
  }
}
