/**
 * Test helper: a calendar whose agenda for a fixed "now" (Friday 2026-10-23 08:00 Europe/Berlin)
 * is known exactly. It covers a weekly series started months ago with one EXDATE and one moved
 * occurrence, an all-day event, a multi-day event, a series in America/New_York (no VTIMEZONE,
 * so resolved from the name) that crosses Europe's DST change before America's, and a cancelled
 * event. One object per entry, as a CalDAV server stores them.
 */

/** Friday 2026-10-23 08:00 in Berlin (CEST, UTC+2). */
export const FIXED_NOW = new Date('2026-10-23T06:00:00Z');

const BERLIN_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

function calendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//ciscophone//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

/** href name → iCalendar object. */
export const FIXTURE_OBJECTS: Record<string, string> = {
  'team-meeting.ics': calendar(
    ...BERLIN_VTIMEZONE,
    'BEGIN:VEVENT',
    'UID:team-meeting@test',
    'DTSTAMP:20260401T000000Z',
    'DTSTART;TZID=Europe/Berlin:20260504T090000',
    'DTEND;TZID=Europe/Berlin:20260504T093000',
    'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR',
    'EXDATE;TZID=Europe/Berlin:20261026T090000',
    'SUMMARY:Team meeting',
    'LOCATION:Room 4',
    'DESCRIPTION:Dial-in: +49 30 1234567 PIN: 4711',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:team-meeting@test',
    'DTSTAMP:20260401T000000Z',
    'RECURRENCE-ID;TZID=Europe/Berlin:20261028T090000',
    'DTSTART;TZID=Europe/Berlin:20261029T100000',
    'DTEND;TZID=Europe/Berlin:20261029T103000',
    'SUMMARY:Team meeting (moved)',
    'LOCATION:Room 4',
    'END:VEVENT',
  ),
  'holiday.ics': calendar(
    'BEGIN:VEVENT',
    'UID:holiday@test',
    'DTSTAMP:20260401T000000Z',
    'DTSTART;VALUE=DATE:20261027',
    'DTEND;VALUE=DATE:20261028',
    'SUMMARY:Company holiday',
    'END:VEVENT',
  ),
  'trade-fair.ics': calendar(
    'BEGIN:VEVENT',
    'UID:trade-fair@test',
    'DTSTAMP:20260401T000000Z',
    'DTSTART;VALUE=DATE:20261028',
    'DTEND;VALUE=DATE:20261031',
    'SUMMARY:Trade fair',
    'LOCATION:Messe Frankfurt',
    'END:VEVENT',
  ),
  'ny-call.ics': calendar(
    'BEGIN:VEVENT',
    'UID:ny-call@test',
    'DTSTAMP:20260401T000000Z',
    'DTSTART;TZID=America/New_York:20260605T100000',
    'DTEND;TZID=America/New_York:20260605T110000',
    'RRULE:FREQ=WEEKLY;BYDAY=FR',
    'SUMMARY:New York call',
    'DESCRIPTION:Call +1 212 555 0100',
    'END:VEVENT',
  ),
  'cancelled.ics': calendar(
    ...BERLIN_VTIMEZONE,
    'BEGIN:VEVENT',
    'UID:dentist@test',
    'DTSTAMP:20260401T000000Z',
    'DTSTART;TZID=Europe/Berlin:20261029T150000',
    'DTEND;TZID=Europe/Berlin:20261029T160000',
    'STATUS:CANCELLED',
    'SUMMARY:Dentist',
    'END:VEVENT',
  ),
  'later.ics': calendar(
    'BEGIN:VEVENT',
    'UID:later@test',
    'DTSTAMP:20260401T000000Z',
    'DTSTART:20261105T120000Z',
    'DTEND:20261105T130000Z',
    'SUMMARY:Outside the window',
    'END:VEVENT',
  ),
};

/** The whole fixture as one feed (what an ics URL serves). */
export function fixtureFeed(): string {
  const bodies = Object.values(FIXTURE_OBJECTS).map((text) => {
    const inner = text.split('\r\n');
    return inner.slice(3, inner.indexOf('END:VCALENDAR'));
  });
  // One VTIMEZONE per TZID in a single calendar.
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const body of bodies) {
    let skip = false;
    for (const line of body) {
      if (line === 'BEGIN:VTIMEZONE') skip = seen.has('berlin');
      if (!skip) lines.push(line);
      if (line === 'END:VTIMEZONE') {
        seen.add('berlin');
        skip = false;
      }
    }
  }
  return calendar(...lines);
}

/**
 * The agenda lines for FIXED_NOW as a Europe/Berlin phone shows them: day → "time title".
 * Days 2026-10-23 (today) to 2026-10-30.
 */
export const EXPECTED_AGENDA: [string, string[]][] = [
  ['2026-10-23', ['09:00 Team meeting', '16:00 New York call']],
  ['2026-10-27', ['all-day Company holiday']],
  ['2026-10-28', ['all-day Trade fair']],
  ['2026-10-29', ['all-day Trade fair', '10:00 Team meeting (moved)']],
  ['2026-10-30', ['all-day Trade fair', '09:00 Team meeting', '15:00 New York call']],
];
