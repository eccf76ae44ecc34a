/**
 * One read transfer: sends a file over its own socket (its TID) to one peer.
 *
 * Lock-step (RFC 1350) is a window of one block; with RFC 7440 the sender
 * sends `windowsize` blocks, waits for the ACK of the last one, and restarts
 * from the block after whatever block the receiver acknowledged.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import type { TftpFile } from './files.js';
import { ErrorCode, ackBlock, decodePacket, encodeDataHeader, encodeError } from './packet.js';

export interface TransferOptions {
  /** Socket bound and connected to `peer`, owned by the transfer; closed when it ends. */
  socket: Socket;
  /** Where the RRQ came from: the only address and port whose packets count. */
  peer: { address: string; port: number };
  file: TftpFile;
  blksize: number;
  windowsize: number;
  /** OACK to send first (RFC 2347), or null to start with DATA 1. */
  oack: Buffer | null;
  /** First retransmission timeout; it doubles on each retry, up to 8 times this value. */
  timeoutMs: number;
  /** Retransmissions of the same packet(s) before giving up. */
  retries: number;
  /**
   * Longest time without progress (the OACK confirmed or a new block acknowledged) before the
   * transfer ends, whatever the retransmission schedule: a request nobody answers frees its slot.
   */
  silenceLimitMs: number;
  /** Called with the number of acknowledged bytes whenever it grows. */
  onProgress?: (bytes: number) => void;
}

export interface TransferResult {
  ok: boolean;
  /** Bytes the peer acknowledged. */
  bytes: number;
  error?: string;
}

/** Reads the file in chunks of whole blocks so a window is sent from memory. */
class BlockReader {
  private chunk: Buffer | null = null;
  private chunkStart = 0;
  private readonly chunkBlocks: number;

  constructor(
    private readonly file: TftpFile,
    private readonly blksize: number,
    windowsize: number,
  ) {
    this.chunkBlocks = Math.max(windowsize, Math.ceil(65536 / blksize));
  }

  covers(from: number, to: number): boolean {
    return this.chunk !== null && from >= this.chunkStart && to < this.chunkStart + this.chunkBlocks;
  }

  async load(from: number): Promise<void> {
    this.chunk = await this.file.read((from - 1) * this.blksize, this.chunkBlocks * this.blksize);
    this.chunkStart = from;
  }

  /** Payload of block `abs` (1-based); must be covered. Empty past the end. */
  block(abs: number): Buffer {
    const start = (abs - this.chunkStart) * this.blksize;
    return this.chunk!.subarray(start, start + this.blksize);
  }
}

export class Transfer {
  /** Number of DATA blocks: a short (possibly empty) block always ends the file (RFC 1350 §6). */
  private readonly total: number;
  private readonly reader: BlockReader;
  /** Highest block (absolute, not wrapped) the peer acknowledged; 0 before DATA 1. */
  private acked = 0;
  /** Highest block sent so far. */
  private sent = 0;
  private awaitingOack: boolean;
  private tries = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerDelay = 0;
  private silence: NodeJS.Timeout | null = null;
  private sending = false;
  private again = false;
  private finished = false;
  private heardFromPeer = false;
  private resolveDone!: (result: TransferResult) => void;
  readonly done: Promise<TransferResult>;

