/**
 * Calendars as real programs write them: case-insensitive values (Apple iCal's `FREQ=Weekly`),
 * lines without a colon, unusable repeat rules, broken structure, text that is no iCalendar, and
 * every event skipped or read in part named in one warning and counted in the source's status
 * (an ics file source, and CalDAV objects on a real Radicale). With `../shared/corpus/real-world/`
 * present, every calendar file there is read as well.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expandAll, parseEvents } from '../src/calendar/expand.js';
import { testApp, type TestApp } from './helpers/app.js';
import { CORPUS_SKIP, corpusFiles } from './helpers/corpus.js';
import { makeCalendar, putItem, startRadicale, type RadicaleServer } from './helpers/radicale.js';
import { UnreadableContentError } from '../src/errors.js';

const DAY = 86_400_000;

function calendar(...eventLines: string[][]): string {
  const events = eventLines.flatMap((lines) => ['BEGIN:VEVENT', 'DTSTAMP:20240101T000000Z', ...lines, 'END:VEVENT']);
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

/** Titles and ISO starts of the occurrences in January 2024. */
async function january(text: string): Promise<{ list: string[]; unread: string[] }> {
  const { events, unread } = parseEvents(text, 'Cal', 'src', 'test.ics');
  const list = (await expandAll(events, Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), 'UTC')).map((o) => `${o.title} ${new Date(o.start).toISOString()}`);
  return { list, unread };
}

