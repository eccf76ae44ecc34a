/**
 * Option negotiation for read requests (pure).
 *
 * RFC 2347: the server answers with an OACK that lists only the options it
 * accepted; options it does not know or does not like are left out. With no
 * accepted option there is no OACK and the transfer starts with DATA 1.
 */

/** RFC 1350 §2: the default block size. */
export const DEFAULT_BLOCK_SIZE = 512;
/** RFC 2348: valid blksize values. */
export const MIN_BLOCK_SIZE = 8;
export const MAX_BLOCK_SIZE = 65464;
/** RFC 7440: valid windowsize values. */
export const MAX_WINDOW_SIZE = 65535;
/**
 * Longest retransmission timeout granted (RFC 2349 allows 1..255 s). RFC 2349 has the server echo
 * the client's value or leave the option out, so a longer one is declined and the default applies:
 * a request nobody answers cannot keep a transfer slot for minutes.
 */
export const MAX_TIMEOUT_SECONDS = 10;

export interface NegotiationLimits {
  /** Largest blksize the server offers (clamped to RFC 2348's 65464). */
  maxBlockSize: number;
  /** Largest windowsize the server offers. */
  maxWindowSize: number;
}

export interface Negotiated {
  blksize: number;
  windowsize: number;
  /** Retransmission timeout asked for by the client (RFC 2349), if accepted. */
  timeoutMs: number | null;
  /** Options to put in the OACK, in the order the client sent them; empty → no OACK. */
  accepted: Array<[string, string]>;
}

/** Strict decimal parse: digits only, no sign, no exponent. */
function parseDecimal(value: string): number | null {
  if (!/^[0-9]{1,10}$/.test(value)) return null;
  return Number(value);
}

/**
 * Negotiates the options of one RRQ.
 * `size` is the number of bytes that will be sent (after any netascii conversion).
 */
export function negotiateOptions(
  requested: ReadonlyMap<string, string>,
  size: number,
  limits: NegotiationLimits,
): Negotiated {
  const result: Negotiated = { blksize: DEFAULT_BLOCK_SIZE, windowsize: 1, timeoutMs: null, accepted: [] };
  const maxBlock = Math.min(Math.max(limits.maxBlockSize, MIN_BLOCK_SIZE), MAX_BLOCK_SIZE);
  const maxWindow = Math.min(Math.max(limits.maxWindowSize, 1), MAX_WINDOW_SIZE);

  for (const [name, raw] of requested) {
    const value = parseDecimal(raw);
    switch (name) {
      case 'blksize':
        // RFC 2348: 8..65464; the server may answer with a smaller value.
        if (value === null || value < MIN_BLOCK_SIZE) break;
        result.blksize = Math.min(value, maxBlock);
        result.accepted.push(['blksize', String(result.blksize)]);
        break;
      case 'tsize':
        // RFC 2349: in a RRQ the client sends 0 and the server answers the size.
        // An empty file is answered without tsize (RFC 2347 lets the server leave
        // options out): curl rejects an OACK that carries tsize 0.
        if (value !== 0 || size === 0) break;
        result.accepted.push(['tsize', String(size)]);
        break;
      case 'timeout':
        // RFC 2349: 1..255 seconds and the server must echo the same value; above our cap the
        // option is left out of the OACK (RFC 2347), so the default timeout applies.
        if (value === null || value < 1 || value > MAX_TIMEOUT_SECONDS) break;
        result.timeoutMs = value * 1000;
        result.accepted.push(['timeout', String(value)]);
        break;
      case 'windowsize':
        // RFC 7440: 1..65535 blocks; the server may answer with a smaller value.
        if (value === null || value < 1) break;
        result.windowsize = Math.min(value, maxWindow);
        result.accepted.push(['windowsize', String(result.windowsize)]);
        break;
      default:
        // RFC 2347: unknown options are ignored (left out of the OACK).
        break;
    }
  }
  return result;
}
