/**
 * A raw TFTP client on node:dgram, for what real clients never do: duplicate
 * ACKs, lost DATA, packets from foreign ports, floods. Loopback only.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { decodePacket, encodeAck, encodeRequest, type DecodeFailure, type Packet } from '../../src/tftp/packet.js';

export interface Received {
  packet: Packet | DecodeFailure;
  rinfo: RemoteInfo;
}

export interface FetchOptions {
  mode?: string;
  options?: Record<string, string>;
  /** Longest wait for any packet before the fetch fails. */
  waitMs?: number;
  /** Return true to pretend DATA `block` (absolute, 1-based) was lost; `seen` counts arrivals of it. */
  drop?: (block: number, seen: number) => boolean;
  /** Send the ACK of this block twice. */
  duplicateAckAt?: number;
  /** Called for each DATA accepted in order, before it is acknowledged. */
  onData?: (block: number, server: RemoteInfo) => Promise<void> | void;
}

export interface FetchResult {
  data: Buffer;
  oack: Map<string, string> | null;
  /** Arrivals per absolute block number (dropped ones included). */
  arrivals: Map<number, number>;
}

export class RawClient {
  private readonly queue: Received[] = [];
  private waiter: (() => void) | null = null;

  private constructor(readonly socket: Socket) {
    socket.on('message', (msg, rinfo) => {
      this.queue.push({ packet: decodePacket(msg), rinfo });
      this.waiter?.();
    });
  }

  static async open(address = '127.0.0.1'): Promise<RawClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, resolve));
    return new RawClient(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends a datagram; resolves once it has left the socket (so closing right after loses nothing). */
  send(packet: Buffer, port: number, address = '127.0.0.1'): Promise<void> {
    return new Promise((resolve) => this.socket.send(packet, port, address, () => resolve()));
  }

  rrq(port: number, name: string, mode = 'octet', options: Record<string, string> = {}): Promise<void> {
    return this.send(encodeRequest('RRQ', name, mode, Object.entries(options)), port);
  }

  /** The next packet, or null if none arrives within `waitMs`. */
  async next(waitMs = 3000): Promise<Received | null> {
    if (this.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = null;
          resolve();
        }, waitMs);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
      });
    }
    return this.queue.shift() ?? null;
  }

  /** Reads a file: lock-step, or RFC 7440 windows when `windowsize` is among the options. */
  async fetch(port: number, name: string, opts: FetchOptions = {}): Promise<FetchResult> {
    const waitMs = opts.waitMs ?? 5000;
    await this.rrq(port, name, opts.mode ?? 'octet', opts.options ?? {});
    let blksize = 512;
    let windowsize = 1;
    let oack: Map<string, string> | null = null;
    let server: RemoteInfo | null = null;
    let last = 0; // last block received in order
    let windowStart = 0;
    const chunks: Buffer[] = [];
    const arrivals = new Map<number, number>();
    const ack = async (block: number): Promise<void> => {
      await this.send(encodeAck(block), server!.port, server!.address);
      if (block === opts.duplicateAckAt) await this.send(encodeAck(block), server!.port, server!.address);
    };
    for (;;) {
      const got = await this.next(waitMs);
      if (!got) throw new Error(`no packet within ${waitMs} ms after block ${last}`);
      const { packet, rinfo } = got;
      if (server && (rinfo.port !== server.port || rinfo.address !== server.address)) continue;
      server ??= rinfo;
      if (packet.op === 'ERROR') throw Object.assign(new Error(`TFTP error ${packet.code}: ${packet.message}`), { tftpCode: packet.code });
      if (packet.op === 'OACK') {
        oack = packet.options;
        blksize = Number(oack.get('blksize') ?? 512);
        windowsize = Number(oack.get('windowsize') ?? 1);
        await ack(0);
        continue;
      }
      if (packet.op !== 'DATA') continue;
      const expected = (last + 1) & 0xffff;
      if (packet.block !== expected) {
        // RFC 7440: on a gap, acknowledge the last block received in order.
        if (windowsize > 1 && ((packet.block - expected) & 0xffff) < windowsize) {
          await ack(last);
          windowStart = last;
        }
        continue;
      }
      const abs = last + 1;
      const seen = (arrivals.get(abs) ?? 0) + 1;
      arrivals.set(abs, seen);
      if (opts.drop?.(abs, seen)) continue;
      last = abs;
      chunks.push(packet.data);
      await opts.onData?.(abs, rinfo);
      const final = packet.data.length < blksize;
      if (final || last - windowStart >= windowsize) {
        await ack(last);
        windowStart = last;
      }
      if (final) return { data: Buffer.concat(chunks), oack, arrivals };
    }
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}
