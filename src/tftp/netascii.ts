/**
 * netascii encoding (pure).
 *
 * RFC 1350 §1 and RFC 764: netascii lines end in CR LF and a bare CR is sent
 * as CR NUL. A receiver reverses both, so the conversion round-trips exactly.
 */

const CR = 0x0d;
const LF = 0x0a;

/** Converts local bytes to netascii: LF → CR LF, CR → CR NUL. */
export function toNetascii(input: Buffer): Buffer {
  let extra = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    if (byte === LF || byte === CR) extra++;
  }
  if (extra === 0) return input;
  const out = Buffer.allocUnsafe(input.length + extra);
  let o = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    if (byte === LF) {
      out[o++] = CR;
      out[o++] = LF;
    } else if (byte === CR) {
      out[o++] = CR;
      out[o++] = 0;
    } else {
      out[o++] = byte;
    }
  }
  return out;
}
