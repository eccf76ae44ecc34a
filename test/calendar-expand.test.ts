/**
 * Expansion and formatting without servers: time zones without VTIMEZONE (IANA and Windows
 * names), cancelled overrides, moved occurrences, multi-day lines, DST edges and dial-ins. The
 * process runs in a third zone so nothing depends on the machine's own time zone.
 */
process.env.TZ = 'America/Los_Angeles';

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agendaDays, dayLines } from '../src/calendar/agenda.js';
import { findDialIn } from '../src/calendar/dial-in.js';
import type { PhoneEvent } from '../src/calendar/events.js';
import { expandAll, parseEvents } from '../src/calendar/expand.js';
import { ianaZoneFor, zonedInstant } from '../src/calendar/zones.js';
import { createDialer } from '../src/contacts/dialing.js';
import { FIXED_NOW, FIXTURE_OBJECTS, fixtureFeed } from './helpers/calendar-fixture.js';

const DAY = 86_400_000;
const from = FIXED_NOW.getTime() - 2 * DAY;
const to = FIXED_NOW.getTime() + 10 * DAY;

function cal(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

function expand(text: string): [string, string, boolean][] {
  return expandAll(parseEvents(text, 'Cal', 'src', 'test.ics').events, from, to, 'Europe/Berlin').map((o) => [o.title, new Date(o.start).toISOString(), o.allDay]);
}

test('the fixture expands to the same instants as separate objects and as one feed', () => {
  const objects = expandAll(Object.values(FIXTURE_OBJECTS).flatMap((t) => parseEvents(t, 'Work', 'w', 'object.ics').events), from, to, 'UTC');
  const feed = expandAll(parseEvents(fixtureFeed(), 'Work', 'w', 'feed.ics').events, from, to, 'UTC');
  const key = (o: { title: string; start: number; end: number }) => `${o.title} ${new Date(o.start).toISOString()} ${new Date(o.end).toISOString()}`;
  assert.deepEqual(objects.map(key), feed.map(key));
  assert.deepEqual(objects.map(key), [
    'Team meeting 2026-10-21T07:00:00.000Z 2026-10-21T07:30:00.000Z',
    'Team meeting 2026-10-23T07:00:00.000Z 2026-10-23T07:30:00.000Z',
    'New York call 2026-10-23T14:00:00.000Z 2026-10-23T15:00:00.000Z',
    'Company holiday 2026-10-27T00:00:00.000Z 2026-10-28T00:00:00.000Z',
    'Trade fair 2026-10-28T00:00:00.000Z 2026-10-31T00:00:00.000Z',
    'Team meeting (moved) 2026-10-29T09:00:00.000Z 2026-10-29T09:30:00.000Z',
    'Team meeting 2026-10-30T08:00:00.000Z 2026-10-30T08:30:00.000Z',
    'New York call 2026-10-30T14:00:00.000Z 2026-10-30T15:00:00.000Z',
  ]);
  // Occurrence ids are stable between parses (the agenda's URLs carry them).
  assert.deepEqual(objects.map((o) => o.id), expandAll(Object.values(FIXTURE_OBJECTS).flatMap((t) => parseEvents(t, 'Work', 'w', 'object.ics').events), from, to, 'UTC').map((o) => o.id));
});

test('a Windows zone name without VTIMEZONE, and floating times in the default zone', () => {
  assert.equal(ianaZoneFor('W. Europe Standard Time'), 'Europe/Berlin');
  assert.equal(ianaZoneFor('/mozilla.org/20050126_1/America/New_York'), 'America/New_York');
  assert.equal(ianaZoneFor('Nowhere Standard Time'), undefined);
  const text = cal(
    'BEGIN:VEVENT', 'UID:w@test', 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID="W. Europe Standard Time":20261026T090000', 'SUMMARY:Outlook', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:f@test', 'DTSTAMP:20260101T000000Z', 'DTSTART:20261026T100000', 'SUMMARY:Floating', 'END:VEVENT',
  );
  assert.deepEqual(expand(text), [
    ['Outlook', '2026-10-26T08:00:00.000Z', false],
    ['Floating', '2026-10-26T09:00:00.000Z', false],
  ]);
});

test('a cancelled override removes one occurrence; an override moved into the window from later is found', () => {
  const text = cal(
    'BEGIN:VEVENT', 'UID:s@test', 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=Europe/Berlin:20260101T080000', 'RRULE:FREQ=DAILY', 'SUMMARY:Standup', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:s@test', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;TZID=Europe/Berlin:20261026T080000', 'DTSTART;TZID=Europe/Berlin:20261026T080000', 'STATUS:CANCELLED', 'SUMMARY:Standup', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:s@test', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;TZID=Europe/Berlin:20261215T080000', 'DTSTART;TZID=Europe/Berlin:20261027T170000', 'SUMMARY:Standup (early)', 'END:VEVENT',
  );
  const days = expand(text).map(([title, start]) => `${start.slice(0, 16)} ${title}`);
  assert.ok(!days.includes('2026-10-26T07:00 Standup'));
  assert.ok(days.includes('2026-10-25T07:00 Standup'));
  assert.ok(days.includes('2026-10-27T16:00 Standup (early)'));
  assert.equal(days.length, 11);
});

test('a broken rule does not hide its event or the others; text that is not iCalendar is refused', () => {
  const text = cal(
    'BEGIN:VEVENT', 'UID:bad@test', 'DTSTAMP:20260101T000000Z', 'DTSTART:20261026T090000Z', 'RRULE:FREQ=SOMETIMES', 'SUMMARY:Bad', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:ok@test', 'DTSTAMP:20260101T000000Z', 'DTSTART:20261026T100000Z', 'SUMMARY:Good', 'END:VEVENT',
  );
  // The unusable rule is dropped: the event keeps its first occurrence (DTSTART).
  assert.deepEqual(expand(text).map(([t, start]) => `${start} ${t}`), ['2026-10-26T09:00:00.000Z Bad', '2026-10-26T10:00:00.000Z Good']);
  assert.throws(() => parseEvents('<html>login</html>', 'Cal', 'src', 'page.html'));
});

test('DST edges: a skipped wall time moves forward, a repeated one takes its first occurrence', () => {
  assert.equal(new Date(zonedInstant(2026, 3, 29, 2, 30, 0, 'Europe/Berlin')).toISOString(), '2026-03-29T01:30:00.000Z');
  assert.equal(new Date(zonedInstant(2026, 10, 25, 2, 30, 0, 'Europe/Berlin')).toISOString(), '2026-10-25T00:30:00.000Z');
  const days = agendaDays(FIXED_NOW.getTime(), 'Europe/Berlin');
  assert.equal(days.length, 8);
  assert.equal(days[2]!.end - days[2]!.start, 25 * 3600_000, 'Sunday 2026-10-25 has 25 hours in Berlin');
});

test('a timed event over several days: start time, whole middle days, then its end', () => {
  const event: PhoneEvent = {
    id: 'x', calendar: 'Cal', title: 'Conference', allDay: false,
    start: new Date('2026-10-26T12:00:00Z'), end: new Date('2026-10-28T16:00:00Z'),
  };
  const days = agendaDays(FIXED_NOW.getTime(), 'Europe/Berlin');
  const lines = days.map((d) => dayLines([event], d, 'Europe/Berlin', 'en').map((l) => l.text)).map((l) => l.join());
  assert.deepEqual(lines, ['', '', '', '13:00 Conference', 'All day: Conference', 'until 17:00 Conference', '', '']);
  const de = dayLines([event], days[5]!, 'Europe/Berlin', 'de').map((l) => l.text);
  assert.deepEqual(de, ['bis 17:00 Conference']);
});

test('dial-ins: numbers with a PIN get a pause, one-tap numbers are kept, dates are not numbers', () => {
  const dialer = createDialer({ country: '49', internationalPrefix: '00', trunkPrefix: '0', outsideLinePrefix: '' });
  assert.deepEqual(findDialIn(['Dial-in: +49 30 1234567 PIN: 4711'], dialer), { number: '+49 30 1234567', pin: '4711', dial: '0301234567,,4711#' });
  assert.equal(findDialIn(['Teams: +49 69 1234 5678,,123456789# Germany'], dialer)?.dial, '06912345678,,123456789#');
  assert.equal(findDialIn(['Einwahl 030/123456', 'Zugangscode: 98 76'], dialer)?.dial, '030123456,,9876#');
  assert.equal(findDialIn(['Call +1 212 555 0100'], dialer)?.dial, '0012125550100');
  assert.equal(findDialIn(['Review on 2026-10-23 at 10:00 in room 4'], dialer), undefined);
  assert.equal(findDialIn([undefined, 'Room 4'], dialer), undefined);
});

test('recurrence sets: UNTIL and COUNT, EXDATE, DTSTART always first, RDATE-only, moved instances, no double instances', () => {
  const ev = (uid: string, ...lines: string[]): string[] => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];
  const text = cal(
    ...ev('until', 'DTSTART;TZID=Europe/Berlin:20261001T090000', 'RRULE:FREQ=DAILY;UNTIL=20261023T070000Z', 'SUMMARY:Until'),
    // A bare-date UNTIL after a date-time DTSTART means the whole day.
    ...ev('until-date', 'DTSTART;TZID=Europe/Berlin:20261001T100000', 'RRULE:FREQ=DAILY;UNTIL=20261022', 'SUMMARY:UntilDate'),
    ...ev('count', 'DTSTART:20261020T100000Z', 'RRULE:FREQ=DAILY;COUNT=4', 'SUMMARY:Count'),
    ...ev('ex', 'DTSTART;TZID=Europe/Berlin:20261026T080000', 'RRULE:FREQ=DAILY;COUNT=4', 'EXDATE;TZID=Europe/Berlin:20261026T080000,20261028T080000', 'SUMMARY:Ex'),
    ...ev('rdate', 'DTSTART;TZID=Europe/Berlin:20261027T090000', 'RDATE;TZID=Europe/Berlin:20261029T100000', 'SUMMARY:Rdate'),
    ...ev('off-rule', 'DTSTART:20261026T120000Z', 'RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=2', 'SUMMARY:OffRule'),
    ...ev('twice', 'DTSTART:20261030T120000Z', 'RRULE:FREQ=DAILY;COUNT=2', 'RDATE:20261031T120000Z', 'SUMMARY:Twice'),
    // An occurrence inside the window moved far out of it.
    ...ev('out', 'DTSTART;TZID=Europe/Berlin:20261001T150000', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Out'),
    ...ev('out', 'RECURRENCE-ID;TZID=Europe/Berlin:20261029T150000', 'DTSTART;TZID=Europe/Berlin:20261210T150000', 'SUMMARY:Out'),
    // A series from long ago (walked from shortly before the window) whose first and second
    // instances were moved into it, the second named in UTC: each appears once.
    ...ev('old', 'DTSTART;TZID=Europe/Berlin:20250106T090000', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Old'),
    ...ev('old', 'RECURRENCE-ID;TZID=Europe/Berlin:20250106T090000', 'DTSTART;TZID=Europe/Berlin:20261027T150000', 'SUMMARY:Old'),
    ...ev('old', 'RECURRENCE-ID:20250113T080000Z', 'DTSTART;TZID=Europe/Berlin:20261028T150000', 'SUMMARY:Old'),
  );
  const byTitle = new Map<string, string[]>();
  for (const [title, start] of expand(text)) byTitle.set(title, [...(byTitle.get(title) ?? []), start.slice(5, 16)]);
  assert.deepEqual(Object.fromEntries(byTitle), {
    Until: ['10-21T07:00', '10-22T07:00', '10-23T07:00'],
    UntilDate: ['10-21T08:00', '10-22T08:00'],
    Count: ['10-21T10:00', '10-22T10:00', '10-23T10:00'],
    Out: ['10-22T13:00'],
    Ex: ['10-27T07:00', '10-29T07:00'],
    OffRule: ['10-26T12:00', '10-27T12:00'],
    Rdate: ['10-27T08:00', '10-29T09:00'],
    Twice: ['10-30T12:00', '10-31T12:00'],
    Old: ['10-26T08:00', '10-27T14:00', '10-28T14:00'],
  });
});
