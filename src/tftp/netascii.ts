/**
 * netascii encoding, block by block.
 *
 * RFC 1350 §1 and RFC 764: netascii lines end in CR LF and a bare CR is sent
 * as CR NUL. A receiver reverses both, so the conversion round-trips exactly.
 * The converted file is never held whole: its size is counted in one pass
 * (for `tsize`), then each read converts only the bytes it returns.
 */
import type { TftpFile } from './files.js';

const CR = 0x0d;
const LF = 0x0a;
/** Bytes of the source read at once while counting or converting. */
const CHUNK_BYTES = 64 * 1024;

/** Netascii bytes one source byte becomes. */
function widthOf(byte: number): number {
  return byte === LF || byte === CR ? 2 : 1;
}

/** Where converting stopped: `consumed` source bytes gave `written` output bytes; `carry` is a second byte that did not fit. */
export interface EncodeStep {
  consumed: number;
  written: number;
  carry: number | null;
}

/** Converts `input` into `out` from `at` on (LF → CR LF, CR → CR NUL) until `out` is full or `input` is used up. */
export function encodeNetascii(input: Buffer, out: Buffer, at: number): EncodeStep {
  let o = at;
  let i = 0;
  while (i < input.length && o < out.length) {
    const byte = input[i++]!;
    if (byte !== LF && byte !== CR) {
      out[o++] = byte;
      continue;
    }
    out[o++] = CR;
    const second = byte === LF ? LF : 0;
    if (o === out.length) return { consumed: i, written: o - at, carry: second };
    out[o++] = second;
  }
  return { consumed: i, written: o - at, carry: null };
}

/** Sequential reader of the netascii form of `source`; reads before the last one restart from the top. */
class NetasciiCursor {
  private inPos = 0;
  private outPos = 0;
  private carry: number | null = null;
  /** The last output returned, kept so a window that starts inside it costs no re-conversion. */
  private last: Buffer = Buffer.alloc(0);
  private lastStart = 0;

  constructor(private readonly source: TftpFile) {}

  async read(offset: number, length: number): Promise<Buffer> {
    const lastEnd = this.lastStart + this.last.length;
    let head: Buffer = Buffer.alloc(0);
    if (offset >= this.lastStart && offset < lastEnd) {
      head = this.last.subarray(offset - this.lastStart, Math.min(lastEnd, offset + length));
    } else if (offset < this.outPos) {
      this.inPos = 0;
      this.outPos = 0;
      this.carry = null;
    }
    const from = offset + head.length;
    while (this.outPos < from) {
      const skipped = await this.produce(Math.min(from - this.outPos, CHUNK_BYTES));
      if (skipped.length === 0) break;
    }
    const tail = head.length < length && this.outPos === from ? await this.produce(length - head.length) : Buffer.alloc(0);
    const result = head.length === 0 ? tail : Buffer.concat([head, tail]);
    this.last = result;
    this.lastStart = offset;
    return result;
  }

  /** The next `want` output bytes (fewer only at the end of the source). */
  private async produce(want: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(want);
    let filled = 0;
    while (filled < want) {
      if (this.carry !== null) {
        out[filled++] = this.carry;
        this.carry = null;
        continue;
      }
      const input = await this.source.read(this.inPos, Math.min(want - filled, CHUNK_BYTES));
      if (input.length === 0) break;
      const step = encodeNetascii(input, out, filled);
      this.inPos += step.consumed;
      filled += step.written;
      this.carry = step.carry;
    }
    this.outPos += filled;
    return out.subarray(0, filled);
  }
}

/** The netascii form of `source`, converted as it is read; its size is counted first (one pass over the source). */
export async function netasciiFile(source: TftpFile): Promise<TftpFile> {
  let size = 0;
  for (let offset = 0; offset < source.size; offset += CHUNK_BYTES) {
    const chunk = await source.read(offset, CHUNK_BYTES);
    if (chunk.length === 0) break;
    for (let i = 0; i < chunk.length; i++) size += widthOf(chunk[i]!);
  }
  const cursor = new NetasciiCursor(source);
  return {
    size,
    read: (offset, length) => cursor.read(offset, length),
    ...(source.close ? { close: () => source.close!() } : {}),
    ...(source.lockedTo !== undefined ? { lockedTo: source.lockedTo } : {}),
  };
}
