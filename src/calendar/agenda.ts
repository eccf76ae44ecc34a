/**
 * The agenda as text: days in the phone's time zone, one line per event and day, and the detail
 * page of one event. Pure functions; the service turns them into phone objects.
 */
import type { Language } from '../i18n/messages.js';
import type { PhoneEvent } from './events.js';
import { calendarText } from './messages.js';
import { startOfDay, wallTime } from './zones.js';

/** Today and the next 7 days. */
export const AGENDA_DAYS = 8;

export interface AgendaDay {
  /** `YYYY-MM-DD` in the phone's zone. */
  key: string;
  /** 0 = today. */
  offset: number;
  start: number;
  end: number;
}

export interface AgendaLine {
  event: PhoneEvent;
  text: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of an instant in a zone. */
export function dayKey(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The day `key` (`YYYY-MM-DD`) as [midnight, next midnight) in a zone, or undefined for a malformed key. */
export function dayOf(key: string, zone: string, offset = 0): AgendaDay | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const next = new Date(Date.UTC(y, mo - 1, d + 1));
  return {
    key,
    offset,
    start: startOfDay(y, mo, d, zone),
    end: startOfDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), zone),
  };
}

/** Today and the following days in a zone (each day's own length, so DST days are 23 or 25 hours). */
export function agendaDays(now: number, zone: string, count = AGENDA_DAYS): AgendaDay[] {
  const today = wallTime(now, zone);
  const days: AgendaDay[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    days.push(dayOf(`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, zone, i)!);
  }
  return days;
}

export function clockTime(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

function dateText(ms: number, zone: string, language: Language, long: boolean): string {
  const w = wallTime(ms, zone);
  const weekday = calendarText(language, 'weekdays').split(',')[w.weekday] ?? '';
  return calendarText(language, long ? 'longDate' : 'date', { weekday, day: w.day, month: w.month, year: w.year });
}

/** "Today, Fri 10/23", "Tomorrow, …", "Tue 10/27". */
export function dayLabel(day: AgendaDay, zone: string, language: Language): string {
  const date = dateText(day.start, zone, language, false);
  if (day.offset === 0) return `${calendarText(language, 'today')}, ${date}`;
  if (day.offset === 1) return `${calendarText(language, 'tomorrow')}, ${date}`;
  return date;
}

function titleOf(event: PhoneEvent, language: Language): string {
  return event.title || calendarText(language, 'noTitle');
}

/**
 * The events of one day, one line each: "14:00 Dentist" when it starts that day, "until 17:00
 * Fair" on the last day of a longer event, "All day: Holiday" for all-day events and the middle
 * days of long ones. All-day lines come first.
 */
export function dayLines(events: readonly PhoneEvent[], day: AgendaDay, zone: string, language: Language): AgendaLine[] {
  const lines: (AgendaLine & { order: number })[] = [];
  for (const event of events) {
    const s = event.start.getTime();
    const e = event.end.getTime();
    const inDay = s < day.end && (e > day.start || (s >= day.start && e === s));
    if (!inDay) continue;
    const title = titleOf(event, language);
    let text: string;
    let order: number;
    if (!event.allDay && s >= day.start) {
      text = `${clockTime(s, zone)} ${title}`;
      order = s;
    } else if (!event.allDay && e < day.end) {
      text = calendarText(language, 'untilItem', { time: clockTime(e, zone), title });
      order = day.start;
    } else {
      text = calendarText(language, 'allDayItem', { title });
      order = day.start - 1;
    }
    lines.push({ event, text, order });
  }
  return lines.sort((a, b) => a.order - b.order).map(({ event, text }) => ({ event, text }));
}

/** When an event takes place, in one or two lines. */
function whenText(event: PhoneEvent, zone: string, language: Language): string {
  const s = event.start.getTime();
  const e = event.end.getTime();
  if (event.allDay) {
    const first = dateText(s, zone, language, true);
    // The end of an all-day event is the midnight after its last day.
    const last = dateText(e - 1, zone, language, true);
    return first === last ? `${first}\n${calendarText(language, 'allDay')}` : `${first} -\n${last}\n${calendarText(language, 'allDay')}`;
  }
  const sameDay = dayKey(s, zone) === dayKey(Math.max(s, e - 1), zone);
  if (sameDay) return `${dateText(s, zone, language, true)}\n${clockTime(s, zone)}${e > s ? ` - ${clockTime(e, zone)}` : ''}`;
  return `${dateText(s, zone, language, true)} ${clockTime(s, zone)} -\n${dateText(e, zone, language, true)} ${clockTime(e, zone)}`;
}

/** The detail page: when, where, which calendar, and the description. */
export function eventText(event: PhoneEvent, zone: string, language: Language, dialNumber?: string): string {
  const parts = [whenText(event, zone, language)];
  if (event.location) parts.push(calendarText(language, 'place', { place: event.location }));
  parts.push(calendarText(language, 'calendar', { calendar: event.calendar }));
  if (dialNumber) parts.push(calendarText(language, 'dialIn', { number: dialNumber }));
  let text = parts.join('\n');
  if (event.description) text += `\n\n${event.description.replace(/\r\n?/g, '\n')}`;
  return text;
}

/** Splits a text into pages of at most `limit` characters, at line breaks or spaces where possible. */
export function splitText(text: string, limit: number): string[] {
  const pages: string[] = [];
  let rest = [...text];
  while (rest.length > limit) {
    const window = rest.slice(0, limit).join('');
    let cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) cut = limit;
    const head = [...window.slice(0, cut)];
    pages.push(head.join('').trimEnd());
    rest = rest.slice(head.length);
    while (rest[0] === '\n' || rest[0] === ' ') rest = rest.slice(1);
  }
  pages.push(rest.join(''));
  return pages;
}
