const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** A config duration (`300`, `90s`, `5m`, `1h`) in seconds; `fallback` when unset. */
export function durationSeconds(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)(s|m|h)$/.exec(value);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]!]! : fallback;
}
