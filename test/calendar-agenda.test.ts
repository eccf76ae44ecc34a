/**
 * The agenda service over an ICS feed served by a local HTTP server: the menu for a fixed "now",
 * detail pages with a Dial key, day pages, paging, per-phone calendars, and an unreachable feed
 * that still shows the last good agenda after a restart. Every body goes through checkPhoneXml,
 * for a 7941 and a 7940, following URLs the way a phone does.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from './helpers/app.js';
import { EXPECTED_AGENDA, FIXED_NOW, fixtureFeed } from './helpers/calendar-fixture.js';
import { checkPhoneXml, injectPath, type ParsedPhoneXml } from './helpers/phone-xml.js';

const OFFICE = 'SEP008041AEFD7E'; // 7941, all calendars
const HALL = 'SEP001120AABBCC'; // 7940, all calendars
const KITCHEN = 'SEP0019E8A17970'; // 7970, only the "Family" calendar

interface Feed {
  url: string;
  body: string;
  requests: { ifNoneMatch?: string }[];
  server: Server;
}

async function startFeed(body: string): Promise<Feed> {
  const feed: Feed = { url: '', body, requests: [], server: undefined as unknown as Server };
  feed.server = createServer((req, res) => {
    const tag = `"${Buffer.from(feed.body).length}"`;
    feed.requests.push({ ...(req.headers['if-none-match'] ? { ifNoneMatch: String(req.headers['if-none-match']) } : {}) });
    if (req.headers['if-none-match'] === tag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', ETag: tag }).end(feed.body);
  });
  await new Promise<void>((resolve) => feed.server.listen(0, '127.0.0.1', resolve));
  feed.url = `http://127.0.0.1:${(feed.server.address() as { port: number }).port}/work.ics`;
  return feed;
}

function familyFeed(): string {
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
    'BEGIN:VEVENT', 'UID:kids@test', 'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Europe/Berlin:20261024T110000', 'DTEND;TZID=Europe/Berlin:20261024T120000',
    'SUMMARY:Football', 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
}

function config(workUrl: string, familyUrl: string, dataDir: string): string {
  return `
server: { publicUrl: "http://phones.test:8080", dataDir: "${dataDir}" }
pbx: { host: 192.168.1.1 }
defaults: { timeZone: Europe/Berlin }
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941", label: Office, lines: [ { number: "620" } ] }
  - { mac: "0019.e8a1.7970", model: "7970", label: Kitchen, language: de, calendars: [ Family ], lines: [ { number: "621" } ] }
  - { mac: "001120AABBCC", model: "7940", label: Hall, lines: [ { number: "622" } ] }
calendar:
  sources:
    - { type: ics, name: Work, url: "${workUrl}", timeout: 2s }
    - { type: ics, name: Family, url: "${familyUrl}", timeout: 2s }
`;
}

async function started(yaml: string, now: () => Date): Promise<TestApp> {
  const t = await testApp(yaml, { clock: now });
  await t.ctx.calendar.start();
  await t.ctx.calendar.refresh();
  return t;
}

const HEADERS = {
  '7941': { 'x-CiscoIPPhoneModelName': 'CP-7941G', 'Accept-Charset': 'utf-8,iso-8859-1;q=0.8' },
  '7940': { 'x-CiscoIPPhoneModelName': 'CP-7940G', 'Accept-Charset': 'iso-8859-1' },
  '7970': { 'x-CiscoIPPhoneModelName': 'CP-7970G', 'Accept-Charset': 'utf-8' },
};

async function get(t: TestApp, url: string, model: keyof typeof HEADERS): Promise<ParsedPhoneXml> {
  const res = await t.app.inject({ method: 'GET', url: url.startsWith('http') ? injectPath(url) : url, headers: HEADERS[model] });
  assert.equal(res.statusCode, 200, res.body);
  return checkPhoneXml(res.rawPayload, res.headers['content-type'] as string);
}

/** Menu items grouped under their day headers. */
function agendaOf(menu: ParsedPhoneXml): [string, string[]][] {
  const days: [string, string[]][] = [];
  for (const item of menu.items) {
    const day = /[?&]d=(\d{4}-\d{2}-\d{2})/.exec(item.url)?.[1];
    if (day) days.push([day, []]);
    else days[days.length - 1]![1].push(item.name);
  }
  return days;
}

/** EXPECTED_AGENDA in the English wording of the menu. */
const EXPECTED = EXPECTED_AGENDA.map(([day, lines]) => [day, lines.map((l) => l.replace(/^all-day /, 'All day: '))] as [string, string[]]);

