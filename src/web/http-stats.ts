/** HTTP counters for the owner's page: every answer of the app, by status class. */
import type { AppContext } from '../context.js';

export interface HttpStats {
  requests: number;
  /** Answers by status class: 2xx, 3xx, 4xx, 5xx. */
  byClass: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  since: string;
}

const counters = new WeakMap<AppContext, HttpStats>();

function statsOf(ctx: AppContext): HttpStats {
  let stats = counters.get(ctx);
  if (!stats) {
    stats = { requests: 0, byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, since: ctx.clock().toISOString() };
    counters.set(ctx, stats);
  }
  return stats;
}

/** Called once per answered request (the app's onResponse hook). */
export function countResponse(ctx: AppContext, status: number): void {
  const stats = statsOf(ctx);
  stats.requests++;
  const cls = `${Math.min(5, Math.max(2, Math.floor(status / 100)))}xx` as keyof HttpStats['byClass'];
  stats.byClass[cls]++;
}

export function httpStats(ctx: AppContext): HttpStats {
  const stats = statsOf(ctx);
  return { ...stats, byClass: { ...stats.byClass } };
}
