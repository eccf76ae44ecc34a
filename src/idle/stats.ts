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

/** The idle-screen counters of one server instance (owned by its IdleScreens). */
export class IdleCounters {
  private requests = 0;
  private hits = 0;
  private renders = 0;
  private fallbacks = 0;
  private totalRenderMs = 0;
  private lastRenderMs = 0;
  private maxRenderMs = 0;
  private cached = 0;

  countRequest(hit: boolean): void {
    this.requests++;
    if (hit) this.hits++;
  }

  countRender(ms: number, fallback: boolean): void {
    this.renders++;
    if (fallback) this.fallbacks++;
    this.totalRenderMs += ms;
    this.lastRenderMs = ms;
    this.maxRenderMs = Math.max(this.maxRenderMs, ms);
  }

  countCached(delta: number): void {
    this.cached += delta;
  }

  snapshot(): IdleStats {
    const round = (ms: number): number => Math.round(ms * 10) / 10;
    return {
      requests: this.requests,
      hits: this.hits,
      hitRate: this.requests ? this.hits / this.requests : 0,
      renders: this.renders,
      fallbacks: this.fallbacks,
      averageRenderMs: round(this.renders ? this.totalRenderMs / this.renders : 0),
      lastRenderMs: round(this.lastRenderMs),
      maxRenderMs: round(this.maxRenderMs),
      cached: this.cached,
    };
  }
}