describe('iCalendar as exporters write it', () => {
  test('repeat rules and dates are read case-insensitively (RFC 5545 §2), with no warning', async () => {
    const { list, unread } = await january(
      calendar(
        ['UID:apple', 'DTSTART:20240101T100000Z', 'RRULE:FREQ=Weekly;COUNT=3', 'SUMMARY:Coffee'],
        ['uid:lower', 'dtstart:20240102t090000z', 'rrule:freq=weekly;byday=tu,th;count=2', 'summary:Standup'],
      ),
    );
    assert.deepEqual(list, [
      'Coffee 2024-01-01T10:00:00.000Z',
      'Standup 2024-01-02T09:00:00.000Z',
      'Standup 2024-01-04T09:00:00.000Z',
      'Coffee 2024-01-08T10:00:00.000Z',
      'Coffee 2024-01-15T10:00:00.000Z',
    ]);
    assert.deepEqual(unread, []);
  });

  test('an unusable repeat rule loses the rule, not the event, and is named', async () => {
    const { list, unread } = await january(
      calendar(['UID:odd@test', 'DTSTART:20240103T080000Z', 'RRULE:FREQ=FORTNIGHTLY', 'SUMMARY:Odd rule'], ['UID:ok@test', 'DTSTART:20240104T080000Z', 'SUMMARY:Fine']),
    );
    assert.deepEqual(list, ['Odd rule 2024-01-03T08:00:00.000Z', 'Fine 2024-01-04T08:00:00.000Z']);
    assert.equal(unread.length, 1);
    assert.match(unread[0]!, /^test\.ics: event "Odd rule" \(UID odd@test\): RRULE not read \(invalid frequency "FORTNIGHTLY"/);
  });

  test('a broken end or duration (read by ical.js only when used) is left out of its event and named; the event stays', async () => {
    const { list, unread } = await january(
      calendar(['UID:end@test', 'DTSTART:20240109T080000Z', 'DTEND:garbage', 'SUMMARY:Bad end'], ['UID:dur@test', 'DTSTART:20240110T080000Z', 'DURATION:PXX', 'SUMMARY:Bad duration']),
    );
    assert.deepEqual(list, ['Bad end 2024-01-09T08:00:00.000Z', 'Bad duration 2024-01-10T08:00:00.000Z']);
    assert.equal(unread.length, 2);
    assert.match(unread[0]!, /^test\.ics: event "Bad end" \(UID end@test\): DTEND not read \(invalid date-time value/);
    assert.match(unread[1]!, /^test\.ics: event "Bad duration" \(UID dur@test\): DURATION not read \(invalid duration value/);
  });

  test('a line without a colon is left out of its event and named; the event stays', async () => {
    const { list, unread } = await january(calendar(['UID:123', 'DTSTART:20240105T080000Z', 'SUMMARY=testevent']));
    assert.deepEqual(list, [' 2024-01-05T08:00:00.000Z']);
    assert.deepEqual(unread, ['test.ics: event (UID 123): line 8 "SUMMARY=testevent" has no colon, left out']);
  });

  test('an event without a start, and one cut off at the end of the text, are named', async () => {
    const text = calendar(['UID:nostart', 'SUMMARY:Nowhere'], ['UID:first', 'DTSTART:20240106T080000Z', 'SUMMARY:First']).replace(
      'END:VCALENDAR\r\n',
      'BEGIN:VEVENT\r\nUID:cut\r\nDTSTART:20240107T080000Z\r\nSUMMARY:Cut off\r\n',
    );
    const { list, unread } = await january(text);
    assert.deepEqual(list, ['First 2024-01-06T08:00:00.000Z', 'Cut off 2024-01-07T08:00:00.000Z']);
    assert.deepEqual(unread, [
      'test.ics: event "Cut off" (UID cut): the text ends inside it (no END:VEVENT)',
      'test.ics: event "Nowhere" (UID nostart): no start (DTSTART), left out',
    ]);
  });

  test('a misspelt END closes its component; empty lines inside folded lines are dropped', async () => {
    const text = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID', '', ' :x', 'DTSTART:20240108T080000Z', 'SUMMARY:Ok', 'END:VEVENT', 'END:VCALENDARD', ''].join('\r\n');
    assert.deepEqual(await january(text), { list: ['Ok 2024-01-08T08:00:00.000Z'], unread: [] });
  });

  test('text that is no iCalendar is refused with a code and a reason in words', () => {
    for (const text of ['sillyname:name\nprofile:sillyprofile\n', '<html>login</html>', '']) {
      assert.throws(
        () => parseEvents(text, 'Cal', 'src', 'silly.ics'),
        (err: unknown) => err instanceof UnreadableContentError && err.code === 'CONTENT_UNREADABLE' && /not iCalendar/.test(err.message),
      );
    }
  });
});

describe('an ics file source says what it could not read', () => {
  let dir: string;
  let t: TestApp;
  const file = (): string => path.join(dir, 'cal.ics');

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'calendar-realworld-'));
    writeFileSync(file(), calendar(['UID:a', 'DTSTART:20240103T080000Z', 'RRULE:FREQ=FORTNIGHTLY', 'SUMMARY:Odd'], ['UID:b', 'DTSTART:20240104T080000Z', 'SUMMARY:Fine']));
    t = await testApp(`server: { publicUrl: "http://phones.test:8080", dataDir: "${dir}/data" }\npbx: { host: 192.168.1.1 }\ncalendar:\n  sources:\n    - { type: ics, name: Mine, path: "${file()}" }\n`, {
      clock: () => new Date(Date.UTC(2024, 0, 2)),
    });
    await t.ctx.calendar.start();
    await t.ctx.calendar.refresh();
  });

  after(async () => {
    await t.ctx.calendar.stop();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a partly read file is "warning", with the event counted and named, on the web page too', async () => {
    const [status] = t.ctx.calendar.status();
    assert.equal(status!.state, 'warning');
    assert.equal(status!.count, 2);
    assert.equal(status!.unread, 1);
    assert.match(status!.warnings![0]!, /^cal\.ics: event "Odd" \(UID a\): RRULE not read/);
    const res = await t.app.inject({ url: '/api/ui/health', remoteAddress: '127.0.0.1' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().calendar[0].unread, 1);
  });

  test('a file replaced by text that is no iCalendar is an error, and the last good events stay', async () => {
    writeFileSync(file(), 'sillyname:name\nprofile:sillyprofile\n');
    await t.ctx.calendar.refresh();
    const [status] = t.ctx.calendar.status();
    assert.equal(status!.state, 'error');
    assert.match(status!.lastError!, /^not iCalendar \(no BEGIN:VCALENDAR\); showing the calendar as of /);
    assert.equal(status!.count, 2);
  });
});

