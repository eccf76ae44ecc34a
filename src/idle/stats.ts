/** Idle-screen counters for the owner's page: how often a picture was rendered or served from the cache. */
export interface IdleStats {
  /** Pictures asked for (/idle and /idle.png). */
  requests: number;
  /** Answered from the cache (or from a render already under way). */
  hits: number;
  /** hits / requests, 0 when there were none. */
  hitRate: number;
  renders: number;
  /** Renders that fell back to the default layout (a bad picture, …). */
  fallbacks: number;
  averageRenderMs: number;
  lastRenderMs: number;
  maxRenderMs: number;
  /** Pictures held in the cache now. */
  cached: number;
}

const counters = { requests: 0, hits: 0, renders: 0, fallbacks: 0, totalRenderMs: 0, lastRenderMs: 0, maxRenderMs: 0, cached: 0 };

export function countRequest(hit: boolean): void {
  counters.requests++;
  if (hit) counters.hits++;
}

export function countRender(ms: number, fallback: boolean): void {
  counters.renders++;
  if (fallback) counters.fallbacks++;
  counters.totalRenderMs += ms;
  counters.lastRenderMs = ms;
  counters.maxRenderMs = Math.max(counters.maxRenderMs, ms);
}

export function countCached(delta: number): void {
  counters.cached += delta;
}

/** The counters of this process. */
export function idleStats(): IdleStats {
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    requests: counters.requests,
    hits: counters.hits,
    hitRate: counters.requests ? counters.hits / counters.requests : 0,
    renders: counters.renders,
    fallbacks: counters.fallbacks,
    averageRenderMs: round(counters.renders ? counters.totalRenderMs / counters.renders : 0),
    lastRenderMs: round(counters.lastRenderMs),
    maxRenderMs: round(counters.maxRenderMs),
    cached: counters.cached,
  };
}