  constructor(private readonly o: TransferOptions) {
    this.total = Math.floor(o.file.size / o.blksize) + 1;
    this.reader = new BlockReader(o.file, o.blksize, o.windowsize);
    this.awaitingOack = o.oack !== null;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  start(): Promise<TransferResult> {
    this.silence = setTimeout(() => this.finish(false, `no progress from the client for ${this.o.silenceLimitMs} ms`, false), this.o.silenceLimitMs);
    this.o.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.o.socket.on('error', (err) => this.finish(false, `socket error: ${err.message}`, false));
    if (this.o.oack) {
      this.send(this.o.oack);
      this.arm();
    } else {
      this.pump();
    }
    return this.done;
  }

  /**
   * True once the peer has answered (any ACK or ERROR) or the transfer ended.
   * Until then a repeated RRQ from the same port is a retransmission of this one.
   */
  get confirmed(): boolean {
    return this.heardFromPeer || this.finished;
  }

  /** Ends the transfer, telling the peer why (ERROR 0). */
  abort(message: string): void {
    this.finish(false, message, true);
  }

  private get ackedBytes(): number {
    return Math.min(this.acked * this.o.blksize, this.o.file.size);
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    // RFC 1350 §4: a packet from another TID must not disturb the transfer. It is
    // dropped rather than answered with ERROR 5, so spoofed packets reflect nothing.
    if (rinfo.port !== this.o.peer.port || rinfo.address !== this.o.peer.address) return;
    const block = ackBlock(msg);
    if (block !== null) {
      this.heardFromPeer = true;
      this.onAck(block);
      return;
    }
    const packet = decodePacket(msg);
    if (packet.op === 'ERROR') {
      // RFC 1350 §7: an ERROR ends the transfer and is never acknowledged.
      this.heardFromPeer = true;
      this.finish(false, `client sent error ${packet.code}: ${packet.message}`, false);
    }
  }

  private onAck(block: number): void {
    if (this.finished) return;
    if (this.awaitingOack) {
      // RFC 2347: after an OACK for a RRQ the client confirms with ACK 0.
      if (block !== 0) return;
      this.awaitingOack = false;
      this.tries = 0;
      this.silence?.refresh();
      this.pump();
      return;
    }
    // Map the 16-bit number into the outstanding window (block numbers wrap 65535 → 0).
    const delta = (block - (this.acked & 0xffff)) & 0xffff;
    const abs = this.acked + delta;
    // RFC 1123 §4.2.3.1: a duplicate ACK never causes a resend (Sorcerer's
    // Apprentice); only the timer does. ACKs beyond what was sent are stale.
    if (delta === 0 || abs > this.sent) return;
    this.acked = abs;
    this.tries = 0;
    this.silence?.refresh();
    this.o.onProgress?.(this.ackedBytes);
    if (abs === this.total) {
      this.finish(true, undefined, false);
      return;
    }
    // RFC 7440 §4: the next window starts after the acknowledged block, which
    // also resends the rest of a window that had a gap.
    this.pump();
  }

  /** Sends the window that starts after the last acknowledged block. */
  private pump(): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    // Fast path: the window is already in memory, send it right away.
    if (this.reader.covers(this.acked + 1, this.windowEnd())) {
      this.sendBlocks();
      return;
    }
    this.sending = true;
    this.sendWindow()
      .catch((err: unknown) => this.finish(false, `read error: ${(err as Error).message}`, true))
      .finally(() => (this.sending = false));
  }

  private windowEnd(): number {
    return Math.min(this.acked + this.o.windowsize, this.total);
  }

  /** Reads the window from the file first, then sends it. */
  private async sendWindow(): Promise<void> {
    do {
      this.again = false;
      const from = this.acked + 1;
      if (!this.reader.covers(from, this.windowEnd())) await this.reader.load(from);
      if (this.finished) return;
      if (this.again) continue;
      this.sendBlocks();
    } while (this.again && !this.finished);
  }

  /** Sends blocks acked+1 .. window end, which must be in memory, and arms the timer. */
  private sendBlocks(): void {
    const to = this.windowEnd();
    for (let block = this.acked + 1; block <= to; block++) {
      const payload = this.reader.block(block);
      const header = encodeDataHeader(block);
      this.send(payload.length > 0 ? [header, payload] : header);
    }
    this.sent = to;
    this.arm();
  }

  /** (Re)starts the retransmission timer: exponential back-off, capped at 8× the first timeout. */
  private arm(): void {
    const delay = this.o.timeoutMs * Math.min(2 ** this.tries, 8);
    if (this.timer && delay === this.timerDelay) {
      this.timer.refresh();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timerDelay = delay;
    this.timer = setTimeout(() => this.onTimeout(), delay);
  }

  private onTimeout(): void {
    this.timer = null;
    if (this.finished) return;
    this.tries++;
    if (this.tries > this.o.retries) {
      this.finish(false, 'timed out waiting for ACK', true);
    } else if (this.awaitingOack) {
      this.send(this.o.oack!);
      this.arm();
    } else {
      this.pump();
    }
  }

  private send(packet: Buffer | Buffer[], callback?: () => void): void {
    try {
      this.o.socket.send(packet, callback);
    } catch {
      callback?.();
    }
  }

  private finish(ok: boolean, error: string | undefined, notifyPeer: boolean): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.silence) clearTimeout(this.silence);
    this.silence = null;
    const close = (): void => {
      try {
        this.o.socket.close();
      } catch {
        // already closed
      }
    };
    if (notifyPeer && error !== undefined) this.send(encodeError(ErrorCode.NOT_DEFINED, error), close);
    else close();
    void Promise.resolve()
      .then(() => this.o.file.close?.())
      .catch(() => undefined)
      .then(() => this.resolveDone({ ok, bytes: this.ackedBytes, ...(error !== undefined ? { error } : {}) }));
  }
}