describe('CalDAV objects from a real Radicale', () => {
  let dav: RadicaleServer;
  let dir: string;
  let t: TestApp;

  before(async () => {
    dav = await startRadicale();
    const home = await makeCalendar(dav, 'alice', 'home', 'Home');
    const apple = calendar(['UID:EC9439B1@apple', 'DTSTART:20240101T140000Z', 'DTEND:20240101T150000Z', 'RRULE:FREQ=Weekly;COUNT=10', 'SUMMARY:Coffee with Jason']);
    await putItem(home, 'coffee.ics', apple);
    await putItem(home, 'plain.ics', calendar(['UID:plain@test', 'DTSTART:20240102T090000Z', 'SUMMARY:Plain']));
    dir = mkdtempSync(path.join(os.tmpdir(), 'calendar-realworld-dav-'));
    t = await testApp(
      `server: { publicUrl: "http://phones.test:8080", dataDir: "${dir}" }\npbx: { host: 192.168.1.1 }\ncalendar:\n  sources:\n    - { type: caldav, name: Home, url: "${dav.url}", username: alice, password: secret, timeout: 5s }\n`,
      { clock: () => new Date(Date.UTC(2024, 0, 7)) },
    );
    await t.ctx.calendar.start();
    await t.ctx.calendar.refresh();
  });

  after(async () => {
    await t.ctx.calendar.stop();
    await t.close();
    await dav.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("Apple iCal's FREQ=Weekly (accepted by Radicale as written) repeats, and the source is ok", () => {
    const [status] = t.ctx.calendar.status();
    assert.equal(status!.state, 'ok', JSON.stringify(status));
    assert.equal(status!.count, 2);
    const titles = t.ctx.calendar.between({ timeZone: 'UTC' }, Date.UTC(2024, 0, 7), Date.UTC(2024, 0, 16)).map((e) => `${e.title} ${e.start.toISOString()}`);
    assert.deepEqual(titles, ['Coffee with Jason 2024-01-08T14:00:00.000Z', 'Coffee with Jason 2024-01-15T14:00:00.000Z']);
  });
});

/** The VEVENTs of a text as a plain reader sees them: title, start day, whether cancelled. */
function rawEvents(text: string): { title: string; day: number; cancelled: boolean }[] {
  const unfolded = text.replace(/\r\n?/g, '\n').replace(/\n(?=\n*[ \t])\n*[ \t]/g, '');
  return [...unfolded.matchAll(/^BEGIN:VEVENT$([\s\S]*?)^END:VEVENT$/gim)].flatMap(([, body]) => {
    const field = (name: string): string | undefined => new RegExp(`^${name}(?:;[^:\\n]*)?:(.*)$`, 'im').exec(body!)?.[1];
    const start = /^(\d{4})(\d{2})(\d{2})/.exec(field('DTSTART')?.trim() ?? '');
    if (!start) return [];
    const title = (field('SUMMARY') ?? '').replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1').trim();
    return [{ title, day: Date.UTC(+start[1]!, +start[2]! - 1, +start[3]!), cancelled: /^CANCELLED$/i.test(field('STATUS')?.trim() ?? '') }];
  });
}

describe('real-world calendars (../shared/corpus/real-world/ics)', { skip: CORPUS_SKIP }, () => {
  for (const { name, bytes } of corpusFiles('ics')) {
    test(name, async () => {
      const text = bytes.toString('utf8');
      let read;
      try {
        read = parseEvents(text, name, 'corpus', name);
      } catch (err) {
        // A file that cannot be read at all is refused with a reason naming it.
        assert.ok(err instanceof UnreadableContentError, `${name}: ${(err as Error).message}`);
        assert.equal(rawEvents(text).length, 0, `${name} has events but was refused`);
        return;
      }
      const named = read.unread.every((line) => line.startsWith(`${name}: `));
      assert.ok(named, read.unread.join('\n'));
      for (const raw of rawEvents(text)) {
        if (raw.cancelled) continue;
        const listed = (await expandAll(read.events, raw.day - DAY, raw.day + 2 * DAY, 'UTC')).some((o) => o.title === raw.title);
        const warned = read.unread.some((line) => line.includes(raw.title) || !/"/.test(line));
        assert.ok(listed || warned, `${name}: "${raw.title}" on ${new Date(raw.day).toISOString().slice(0, 10)} is neither listed nor named in a warning`);
      }
    });
  }
});
