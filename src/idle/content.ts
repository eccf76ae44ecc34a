/**
 * The words of the idle screen for one moment, language and time zone: the clock, the date and
 * the event rows. Pure; the formats come from Intl, so each language gets its own conventions.
 */
import type { UpcomingEvent } from '../calendar/events.js';
import type { Language } from '../i18n/messages.js';
import type { EventRow } from '../render/scene.js';
import { idleText } from './messages.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** Intl.DateTimeFormat is slow to build; one per (language, zone, options) is kept. */
function format(language: Language, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { ...options, timeZone });
    formats.set(key, f);
  }
  return f;
}

const zones = new Map<string, string>();

/** An IANA zone Intl knows, else UTC (a typo in the config must not break the screen). */
export function safeTimeZone(timeZone: string): string {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      zone = timeZone;
    } catch {
      zone = 'UTC';
    }
    if (zones.size < 1000) zones.set(timeZone, zone);
  }
  return zone;
}

export interface ClockText {
  /** "14:05" or "2:05". */
  time: string;
  /** "PM" on a 12-hour clock. */
  period?: string;
}

/** 24-hour times get a leading zero (09:00), 12-hour ones do not (9:00 AM). */
function timeOptions(language: Language, hour12: boolean | undefined): Intl.DateTimeFormatOptions {
  const twelve = hour12 ?? language === 'en';
  return { hour: twelve ? 'numeric' : '2-digit', minute: '2-digit', hour12: twelve };
}

export function clockText(now: Date, language: Language, timeZone: string, hour12?: boolean): ClockText {
  const parts = format(language, timeZone, timeOptions(language, hour12)).formatToParts(now);
  const period = parts.find((p) => p.type === 'dayPeriod')?.value;
  const time = parts
    .filter((p) => p.type !== 'dayPeriod')
    .map((p) => p.value)
    .join('')
    .trim();
  return { time, ...(period ? { period } : {}) };
}

/** "Tuesday, June 3, 2025" / "Dienstag, 3. Juni 2025"; short: "Tue, Jun 3" / "Di., 3. Juni". */
export function dateText(now: Date, language: Language, timeZone: string, short: boolean): string {
  const options: Intl.DateTimeFormatOptions = short
    ? { weekday: 'short', day: 'numeric', month: 'short' }
    : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
  return format(language, timeZone, options).format(now);
}

/** Days from `now`'s calendar day to `then`'s, both in `timeZone`. */
function dayDiff(now: Date, then: Date, timeZone: string): number {
  const day = (d: Date): number => {
    const p = Object.fromEntries(format('en', timeZone, { year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(d).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day'])) / 86_400_000;
  };
  return day(then) - day(now);
}

/**
 * One row per event: when (Now / 14:30 today, Wed 09:00 this week, 12 Jun later; all-day events:
 * Today, Tomorrow, a weekday or a date) and the title with its location.
 */
export function eventRows(events: readonly UpcomingEvent[], now: Date, language: Language, timeZone: string, hour12?: boolean): EventRow[] {
  return events.map((e) => {
    const title = e.location ? `${e.title} · ${e.location}` : e.title;
    const started = e.start.getTime() <= now.getTime();
    const days = started ? 0 : dayDiff(now, e.start, timeZone);
    const weekday = (): string => format(language, timeZone, { weekday: 'short' }).format(e.start);
    const date = (): string => format(language, timeZone, { day: 'numeric', month: 'short' }).format(e.start);
    let when: string;
    let short: string | undefined;
    if (e.allDay) {
      when = days === 0 ? idleText(language, 'today') : days === 1 ? idleText(language, 'tomorrow') : days < 7 ? weekday() : date();
    } else {
      const parts = format(language, timeZone, timeOptions(language, hour12)).formatToParts(e.start);
      const time = parts.map((p) => p.value).join('');
      // Without AM/PM, for narrow displays: the day and the digits matter most at a glance.
      const digits = parts.filter((p) => p.type !== 'dayPeriod').map((p) => p.value).join('').trim();
      if (started) when = idleText(language, 'now');
      else if (days === 0) [when, short] = [time, digits];
      else if (days < 7) [when, short] = [`${weekday()} ${time}`, `${weekday()} ${digits}`];
      else when = date();
    }
    return short && short !== when ? { when, short, title } : { when, title };
  });
}
