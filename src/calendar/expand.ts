/**
 * iCalendar text → occurrences in a time window, with ical.js (RFC 5545): RRULE/RDATE series,
 * EXDATE exceptions, RECURRENCE-ID overrides (moved or changed occurrences), all-day and
 * multi-day events, time zones with or without a VTIMEZONE, and STATUS:CANCELLED left out.
 */
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import type { Occurrence } from './events.js';
import { dropUnreadableProperties } from '../sources/ical-values.js';
import { UnreadItems } from '../sources/unread.js';
import { eventName, normaliseICalendar } from './ics-normalise.js';
import { createSlicer } from '../sources/slices.js';
import { ensureZoneRegistered, zonedInstant } from './zones.js';
import { UnreadableContentError } from '../errors.js';

/** One series (or single event) of a calendar: the master VEVENT and its overrides. */
export interface ParsedEvent {
  event: ICAL.Event;
  calendar: string;
  source: string;
}

/** A cap on occurrences walked per series, so an hourly rule from 1990 cannot stall the server. */
const MAX_ITERATIONS = 50_000;
/** Most occurrences one series contributes to an expansion window; the rest are left out with a warning. */
export const MAX_OCCURRENCES_PER_EVENT = 1_000;
/** Most occurrences one source contributes to an expansion window; later series are left out with a warning. */
export const MAX_OCCURRENCES_PER_SOURCE = 20_000;
/**
 * Most recurrence steps (instances walked, inside the window or not) spent on one source per
 * expansion: the CPU a calendar can cost is bounded too, not only what it shows.
 */
export const MAX_STEPS_PER_SOURCE = 100_000;
/** Rules this frequent are ignored (the event shows once, at its start), with a warning naming it. */
const IGNORED_FREQUENCIES = new Set(['SECONDLY', 'MINUTELY']);
/** Series iterations between two chances to give the event loop back. */
const STEPS_PER_CHECK = 32;
const DAY = 86_400_000;

/** Reports something left out of a calendar (the store logs each message once). */
export type CalendarWarning = (message: string) => void;

const TZID_PROPERTIES = ['dtstart', 'dtend', 'due', 'exdate', 'rdate', 'recurrence-id'];
/** What expansion reads of an event: checked when parsing, so a bad value loses only itself. */
const TIME_PROPERTIES = ['dtstart', 'dtend', 'duration', 'rrule', 'exrule', 'rdate', 'exdate', 'recurrence-id'];

/**
 * Every VCALENDAR in a text (a feed may concatenate several), after the normaliser. ical.js rejects
 * a whole text for one bad value; the text is then read again property by property, so a bad
 * value loses itself, not its event or the calendar.
 */
function calendarsIn(text: string, where: string): { calendars: ICAL.Component[]; unread: UnreadItems } {
  let unread = new UnreadItems(where);
  let parsed: unknown;
  try {
    parsed = ICAL.parse(normaliseICalendar(text, unread));
  } catch (err) {
    if (err instanceof UnreadableContentError) throw err;
    unread = new UnreadItems(where);
    parsed = ICAL.parse(normaliseICalendar(text, unread, true));
  }
  const list = (Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed : [parsed]) as unknown[];
  return { calendars: list.map((jcal) => new ICAL.Component(jcal as never)).filter((c) => c.name === 'vcalendar'), unread };
}

/** Registers zones for TZIDs the calendar names but does not define (RFC 5545 §3.2.19). */
function registerMissingZones(defined: ReadonlySet<string>, vevent: ICAL.Component): void {
  for (const name of TZID_PROPERTIES) {
    for (const prop of vevent.getAllProperties(name)) {
      const tzid = prop.getParameter('tzid');
      if (typeof tzid === 'string' && !defined.has(tzid)) ensureZoneRegistered(tzid);
    }
  }
}

/**
 * Parses calendar text into series: VEVENTs grouped by UID, each master related to its own
 * overrides only (ical.js would otherwise relate every RECURRENCE-ID of the file to every
 * master). An override without a master stands alone. `where` names the file or resource in the
 * lines of `unread` (one per event skipped or read in part); text that is no iCalendar at all
 * throws UnreadableContentError.
 */
