/**
 * CalDAV sources against a real Radicale started here: discovery from the server address with a
 * `calendars` filter, the agenda for a fixed "now" at Berlin times (7941 and 7940), incremental
 * refresh after changes on the server, Digest through a proxy with discovery remembered across a
 * restart, and an unreachable server that keeps the last good agenda.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from './helpers/app.js';
import { EXPECTED_AGENDA, FIXED_NOW, FIXTURE_OBJECTS } from './helpers/calendar-fixture.js';
import { createDigestProxy, type DigestProxy } from './helpers/dav-proxy.js';
import { checkPhoneXml, type ParsedPhoneXml } from './helpers/phone-xml.js';
import { deleteItem, makeCalendar, putItem, startRadicale, type Collection, type RadicaleServer } from './helpers/radicale.js';

const OFFICE = 'SEP008041AEFD7E';
const HALL = 'SEP001120AABBCC';
const HEADERS = {
  '7941': { 'x-CiscoIPPhoneModelName': 'CP-7941G', 'Accept-Charset': 'utf-8,iso-8859-1;q=0.8' },
  '7940': { 'x-CiscoIPPhoneModelName': 'CP-7940G', 'Accept-Charset': 'iso-8859-1' },
};

function yaml(dataDir: string, source: string): string {
  return `
server: { publicUrl: "http://phones.test:8080", dataDir: "${dataDir}" }
pbx: { host: 192.168.1.1 }
defaults: { timeZone: Europe/Berlin }
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941", label: Office, lines: [ { number: "620" } ] }
  - { mac: "001120AABBCC", model: "7940", label: Hall, lines: [ { number: "622" } ] }
calendar:
  sources:
    - ${source}
`;
}

async function started(text: string): Promise<TestApp> {
  const t = await testApp(text, { clock: () => FIXED_NOW });
  await t.ctx.calendar.start();
  await t.ctx.calendar.refresh();
  return t;
}

async function stopped(t: TestApp): Promise<void> {
  await t.ctx.calendar.stop();
  await t.close();
}

async function agenda(t: TestApp, model: '7941' | '7940'): Promise<{ menu: ParsedPhoneXml; days: [string, string[]][] }> {
  const res = await t.app.inject({ url: `/agenda?name=${model === '7941' ? OFFICE : HALL}`, headers: HEADERS[model] });
  const menu = checkPhoneXml(res.rawPayload, res.headers['content-type'] as string);
  const days: [string, string[]][] = [];
  for (const item of menu.items) {
    const day = /[?&]d=(\d{4}-\d{2}-\d{2})/.exec(item.url)?.[1];
    if (day) days.push([day, []]);
    else days[days.length - 1]![1].push(item.name);
  }
  return { menu, days };
}

const EXPECTED = EXPECTED_AGENDA.map(([day, lines]) => [day, lines.map((l) => l.replace(/^all-day /, 'All day: '))] as [string, string[]]);

function event(uid: string, start: string, summary: string): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
    `DTSTART;TZID=Europe/Berlin:${start}`, 'DURATION:PT1H', `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}

describe('CalDAV calendars from Radicale', () => {
  let dav: RadicaleServer;
  let work: Collection;
  let dataDir: string;
  let t: TestApp;

  before(async () => {
    dav = await startRadicale();
    work = await makeCalendar(dav, 'alice', 'work', 'Work');
    for (const [name, text] of Object.entries(FIXTURE_OBJECTS)) await putItem(work, name, text);
    const priv = await makeCalendar(dav, 'alice', 'private', 'Private');
    await putItem(priv, 'doctor.ics', event('doctor@test', '20261023T120000', 'Doctor'));
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'calendar-caldav-'));
    t = await started(yaml(dataDir, `{ type: caldav, name: Office, url: "${dav.url}", username: alice, password: secret, calendars: [ Work ], timeout: 5s }`));
  });

  after(async () => {
    await stopped(t);
    await dav.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the agenda lists exactly the right occurrences at Berlin times on a 7941 and a 7940', async () => {
    assert.deepEqual(t.ctx.calendar.status(), [
      { name: 'Office', type: 'caldav', count: 6, state: 'ok', lastSync: FIXED_NOW.toISOString() },
    ]);
    for (const model of ['7941', '7940'] as const) {
      const { menu, days } = await agenda(t, model);
      assert.equal(menu.kind, 'Menu');
      assert.deepEqual(days, EXPECTED, `agenda on a ${model}`);
    }
  });

  test('changes on the server arrive with the next refresh', async () => {
    await putItem(work, 'added.ics', event('added@test', '20261026T100000', 'Added later'));
    await deleteItem(work, 'holiday.ics');
    await t.ctx.calendar.refresh();
    const { days } = await agenda(t, '7941');
    assert.deepEqual(days.find(([d]) => d === '2026-10-26'), ['2026-10-26', ['10:00 Added later']]);
    assert.equal(days.find(([d]) => d === '2026-10-27'), undefined);
    assert.equal(t.ctx.calendar.status()[0]!.count, 6);
  });

  test('an unreachable server keeps the last good agenda and says so', async () => {
    await dav.stop();
    await t.ctx.calendar.refresh();
    const [status] = t.ctx.calendar.status();
    assert.equal(status!.state, 'error');
    assert.match(status!.lastError!, /^cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED; showing the calendar as of 2026-10-23T06:00:00\.000Z$/);
    const { menu, days } = await agenda(t, '7940');
    assert.equal(menu.prompt, 'Offline since 08:00');
    assert.deepEqual(days.find(([d]) => d === '2026-10-26'), ['2026-10-26', ['10:00 Added later']]);
  });
});

describe('CalDAV with Digest authentication', () => {
  let dav: RadicaleServer;
  let proxy: DigestProxy;
  let dataDir: string;

  before(async () => {
    dav = await startRadicale();
    const family = await makeCalendar(dav, 'alice', 'family', 'Family');
    await putItem(family, 'football.ics', event('football@test', '20261024T110000', 'Football'));
    proxy = await createDigestProxy(dav.url, { user: 'alice', password: 'secret' });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'calendar-digest-'));
  });

  after(async () => {
    await proxy.close();
    await dav.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('one calendar by its URL; unchanged refreshes and restarts cost one request', async () => {
    const source = `{ type: caldav, url: "${proxy.url}alice/family/", username: alice, password: secret }`;
    const t = await started(yaml(dataDir, source));
    try {
      assert.equal(t.ctx.calendar.status()[0]!.state, 'ok', t.ctx.calendar.status()[0]!.lastError);
      const { days } = await agenda(t, '7941');
      assert.deepEqual(days, [['2026-10-24', ['11:00 Football']]]);
      assert.deepEqual(
        t.ctx.calendar.upcoming(t.ctx.inventory.byDeviceName(OFFICE), 3).map((e) => [e.title, e.start.toISOString()]),
        [['Football', '2026-10-24T09:00:00.000Z']],
      );
      const before = proxy.digestRequests();
      await t.ctx.calendar.refresh();
      assert.equal(proxy.digestRequests() - before, 1, 'an unchanged calendar is one sync-collection REPORT');
    } finally {
      await stopped(t);
    }
    // A restart: the calendars found are remembered, so there is no discovery, only the sync.
    const before = proxy.digestRequests();
    const again = await started(yaml(dataDir, source));
    try {
      assert.equal(proxy.digestRequests() - before, 1);
      assert.equal(again.ctx.calendar.status()[0]!.count, 1);
    } finally {
      await stopped(again);
    }
  });

  test('a wrong password is a clear status, not a crash', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'calendar-digest-bad-'));
    const t = await started(yaml(dir, `{ type: caldav, name: Family, url: "${proxy.url}alice/family/", username: alice, password: wrong }`));
    try {
      const [status] = t.ctx.calendar.status();
      assert.equal(status!.state, 'error');
      assert.equal(status!.lastError, 'authentication failed (HTTP 401): check username and password; no calendar data yet');
      const res = await t.app.inject({ url: `/agenda?name=${OFFICE}`, headers: HEADERS['7941'] });
      const page = checkPhoneXml(res.rawPayload, res.headers['content-type'] as string);
      assert.equal(page.kind, 'Text');
      assert.equal(page.prompt, 'Calendar not reachable');
    } finally {
      await stopped(t);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
