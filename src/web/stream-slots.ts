/**
 * Caps on the owner page's live-event streams: each holds a socket and listeners for as long as
 * the client keeps it, so one client (or all of them) may hold only so many at once.
 */

/** Streams one client address may hold (a few tabs of the page). */
export const MAX_STREAMS_PER_CLIENT = 4;
/** Streams all clients together may hold. */
export const MAX_STREAMS = 32;

export class StreamSlots {
  private total = 0;
  private readonly byClient = new Map<string, number>();

  constructor(
    private readonly perClient = MAX_STREAMS_PER_CLIENT,
    private readonly overall = MAX_STREAMS,
  ) {}

  /** A slot for `client` and the function that frees it (once), or undefined when a cap is reached. */
  take(client: string): (() => void) | undefined {
    const mine = this.byClient.get(client) ?? 0;
    if (mine >= this.perClient || this.total >= this.overall) return undefined;
    this.byClient.set(client, mine + 1);
    this.total++;
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.total--;
      const left = (this.byClient.get(client) ?? 1) - 1;
      if (left > 0) this.byClient.set(client, left);
      else this.byClient.delete(client);
    };
  }
}
