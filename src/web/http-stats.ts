/** HTTP counters for the owner's page: every answer of the app, by status class. */

export interface HttpStats {
  requests: number;
  /** Answers by status class: 2xx, 3xx, 4xx, 5xx. */
  byClass: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  since: string;
}

/** The counters of one server instance (owned by its context). */
export class HttpCounters {
  private readonly stats: HttpStats;

  constructor(clock: () => Date) {
    this.stats = { requests: 0, byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, since: clock().toISOString() };
  }

  /** Called once per answered request (the app's onResponse hook). */
  count(status: number): void {
    this.stats.requests++;
    const cls = `${Math.min(5, Math.max(2, Math.floor(status / 100)))}xx` as keyof HttpStats['byClass'];
    this.stats.byClass[cls]++;
  }

  snapshot(): HttpStats {
    return { ...this.stats, byClass: { ...this.stats.byClass } };
  }
}
