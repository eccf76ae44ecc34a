/**
 * Throttling of progress reports (pure): report at most every `intervalMs`,
 * and always when a quarter mark (25/50/75/100 %) is crossed.
 */
export interface ProgressStep {
  report: boolean;
  quarter: number | null;
}
export interface ProgressGate {
  /** Returns whether `bytes` of `size` done at time `now` should be reported, and the quarter crossed (1-4) if any. */
  next(bytes: number, now: number): ProgressStep;
}

/** The answer for most ACKs, shared so the per-packet path allocates nothing. */
const QUIET: ProgressStep = Object.freeze({ report: false, quarter: null });

export function createProgressGate(size: number, intervalMs: number, start: number): ProgressGate {
  let lastReport = start;
  let lastQuarter = 0;
  return {
    next(bytes, now) {
      const quarter = size === 0 ? 4 : Math.min(4, Math.floor((bytes * 4) / size));
      const crossed = quarter > lastQuarter ? quarter : null;
      if (crossed !== null) lastQuarter = quarter;
      const report = crossed !== null || now - lastReport >= intervalMs;
      if (!report) return QUIET;
      lastReport = now;
      return { report, quarter: crossed };
    },
  };
}
