/**
 * One read transfer: sends a file over its own socket (its TID) to one peer.
 *
 * Lock-step (RFC 1350) is a window of one block; with RFC 7440 the sender
 * sends `windowsize` blocks, waits for the ACK of the last one, and restarts
 * from the block after whatever block the receiver acknowledged.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import type { TftpFile } from './files.js';
import { ErrorCode, ackBlock, decodePacket, encodeError, writeDataHeader } from './packet.js';

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

/**
 * Bytes read from disk at once for a file not held in memory (whole blocks, at least one window).
 * Larger reads mean fewer trips to the thread pool; reading the next chunk ahead in parallel was
 * measured slower on a 2-core machine (bench/tftp.ts), since the read then competes with sending.
 */
const READ_CHUNK_BYTES = 256 * 1024;

/** The file's blocks: all of it when the file is in memory, otherwise chunks of whole blocks read from disk. */
class BlockReader {
  private chunk: Buffer | null = null;
  private chunkStart = 1;
  private readonly chunkBlocks: number;

  constructor(
    private readonly file: TftpFile,
    private readonly blksize: number,
    windowsize: number,
  ) {
    if (file.bytes) this.chunk = file.bytes;
    this.chunkBlocks = file.bytes ? Infinity : Math.max(windowsize, Math.ceil(READ_CHUNK_BYTES / blksize));
  }

  covers(from: number, to: number): boolean {
    return this.chunk !== null && from >= this.chunkStart && to < this.chunkStart + this.chunkBlocks;
  }

  async load(from: number): Promise<void> {
    this.chunk = await this.file.read((from - 1) * this.blksize, this.chunkBlocks * this.blksize);
    this.chunkStart = from;
  }

  /** Copies block `abs` (1-based, covered) into `packet` after its 4-byte header; returns its length (0 past the end). */
  copyBlock(abs: number, packet: Buffer): number {
    const chunk = this.chunk!;
    const start = Math.min((abs - this.chunkStart) * this.blksize, chunk.length);
    const end = Math.min(start + this.blksize, chunk.length);
    return chunk.copy(packet, 4, start, end);
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
  /**
   * One DATA packet per block of a window, framed in place (RFC 1350 §5), so sending a block
   * allocates nothing. A slot is rewritten only once the window has moved past its block.
   */
  private readonly packets: Buffer[];
  /** When the last packet(s) went out and when the transfer last progressed (Date.now()). */
  private sentAt = 0;
  private progressAt = 0;
  /**
   * The timers are set once and only moved when they fire early: a packet or an ACK just
   * records its time, so the per-packet path never touches the timer list.
   */
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
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
    this.packets = Array.from({ length: o.windowsize }, () => Buffer.allocUnsafeSlow(4 + o.blksize));
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  start(): Promise<TransferResult> {
    this.progressAt = Date.now();
    this.watchSilence(this.o.silenceLimitMs);
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
      this.progressAt = Date.now();
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
    this.progressAt = Date.now();
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
    const { blksize } = this.o;
    for (let block = this.acked + 1; block <= to; block++) {
      const packet = this.packets[block % this.packets.length]!;
      writeDataHeader(packet, block);
      const length = this.reader.copyBlock(block, packet);
      // Only the last block is short (RFC 1350 §6).
      this.send(length === blksize ? packet : packet.subarray(0, 4 + length));
    }
    this.sent = to;
    this.arm();
  }

  /** Retransmission timeout now: exponential back-off, capped at 8× the first timeout. */
  private retransmitDelay(): number {
    return this.o.timeoutMs * Math.min(2 ** this.tries, 8);
  }

  /** Notes that packets just went out; the timer fires `retransmitDelay()` after the last of them. */
  private arm(): void {
    this.sentAt = Date.now();
    const due = this.sentAt + this.retransmitDelay();
    // A timer that fires earlier than needed just moves itself on; only a later one is replaced.
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.schedule(due);
  }

  private schedule(due: number): void {
    this.timerDue = due;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, due - Date.now()));
  }

  private onTimer(): void {
    this.timer = null;
    if (this.finished) return;
    const due = this.sentAt + this.retransmitDelay();
    if (Date.now() < due) this.schedule(due);
    else this.onTimeout();
  }

  private onTimeout(): void {
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

  /** Ends the transfer once nothing has progressed for the silence limit. */
  private watchSilence(delay: number): void {
    this.silence = setTimeout(() => {
      this.silence = null;
      if (this.finished) return;
      const quiet = Date.now() - this.progressAt;
      if (quiet >= this.o.silenceLimitMs) this.finish(false, `no progress from the client for ${this.o.silenceLimitMs} ms`, false);
      else this.watchSilence(this.o.silenceLimitMs - quiet);
    }, delay);
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
