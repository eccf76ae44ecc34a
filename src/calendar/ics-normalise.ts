/**
 * Makes iCalendar text as real programs write it fit for ical.js, and names what it had to leave
 * out (per event, through UnreadItems):
 *
 * - RFC 5545 §3.1: lines unfolded (unfoldLines); a line without a colon (`SUMMARY=x`) is no content
 *   line and is left out.
 * - RFC 5545 §2 ("enumerated property values … are case-insensitive") and §3.3.10: repeat rules
 *   and date-time values are upper-cased (`RRULE:FREQ=Weekly` from Apple iCal 1.0, `…t100000z`).
 * - Structure: text outside BEGIN:VCALENDAR … END:VCALENDAR is left out; an END that names no open
 *   component (`END:VCALENDARD`) closes the innermost one; the end of the text closes what is open.
 * - `strict`: each property is parsed on its own first and left out when ical.js cannot read it
 *   (used only after the whole text failed, so one bad value costs that value, not the event).
 */
import ICAL from 'ical.js';
import { splitContentLine, unfoldLines } from '../sources/content-line.js';
import { itemName, type UnreadItems } from '../sources/unread.js';
import { UnreadableContentError } from '../errors.js';

/** How warnings name an event: its title and UID, else its place among the text's events. */
export function eventName(summary: string | undefined, uid: string | undefined, position: number): string {
  return itemName('event', summary, uid, position);
}

/** Properties whose values are repeat rules or dates: no case-sensitive text in them. */
const UPPER_VALUE = new Set(['RRULE', 'EXRULE', 'DTSTART', 'DTEND', 'DUE', 'RDATE', 'EXDATE', 'RECURRENCE-ID', 'DTSTAMP', 'CREATED', 'LAST-MODIFIED']);
/** Where a problem below an event is reported; components the agenda does not read (VTODO…) are not. */
const REPORTED: Record<string, string> = { VCALENDAR: '', VTIMEZONE: 'time zone' };

interface Frame {
  name: string;
  /** The item this component belongs to (its own, or its enclosing event's). */
  item?: { summary?: string; uid?: string; problems: string[]; position: number };
}

/** The text ical.js can read, or UnreadableContentError when it is no iCalendar at all. */
export function normaliseICalendar(text: string, unread: UnreadItems, strict = false): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  let events = 0;
  let outside = 0;
  let sawCalendar = false;
  const close = (frame: Frame, complete: boolean): void => {
    out.push(`END:${frame.name}`);
    const item = frame.item;
    if (!item || frame.name !== 'VEVENT' || stack.length !== 1) return;
    if (!complete) item.problems.push('the text ends inside it (no END:VEVENT)');
    if (item.problems.length) unread.add(eventName(item.summary, item.uid, item.position), item.problems.join('; '));
  };
  const problem = (frame: Frame, reason: string): void => {
    const where = REPORTED[frame.name];
    if (frame.item) frame.item.problems.push(reason);
    else if (where !== undefined) unread.add(where, reason);
  };
  for (const { line, at } of unfoldLines(text)) {
    if (!line.trim()) continue;
    const parts = splitContentLine(line);
    const head = parts?.[0].trim().toUpperCase();
    const value = parts?.[1].trim() ?? '';
    if (head === 'BEGIN') {
      const name = value.toUpperCase();
      if (stack.length === 0 && name !== 'VCALENDAR') {
        outside++;
        continue;
      }
      if (name === 'VCALENDAR') sawCalendar = true;
      const parent = stack[stack.length - 1]?.item;
      const item = name === 'VEVENT' && stack.length === 1 ? { problems: [], position: ++events } : parent;
      stack.push({ name, ...(item ? { item } : {}) });
      out.push(`BEGIN:${name}`);
      continue;
    }
    if (stack.length === 0) {
      outside++;
      continue;
    }
    const frame = stack[stack.length - 1]!;
    if (head === 'END') {
      // Close up to the named component; an unknown name (a typo) closes the innermost one.
      const name = value.toUpperCase();
      const index = stack.map((f) => f.name).lastIndexOf(name);
      const from = index < 0 ? stack.length - 1 : index;
      while (stack.length > from) {
        const f = stack.pop()!;
        close(f, stack.length === from);
      }
      continue;
    }
    if (!parts) {
      problem(frame, `line ${at} "${line.slice(0, 40)}" has no colon, left out`);
      continue;
    }
    const [rawHead, rawValue] = parts;
    const name = (rawHead.split(';')[0] ?? '').toUpperCase();
    const fixed = UPPER_VALUE.has(name) ? `${rawHead}:${rawValue.toUpperCase()}` : line;
    if (strict) {
      try {
        ICAL.parse.property(fixed);
      } catch (err) {
        problem(frame, `${name} not read (${(err as Error).message.split('\n')[0]})`);
        continue;
      }
    }
    if (frame.item && stack.length === 2) {
      if (name === 'UID') frame.item.uid = rawValue.trim();
      // RFC 5545 §3.3.11 escapes, so the name matches the one the parsed event gives.
      else if (name === 'SUMMARY') frame.item.summary = rawValue.trim().replace(/\\([,;\\])/g, '$1');
    }
    out.push(fixed);
  }
  while (stack.length) close(stack.pop()!, false);
  if (!sawCalendar) throw new UnreadableContentError('not iCalendar (no BEGIN:VCALENDAR)');
  if (outside) unread.add('', `${outside} line(s) outside BEGIN:VCALENDAR … END:VCALENDAR left out`);
  return out.join('\r\n') + '\r\n';
}
