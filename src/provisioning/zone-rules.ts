/**
 * Clocks as the phones keep them (pure): a standard offset plus at most one yearly summer-time
 * rule ("n-th / last weekday of a month at a wall-clock time"), and the real offsets of an IANA
 * zone from the platform's time-zone data (Node's full ICU), found per minute by bisection.
 */
import { offsetSeconds } from '../calendar/zones.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A yearly day: the `week`-th (or last) `weekday` (0 = Sunday) of `month` (1–12), at a wall-clock time. */
export interface RuleDay {
  month: number;
  week: 1 | 2 | 3 | 4 | 'last';
  weekday: number;
  /** Minutes after midnight, local time (the time in force before the change), or UTC when `utc`. */
  minutes: number;
  utc?: boolean;
}

export interface DstRule {
  start: RuleDay;
  end: RuleDay;
  /** Minutes added in summer. */
  save: number;
}

/** What a phone knows about its clock: minutes east of UTC, and the summer-time rule if any. */
export interface ClockRule {
  standard: number;
  dst?: DstRule;
}

/** Day of the month `d` falls on in `year`. */
export function ruleDayOfMonth(year: number, d: RuleDay): number {
  if (d.week === 'last') {
    const last = new Date(Date.UTC(year, d.month, 0));
    return last.getUTCDate() - ((last.getUTCDay() - d.weekday + 7) % 7);
  }
  const first = new Date(Date.UTC(year, d.month - 1, 1)).getUTCDay();
  return 1 + ((d.weekday - first + 7) % 7) + (d.week - 1) * 7;
}

function ruleInstant(year: number, d: RuleDay, offsetInForce: number): number {
  return Date.UTC(year, d.month - 1, ruleDayOfMonth(year, d)) + d.minutes * MINUTE - (d.utc ? 0 : offsetInForce * MINUTE);
}

/** The start and end of summer time in `year` (start after end in the southern hemisphere). */
export function dstInstants(rule: ClockRule, year: number): { start: number; end: number } | undefined {
  if (!rule.dst) return undefined;
  return {
    start: ruleInstant(year, rule.dst.start, rule.standard),
    end: ruleInstant(year, rule.dst.end, rule.standard + rule.dst.save),
  };
}

/** Minutes east of UTC a phone with this rule shows at `ms`. */
export function ruleOffsetAt(rule: ClockRule, ms: number): number {
  const instants = dstInstants(rule, new Date(ms).getUTCFullYear());
  if (!instants || !rule.dst) return rule.standard;
  const { start, end } = instants;
  const summer = start < end ? ms >= start && ms < end : ms >= start || ms < end;
  return rule.standard + (summer ? rule.dst.save : 0);
}

/** Minutes east of UTC of an IANA zone at `ms` (the zone must be known to the platform). */
export function zoneOffsetAt(zone: string, ms: number): number {
  return Math.round(offsetSeconds(ms, zone) / 60);
}

export interface Transition {
  /** First instant (a whole minute) of the new offset. */
  at: number;
  from: number;
  to: number;
}

const transitionCache = new Map<string, Transition[]>();

/** Every change of a zone's offset in a calendar year (UTC), from the platform's time-zone data. */
export function zoneTransitions(zone: string, year: number): Transition[] {
  const key = `${zone}\u0000${year}`;
  const cached = transitionCache.get(key);
  if (cached) return cached;
  const out: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let t = Date.UTC(year, 0, 1);
  let offset = zoneOffsetAt(zone, t);
  // Offsets change at most a few times a year and never twice within a day.
  for (let next = t + DAY; t < end; t = next, next += DAY) {
    const stop = Math.min(next, end);
    const after = zoneOffsetAt(zone, stop);
    if (after === offset) continue;
    let lo = t / MINUTE;
    let hi = stop / MINUTE;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (zoneOffsetAt(zone, mid * MINUTE) === offset) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi * MINUTE, from: offset, to: zoneOffsetAt(zone, hi * MINUTE) });
    offset = after;
  }
  transitionCache.set(key, out);
  return out;
}

export interface Mismatch {
  /** Minutes of the year in which the rule shows another time than the zone. */
  wrongMinutes: number;
  /** Largest difference, in minutes. */
  worst: number;
}

/**
 * How far a phone rule is from a zone over a year: both are constant between their change
 * instants, so comparing at each change (and just before it) covers every minute of the year.
 */
export function compareRule(rule: ClockRule, zone: string, year: number): Mismatch {
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  const own = dstInstants(rule, year);
  const breaks = [...new Set([from, to, ...zoneTransitions(zone, year).map((t) => t.at), ...(own ? [own.start, own.end] : [])])]
    .filter((b) => b >= from && b <= to)
    .sort((a, b) => a - b);
  let wrongMinutes = 0;
  let worst = 0;
  for (let i = 0; i + 1 < breaks.length; i++) {
    const diff = Math.abs(ruleOffsetAt(rule, breaks[i]!) - zoneOffsetAt(zone, breaks[i]!));
    if (diff > 0) wrongMinutes += (breaks[i + 1]! - breaks[i]!) / MINUTE;
    worst = Math.max(worst, diff);
  }
  return { wrongMinutes, worst };
}
