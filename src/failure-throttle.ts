/**
 * Slows down guessing: after `FAILURE_LIMIT` wrong secrets from one address within
 * `FAILURE_WINDOW_MS`, that address is refused without any check for `BLOCK_MS`. One throttle
 * serves `/authenticate`, the admin password and the API token, so guesses at all three add up.
 * Other addresses are not affected.
 */

/** Wrong secrets from one address that are tolerated within the window. */
export const FAILURE_LIMIT = 10;
export const FAILURE_WINDOW_MS = 60_000;
/** How long an address that went over the limit is refused. */
export const BLOCK_MS = 60_000;
/** Addresses remembered at most (the oldest are forgotten first), so a flood of sources cannot grow memory. */
export const MAX_TRACKED_ADDRESSES = 10_000;

interface AddressRecord {
  /** Times of the failures within the window (at most FAILURE_LIMIT kept). */
  failures: number[];
  blockedUntil: number;
}

export class FailureThrottle {
  private readonly byAddress = new Map<string, AddressRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether answers to `address` are refusals without checking anything, right now. */
  isBlocked(address: string): boolean {
    const record = this.byAddress.get(address);
    return record !== undefined && record.blockedUntil > this.now();
  }

  /**
   * Counts one wrong secret from `address`. True when this failure starts a block: the caller
   * writes its one log line for the burst then, not for every attempt.
   */
  fail(address: string): boolean {
    const now = this.now();
    const record = this.byAddress.get(address) ?? { failures: [], blockedUntil: 0 };
    this.byAddress.delete(address); // re-inserted below: the map's order is the least recently failed first
    record.failures = record.failures.filter((at) => at > now - FAILURE_WINDOW_MS);
    record.failures.push(now);
    const starts = record.failures.length >= FAILURE_LIMIT && record.blockedUntil <= now;
    if (starts) {
      record.blockedUntil = now + BLOCK_MS;
      record.failures = [];
    }
    this.byAddress.set(address, record);
    if (this.byAddress.size > MAX_TRACKED_ADDRESSES) this.byAddress.delete(this.byAddress.keys().next().value!);
    return starts;
  }
}

/** The one log line of a throttled burst (never the secret that was tried). */
export function blockedMessage(address: string, what: string): string {
  return `${FAILURE_LIMIT} wrong ${what} from ${address} within ${FAILURE_WINDOW_MS / 1000} s: every answer to it is a refusal for ${BLOCK_MS / 1000} s`;
}