describe('agenda from an ICS feed', () => {
  let work: Feed;
  let family: Feed;
  let dataDir: string;
  let t: TestApp;
  let now = FIXED_NOW;

  before(async () => {
    work = await startFeed(fixtureFeed());
    family = await startFeed(familyFeed());
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'calendar-agenda-'));
    t = await started(config(work.url, family.url, dataDir), () => now);
  });

  after(async () => {
    await t.ctx.calendar.stop();
    await t.close();
    work.server.close();
    family.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the menu lists exactly the right occurrences at Berlin times, for a 7941 and a 7940', async () => {
    for (const model of ['7941', '7940'] as const) {
      const menu = await get(t, `/agenda?name=${model === '7941' ? OFFICE : HALL}`, model);
      assert.equal(menu.kind, 'Menu');
      assert.equal(menu.title, 'Agenda');
      const expected = [...EXPECTED];
      // The Family feed adds Saturday's football for phones that show every calendar.
      expected.splice(1, 0, ['2026-10-24', ['11:00 Football']]);
      assert.deepEqual(agendaOf(menu), expected);
      assert.equal(menu.items[0]!.name, 'Today, Fri 10/23');
      assert.equal(menu.items.find((i) => i.url.includes('d=2026-10-24'))!.name, 'Tomorrow, Sat 10/24');
      for (const item of menu.items) assert.match(item.url, new RegExp(`name=${model === '7941' ? OFFICE : HALL}`));
      if (model === '7941') {
        assert.deepEqual(menu.softKeys.map((k) => [k.name, k.position]), [['Select', 1], ['Exit', 3]]);
      } else {
        assert.deepEqual(menu.softKeys, [], '7940 SIP firmware gets no custom softkeys');
      }
    }
  });

  test('an event page shows time, place and description, with a Dial key for the dial-in', async () => {
    const menu = await get(t, `/agenda?name=${OFFICE}`, '7941');
    const meeting = menu.items.find((i) => i.name === '09:00 Team meeting')!;
    const page = await get(t, meeting.url, '7941');
    assert.equal(page.kind, 'Text');
    assert.equal(page.title, 'Team meeting');
    assert.equal(page.text, 'Fri 10/23/2026\n09:00 - 09:30\nPlace: Room 4\nCalendar: Work\nDial-in: +49 30 1234567\n\nDial-in: +49 30 1234567 PIN: 4711');
    const dial = page.softKeys.find((k) => k.name === 'Dial');
    assert.equal(dial?.url, 'Dial:0301234567,,4711#');
    assert.ok(page.softKeys.some((k) => k.name === 'Exit' && k.url === 'SoftKey:Exit'));

    const ny = await get(t, menu.items.find((i) => i.name === '15:00 New York call')!.url, '7941');
    assert.match(ny.text!, /^Fri 10\/30\/2026\n15:00 - 16:00\n/);
    assert.equal(ny.softKeys.find((k) => k.name === 'Dial')?.url, 'Dial:0012125550100');

    const fair = await get(t, menu.items.find((i) => i.name === 'All day: Trade fair')!.url, '7940');
    assert.equal(fair.text, 'Wed 10/28/2026 -\nFri 10/30/2026\nAll day\nPlace: Messe Frankfurt\nCalendar: Work');
  });

  test('a 7940 (no custom softkeys) dials from a menu item; other phones cannot open an event of a calendar they do not show', async () => {
    const menu = await get(t, `/agenda?name=${HALL}`, '7940');
    const choice = await get(t, menu.items.find((i) => i.name === '09:00 Team meeting')!.url, '7940');
    assert.equal(choice.kind, 'Menu');
    assert.equal(choice.title, 'Team meeting');
    assert.deepEqual(choice.items.map((i) => [i.name, i.url.startsWith('Dial:') ? i.url : 'details']), [
      ['Details', 'details'],
      ['Dial-in: +49 30 1234567', 'Dial:0301234567,,4711#'],
    ]);
    const details = await get(t, choice.items[0]!.url, '7940');
    assert.equal(details.kind, 'Text');
    assert.match(details.text!, /^Fri 10\/23\/2026\n09:00 - 09:30\nPlace: Room 4\n/);

    // The kitchen phone shows only "Family": a Work occurrence's id does not open there.
    const office = await get(t, `/agenda?name=${OFFICE}`, '7941');
    const workUrl = office.items.find((i) => i.name === '09:00 Team meeting')!.url.replace(OFFICE, KITCHEN);
    const gone = await get(t, workUrl, '7970');
    assert.equal(gone.kind, 'Text');
    assert.equal(gone.text, 'Diesen Termin gibt es nicht mehr im Kalender.');
  });

  test('a day header opens that day', async () => {
    const menu = await get(t, `/agenda?name=${HALL}`, '7940');
    const day = await get(t, menu.items.find((i) => i.url.includes('d=2026-10-30'))!.url, '7940');
    assert.equal(day.kind, 'Text');
    assert.equal(day.title, 'Fri 10/30');
    assert.equal(day.text, 'All day: Trade fair\n  Messe Frankfurt\n09:00 Team meeting\n  Room 4\n15:00 New York call');
  });

  test('a phone with calendars set sees only those, in its own language', async () => {
    const menu = await get(t, `/agenda?name=${KITCHEN}`, '7970');
    assert.equal(menu.title, 'Termine');
    assert.deepEqual(agendaOf(menu), [['2026-10-24', ['11:00 Football']]]);
    assert.equal(menu.items[0]!.name, 'Morgen, Sa 24.10.');
    const kitchen = t.ctx.inventory.byDeviceName(KITCHEN);
    assert.deepEqual(t.ctx.calendar.upcoming(kitchen, 5).map((e) => e.title), ['Football']);
  });

  test('a request that names no phone sees only the calendars every phone may see, on every route', async () => {
    // Kitchen shows only "Family": a request without name= (or naming a phone not in the config) sees that much.
    for (const url of ['/agenda', '/agenda?name=SEP0000000000AA']) {
      assert.deepEqual(agendaOf(await get(t, url, '7941')), [['2026-10-24', ['11:00 Football']]], url);
    }
    const day = await get(t, '/agenda/day?d=2026-10-30', '7941');
    assert.equal(day.text, 'No appointments.');
    const office = await get(t, `/agenda?name=${OFFICE}`, '7941');
    const workUrl = office.items.find((i) => i.name === '09:00 Team meeting')!.url.replace(`name=${OFFICE}`, 'x=1');
    const gone = await get(t, workUrl, '7941');
    assert.equal(gone.kind, 'Text');
    assert.doesNotMatch(gone.text!, /Team meeting|Room 4/);
    // The idle screen's events come from the same view.
    assert.deepEqual(t.ctx.calendar.upcoming(undefined, 5).map((e) => e.title), ['Football']);
  });

  test('upcoming() gives the next events that have not ended, from memory', () => {
    now = new Date('2026-10-23T07:15:00Z'); // 09:15 Berlin: the meeting is running, the call is next
    try {
      const office = t.ctx.inventory.byDeviceName(OFFICE);
      const next = t.ctx.calendar.upcoming(office, 4);
      assert.deepEqual(
        next.map((e) => [e.title, e.start.toISOString(), e.end.toISOString(), e.allDay]),
        [
          ['Team meeting', '2026-10-23T07:00:00.000Z', '2026-10-23T07:30:00.000Z', false],
          ['New York call', '2026-10-23T14:00:00.000Z', '2026-10-23T15:00:00.000Z', false],
          ['Football', '2026-10-24T09:00:00.000Z', '2026-10-24T10:00:00.000Z', false],
          // All-day: midnight to midnight in the phone's zone (Berlin is on CET again by then).
          ['Company holiday', '2026-10-26T23:00:00.000Z', '2026-10-27T23:00:00.000Z', true],
        ],
      );
      assert.equal(next[0]!.location, 'Room 4');
      assert.deepEqual(t.ctx.calendar.upcoming(office, 0), []);
    } finally {
      now = FIXED_NOW;
    }
  });

  test('an unchanged feed is not downloaded again (ETag)', async () => {
    const before = work.requests.length;
    await t.ctx.calendar.refresh();
    assert.equal(work.requests.length, before + 1);
    assert.ok(work.requests.at(-1)!.ifNoneMatch, 'conditional request');
    assert.equal(t.ctx.calendar.status().find((s) => s.name === 'Work')!.state, 'ok');
  });

  test('an unreachable feed keeps the last good agenda, also after a restart, with a clear status', async () => {
    await new Promise<void>((resolve) => work.server.close(() => resolve()));
    work.server.closeAllConnections();
    await t.ctx.calendar.refresh();
    let status = t.ctx.calendar.status().find((s) => s.name === 'Work')!;
    assert.equal(status.state, 'error');
    assert.match(status.lastError!, /cannot reach http:\/\/127\.0\.0\.1:\d+.*showing the calendar as of 2026-10-23T06:00:00\.000Z/);
    assert.equal(status.count, 6);

    // A new process: same data folder, feed still down.
    const restarted = await started(config(work.url, family.url, dataDir), () => FIXED_NOW);
    try {
      status = restarted.ctx.calendar.status().find((s) => s.name === 'Work')!;
      assert.equal(status.state, 'error');
      assert.equal(status.lastSync, FIXED_NOW.toISOString());
      const menu = await get(restarted, `/agenda?name=${OFFICE}`, '7941');
      assert.equal(menu.prompt, 'Offline since 08:00');
      assert.equal(agendaOf(menu).find(([d]) => d === '2026-10-30')![1].length, 3);
    } finally {
      await restarted.ctx.calendar.stop();
      await restarted.close();
    }
  });
});