export function parseEvents(body: string, calendar: string, source: string, where: string): { events: ParsedEvent[]; unread: string[] } {
  return finish(parseSteps(body, calendar, source, where));
}

/**
 * parseEvents for the server: the series are built in slices (slices.ts), so a large feed does
 * not hold the event loop while its events are read.
 */
export async function parseEventsInSlices(body: string, calendar: string, source: string, where: string): Promise<{ events: ParsedEvent[]; unread: string[] }> {
  const slice = createSlicer();
  const steps = parseSteps(body, calendar, source, where);
  let step = steps.next();
  for (; !step.done; step = steps.next()) await slice();
  return step.value;
}

/** Runs a stepping generator to its end at once. */
function finish<T>(steps: Generator<void, T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** parseEvents as a generator that yields after each event. */
function* parseSteps(body: string, calendar: string, source: string, where: string): Generator<void, { events: ParsedEvent[]; unread: string[] }> {
  const events: ParsedEvent[] = [];
  const { calendars, unread } = calendarsIn(body, where);
  let position = 0;
  for (const vcalendar of calendars) {
    const defined = new Set(vcalendar.getAllSubcomponents('vtimezone').map((z) => String(z.getFirstPropertyValue('tzid'))));
    const byUid = new Map<string, { master?: ICAL.Component; overrides: ICAL.Component[]; position: number }>();
    for (const vevent of vcalendar.getAllSubcomponents('vevent')) {
      position++;
      registerMissingZones(defined, vevent);
      const uid = vevent.getFirstPropertyValue('uid');
      const name = eventName(text(vevent, 'summary'), uid ? String(uid) : undefined, position);
      for (const reason of dropUnreadableProperties(vevent, TIME_PROPERTIES)) unread.add(name, reason);
      if (!vevent.hasProperty('dtstart')) {
        // RFC 5545 §3.6.1: DTSTART is required (in a calendar without METHOD).
        unread.add(name, 'no start (DTSTART), left out');
        continue;
      }
      const key = uid ? String(uid) : `#${position}`;
      const group = byUid.get(key) ?? { overrides: [], position };
      if (vevent.hasProperty('recurrence-id')) group.overrides.push(vevent);
      else group.master = vevent;
      byUid.set(key, group);
      yield;
    }
    for (const { master, overrides, position: at } of byUid.values()) {
      if (master) {
        lenientUntil(master);
        dropTooFrequentRules(master, unread, at);
        const event = new ICAL.Event(master, { exceptions: overrides });
        const broken = brokenRecurrence(event);
        if (broken) {
          // An unusable rule loses the rule, not the event: DTSTART stays the first occurrence.
          for (const name of ['rrule', 'exrule', 'rdate']) master.removeAllProperties(name);
          unread.add(eventName(event.summary, event.uid, at), `repeat rule not usable (${broken}), only the first occurrence is shown`);
        }
        events.push({ event: broken ? new ICAL.Event(master, { exceptions: overrides }) : event, calendar, source });
      } else {
        for (const o of overrides) events.push({ event: new ICAL.Event(o, { exceptions: [] }), calendar, source });
      }
      yield;
    }
  }
  return { events, unread: unread.lines() };
}

/** Why a series cannot be walked (ical.js throws on some rules only when iterating), or undefined. */
function brokenRecurrence(event: ICAL.Event): string | undefined {
  if (!event.isRecurring()) return undefined;
  try {
    const iterator = event.iterator();
    iterator.next();
    iterator.next();
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

/**
 * RFC 5545 §3.3.10 wants UNTIL to be a date-time when DTSTART is one; some producers write a bare
 * date. ical.js would then end the series at that day's midnight; the whole day is meant.
 */
function lenientUntil(master: ICAL.Component): void {
  const start = master.getFirstPropertyValue('dtstart') as ICAL.Time | null;
  if (!start || start.isDate) return;
  for (const prop of master.getAllProperties('rrule')) {
    const rule = prop.getFirstValue() as ICAL.Recur;
    if (!rule.until?.isDate) continue;
    const until = start.clone();
    until.year = rule.until.year;
    until.month = rule.until.month;
    until.day = rule.until.day;
    until.hour = 23;
    until.minute = 59;
    until.second = 59;
    rule.until = until;
  }
}

/**
 * SECONDLY and MINUTELY rules (RFC 5545 §3.3.10) are ignored: no phone agenda needs them, and one
 * such rule can ask for tens of thousands of instances a day. The event keeps its first instance;
 * one line names it.
 */
function dropTooFrequentRules(master: ICAL.Component, unread: UnreadItems, position: number): void {
  for (const prop of master.getAllProperties('rrule')) {
    const freq = (prop.getFirstValue() as ICAL.Recur).freq;
    if (!IGNORED_FREQUENCIES.has(freq)) continue;
    master.removeProperty(prop);
    const uid = master.getFirstPropertyValue('uid');
    unread.add(eventName(text(master, 'summary'), uid ? String(uid) : undefined, position), `repeats ${freq}: the rule is ignored, the event is shown once at its start`);
  }
}

function isCancelled(component: ICAL.Component): boolean {
  return String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

/** The instant of a date-time; floating times (no zone, or an unknown TZID) are read in `floatingZone`. */
function instantOf(time: ICAL.Time, floatingZone: string): number {
  const zone = time.zone;
  if (!zone || zone.tzid === 'floating') {
    return zonedInstant(time.year, time.month, time.day, time.hour, time.minute, time.second, floatingZone);
  }
  return time.toUnixTime() * 1000;
}

function dateOf(time: ICAL.Time): number {
  return Date.UTC(time.year, time.month - 1, time.day);
}

function text(component: ICAL.Component, name: string): string | undefined {
  const value = component.getFirstPropertyValue(name);
  const s = typeof value === 'string' ? value.trim() : undefined;
  return s ? s : undefined;
}

function occurrenceId(source: string, uid: string, recurrenceId: string): string {
  return createHash('sha1').update(`${source}\n${uid}\n${recurrenceId}`).digest('base64url').slice(0, 12);
}

/** Builds one occurrence from the component that describes it (master or override). */
function occurrence(
  parsed: ParsedEvent,
  item: ICAL.Event,
  start: ICAL.Time,
  end: ICAL.Time | undefined,
  recurrenceId: string,
  floatingZone: string,
): Occurrence | undefined {
  if (isCancelled(item.component)) return undefined;
  const allDay = start.isDate;
  let s: number;
  let e: number;
  if (allDay) {
    s = dateOf(start);
    // RFC 5545 §3.6.1: a date DTSTART without DTEND/DURATION lasts one day.
    e = end ? dateOf(end) : s + DAY;
    if (e <= s) e = s + DAY;
  } else {
    s = instantOf(start, floatingZone);
    e = end ? instantOf(end, floatingZone) : s;
    if (e < s) e = s;
  }
  const location = text(item.component, 'location');
  const description = text(item.component, 'description');
  return {
    id: occurrenceId(parsed.source, parsed.event.uid ?? '', recurrenceId),
    calendar: parsed.calendar,
    source: parsed.source,
    title: text(item.component, 'summary') ?? '',
    ...(location ? { location } : {}),
    ...(description ? { description } : {}),
    allDay,
    start: s,
    end: e,
  };
}

/** Whether an occurrence overlaps [from, to). All-day dates get a day of slack for zones east/west of UTC. */
function overlaps(o: Occurrence, from: number, to: number): boolean {
  const slack = o.allDay ? DAY : 0;
  return o.start < to + slack && o.end > from - slack && (o.end > o.start || o.start >= from);
}

/** The occurrences of one series in a window; `capped` when more were left out. */
interface SeriesResult {
  occurrences: Occurrence[];
  capped: boolean;
}

/** Recurrence steps a source may still spend; the walk stops when none are left. */
interface StepBudget {
  left: number;
}

/**
 * The occurrences of one series that overlap [from, to) (ms), at most `limit` of them. Series are
 * walked from their start, so an occurrence that began before `from` and is still running is
 * found as well. A generator: it yields every few instances so the caller can give the event
 * loop back during a long walk.
 */
function* expandEvent(parsed: ParsedEvent, from: number, to: number, floatingZone: string, limit: number, budget: StepBudget): Generator<void, SeriesResult> {
  const { event } = parsed;
  const found: Occurrence[] = [];
  let capped = false;
  const result = (): SeriesResult => ({ occurrences: found, capped });
  if (isCancelled(event.component)) return result();
  const add = (o: Occurrence | undefined): void => {
    if (!o || !overlaps(o, from, to)) return;
    if (found.length < limit) found.push(o);
    else capped = true;
  };
  if (!event.isRecurring()) {
    add(occurrence(parsed, event, event.startDate, endOf(event), event.startDate.toString(), floatingZone));
    return result();
  }
  /** Instances already built, by start (raw instant or date). */
  const seen = new Set<number>();
  const rawOf = (time: ICAL.Time): number => (time.isDate ? dateOf(time) : instantOf(time, floatingZone));
  // A raw occurrence later than this cannot overlap the window (all-day dates carry a day of slack).
  const stopAt = to + DAY;
  // One that ended before this cannot either, unless an override moves it: such instances are
  // passed over without building them, which keeps years-old series cheap.
  const end = endOf(event);
  const passBefore = from - DAY - (end ? Math.max(0, rawOf(end) - rawOf(event.startDate)) : 0);
  const overridden = new Set(Object.values(event.exceptions).map((o) => rawOf(o.recurrenceId)));
  const plain = event.rangeExceptions.length === 0;
  /** One instance of the set; false once past the window. An instance given twice counts once. */
  const visit = (next: ICAL.Time): boolean => {
    const rawStart = rawOf(next);
    if (rawStart >= stopAt) return false;
    if (rawStart < passBefore && plain && !overridden.has(rawStart)) return true;
    if (seen.has(rawStart)) return true;
    seen.add(rawStart);
    const details = event.getOccurrenceDetails(next);
    add(occurrence(parsed, details.item, details.startDate, details.endDate, next.toString(), floatingZone));
    return true;
  };
  // RFC 5545 §3.8.5.3: DTSTART is always the first instance, also when only RDATEs follow or the
  // RRULE does not match it (ical.js's iterator skips it then).
  if (!excluded(event.component, event.startDate)) visit(event.startDate);
  const walkFrom = plain ? laterStart(event, passBefore, rawOf) : undefined;
  const iterator = event.iterator(walkFrom);
  for (let i = 0, next = iterator.next(); next && i < MAX_ITERATIONS && !capped && budget.left > 0; i++, next = iterator.next()) {
    budget.left--;
    if (!visit(next)) break;
    if (i % STEPS_PER_CHECK === 0) yield;
  }
  // RFC 5545 §3.8.4.4: an override may move an occurrence into the window from after it, or from
  // before a walk that started late. (The walk itself handled the overrides of the instances it met.)
  const walked = walkFrom ? rawOf(walkFrom) : -Infinity;
  for (const [recurrenceId, override] of Object.entries(event.exceptions)) {
    const rid = rawOf(override.recurrenceId);
    if (seen.has(rid) || (rid >= walked && rid < stopAt)) continue;
    add(occurrence(parsed, override, override.startDate, endOf(override), recurrenceId, floatingZone));
  }
  return result();
}

/**
 * Where to start walking a long-running HOURLY, DAILY or WEEKLY series without COUNT: DTSTART
 * moved on by whole periods (wall-clock hours or days, as ical.js steps, so DST does not shift
 * it) to shortly before `before`. The instances from there are exactly the series' own, so years
 * of history are not walked hourly.
 */
function laterStart(event: ICAL.Event, before: number, rawOf: (time: ICAL.Time) => number): ICAL.Time | undefined {
  const rules = event.component.getAllProperties('rrule');
  if (rules.length !== 1) return undefined;
  const rule = rules[0]!.getFirstValue() as ICAL.Recur;
  const hours = { HOURLY: 1, DAILY: 24, WEEKLY: 7 * 24 }[rule.freq as string];
  if (rule.count || hours === undefined || rule.parts.BYSETPOS) return undefined;
  const periodHours = hours * (rule.interval || 1);
  // One period of margin for DST and the day of slack all-day dates get.
  const periods = Math.floor((before - DAY - rawOf(event.startDate)) / (periodHours * 3600_000)) - 1;
  if (periods < 1) return undefined;
  const start = event.startDate.clone();
  if (hours === 1) start.adjust(0, periods * periodHours, 0, 0);
  else start.adjust((periods * periodHours) / 24, 0, 0, 0);
  return start;
}

/** Whether an EXDATE removes this instance (a date-only EXDATE removes that whole day). */
function excluded(component: ICAL.Component, time: ICAL.Time): boolean {
  return component.getAllProperties('exdate').some((prop) =>
    prop.getValues().some((value) => {
      const x = value as ICAL.Time;
      return x.isDate ? dateOf(x) === dateOf(time) : x.compare(time) === 0;
    }),
  );
}

function endOf(event: ICAL.Event): ICAL.Time | undefined {
  const c = event.component;
  return c.hasProperty('dtend') || c.hasProperty('duration') ? event.endDate : undefined;
}

/**
 * Every occurrence of these series overlapping [from, to), sorted by start: at most
 * MAX_OCCURRENCES_PER_EVENT per series, MAX_OCCURRENCES_PER_SOURCE and MAX_STEPS_PER_SOURCE per
 * source, each cut reported through `warn`. Runs in slices (slices.ts), so a hostile calendar never holds the
 * event loop for long.
 */
export async function expandAll(
  events: readonly ParsedEvent[],
  from: number,
  to: number,
  floatingZone: string,
  warn: CalendarWarning = () => undefined,
): Promise<Occurrence[]> {
  const slice = createSlicer();
  const all: Occurrence[] = [];
  const perSource = new Map<string, number>();
  const budgets = new Map<string, StepBudget>();
  const full = new Set<string>();
  const days = Math.round((to - from) / DAY);
  const sourceFull = (source: string, what: string): void => {
    if (!full.has(source)) warn(`${source}: ${what}; the rest of this calendar is left out`);
    full.add(source);
  };
  for (const e of events) {
    if (full.has(e.source)) continue;
    const used = perSource.get(e.source) ?? 0;
    const limit = Math.min(MAX_OCCURRENCES_PER_EVENT, MAX_OCCURRENCES_PER_SOURCE - used);
    let budget = budgets.get(e.source);
    if (!budget) budgets.set(e.source, (budget = { left: MAX_STEPS_PER_SOURCE }));
    try {
      const walk = expandEvent(e, from, to, floatingZone, limit, budget);
      let step = walk.next();
      for (; !step.done; step = walk.next()) await slice();
      const { occurrences, capped } = step.value;
      perSource.set(e.source, used + occurrences.length);
      all.push(...occurrences);
      if (budget.left <= 0) sourceFull(e.source, `its recurring events need more than ${MAX_STEPS_PER_SOURCE} steps to expand`);
      else if (capped && limit < MAX_OCCURRENCES_PER_EVENT) sourceFull(e.source, `more than ${MAX_OCCURRENCES_PER_SOURCE} occurrences in ${days} days`);
      else if (capped) warn(`${e.source}: ${eventName(e.event.summary, e.event.uid, 0)} has more than ${limit} occurrences in ${days} days; only the first ${limit} are shown`);
      else if (used + occurrences.length >= MAX_OCCURRENCES_PER_SOURCE) full.add(e.source);
    } catch {
      // One broken event (an invalid RRULE, a bad date) must not hide the rest of the calendar.
    }
    await slice();
  }
  return all.sort((a, b) => a.start - b.start || a.title.localeCompare(b.title));
}