describe('agenda limits', () => {
  let t: TestApp;
  let feed: Feed;
  let dataDir: string;

  before(async () => {
    const events: string[] = [];
    for (let i = 0; i < 130; i++) {
      const minute = String(i % 60).padStart(2, '0');
      const hour = String(8 + Math.floor(i / 60)).padStart(2, '0');
      events.push('BEGIN:VEVENT', `UID:many-${i}@test`, 'DTSTAMP:20260101T000000Z', `DTSTART:20261023T${hour}${minute}00Z`, `SUMMARY:Slot ${i} with a title that is far too long for one line of the phone display`, 'END:VEVENT');
    }
    const long = Array.from({ length: 400 }, (_, i) => `Line ${i} of the agenda notes.`).join('\\n');
    events.push('BEGIN:VEVENT', 'UID:long@test', 'DTSTAMP:20260101T000000Z', 'DTSTART:20261024T080000Z', 'SUMMARY:Long notes', `DESCRIPTION:${long}`, 'END:VEVENT');
    feed = await startFeed(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n'));
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'calendar-limits-'));
    t = await started(config(feed.url, feed.url, dataDir).replace(/\n {4}- \{ type: ics, name: Family.*\n/, '\n'), () => FIXED_NOW);
  });

  after(async () => {
    await t.ctx.calendar.stop();
    await t.close();
    feed.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('more than 100 items are paged: softkeys on a 7941, menu items on a 7940', async () => {
    const first = await get(t, `/agenda?name=${OFFICE}`, '7941');
    assert.equal(first.items.length, 100);
    assert.equal(first.prompt, 'Page 1 of 2');
    const next = first.softKeys.find((k) => k.name === 'Next')!;
    const second = await get(t, next.url, '7941');
    assert.equal(second.prompt, 'Page 2 of 2');
    assert.ok(second.softKeys.some((k) => k.name === 'Previous'));
    const names = [...first.items, ...second.items].map((i) => i.name);
    assert.equal(names.filter((n) => /^\d\d:\d\d Slot \d+ /.test(n)).length, 130);
    assert.equal(names.filter((n) => /^\d\d:\d\d Long notes$/.test(n)).length, 1);

    let page = await get(t, `/agenda?name=${HALL}`, '7940');
    const seen: string[] = [];
    for (let guard = 0; guard < 5; guard++) {
      seen.push(...page.items.filter((i) => !/page$/.test(i.name)).map((i) => i.name));
      const more = page.items.find((i) => i.name === 'Next page');
      if (!more) break;
      assert.ok(page.items.length <= 100);
      page = await get(t, more.url, '7940');
    }
    // Same entries in the same order (the 7940's ISO-8859-1 shortens with '...' instead of '…').
    const key = (n: string): string => n.split(' ').slice(0, 3).join(' ');
    assert.deepEqual(seen.map(key), names.map(key));
  });

  test('a description past 4000 characters is split into text pages', async () => {
    const menu = await get(t, `/agenda?name=${OFFICE}&page=2`, '7941');
    const first = await get(t, menu.items.find((i) => i.name.endsWith('Long notes'))!.url, '7941');
    assert.ok(first.text!.length <= 4000);
    assert.match(first.prompt!, /^Page 1 of [2-9]$/);
    let text = first.text!;
    let page = first;
    for (let guard = 0; guard < 10; guard++) {
      const next = page.softKeys.find((k) => k.name === 'Next');
      if (!next) break;
      page = await get(t, next.url, '7941');
      text += `\n${page.text}`;
    }
    assert.match(text, /Line 0 of the agenda notes\.\nLine 1 of/);
    assert.match(text, /Line 399 of the agenda notes\.$/);
    assert.equal(text.match(/Line \d+ of/g)!.length, 400);
  });

  test('on a 7940 the text pages follow each other through the Refresh header (the phone offers Next)', async () => {
    let menu = await get(t, `/agenda?name=${HALL}`, '7940');
    let url = menu.items.find((i) => i.name.endsWith('Long notes'))?.url;
    for (let guard = 0; guard < 5 && !url; guard++) {
      menu = await get(t, menu.items.find((i) => i.name === 'Next page')!.url, '7940');
      url = menu.items.find((i) => i.name.endsWith('Long notes'))?.url;
    }
    assert.ok(url);
    let text = '';
    for (let guard = 0; guard < 10 && url; guard++) {
      const res: { rawPayload: Buffer; headers: Record<string, unknown> } = await t.app.inject({ method: 'GET', url: injectPath(url), headers: HEADERS['7940'] });
      const page = checkPhoneXml(res.rawPayload, res.headers['content-type'] as string);
      assert.equal(page.kind, 'Text');
      text += `${text ? '\n' : ''}${page.text}`;
      url = /^0; url=(.+)$/.exec(String(res.headers.refresh ?? ''))?.[1];
    }
    assert.equal(text.match(/Line \d+ of/g)!.length, 400);
  });
});
