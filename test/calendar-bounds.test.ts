/**
 * Recurrence has limits: SECONDLY/MINUTELY rules ignored with one warning naming the event, caps
 * per series and per source, a step budget per source, expansion in slices that give the event
 * loop back, and a server that listens before it loads or expands any source (the cached
 * expansion at start included) and keeps answering phones over HTTP and TFTP meanwhile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import {
  expandAll,
  MAX_OCCURRENCES_PER_EVENT,
  MAX_OCCURRENCES_PER_SOURCE,
  MAX_STEPS_PER_SOURCE,
  parseEvents,
  parseEventsInSlices,
} from '../src/calendar/expand.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { runClient } from './helpers/tftp-fixture.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-10-23T06:00:00Z');
const FROM = NOW - 2 * DAY;
const TO = NOW + 12 * DAY;
/**
 * The longest the event loop may be held while a hostile calendar is processed. Slices are 20 ms;
 * the bound is generous so it holds on a loaded 2-core machine running the whole suite, and far
 * below the 7–11 s one unsliced refresh of the hostile feed took on that machine.
 */
const MAX_LAG_MS = 2000;
/** Turns of the event loop there must at least be during sliced work (unsliced work gives one or two). */
const MIN_TURNS = 5;

const EVERY_MINUTE = Array.from({ length: 60 }, (_, i) => i).join(',');

function vevent(uid: string, summary: string, start: string, rule?: string): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `DTSTART:${start}`, `DTEND:${start.slice(0, 11)}0005Z`, `SUMMARY:${summary}`, ...(rule ? [`RRULE:${rule}`] : []), 'END:VEVENT'];
}

function calendar(...events: string[][]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');
}

/** A small hostile feed (about 2 kB): rules every second and minute, hourly rules from 1990, huge COUNTs. */
function hostileFeed(): string {
  return calendar(
    vevent('plain@test', 'Dentist', '20261023T090000Z'),
    vevent('s@test', 'Every second', '20261023T100000Z', 'FREQ=SECONDLY'),
    vevent('m@test', 'Every minute', '20261023T110000Z', 'FREQ=MINUTELY;INTERVAL=1'),
    vevent('h@test', 'Sixty an hour', '19900101T000000Z', `FREQ=HOURLY;BYMINUTE=${EVERY_MINUTE}`),
    ...Array.from({ length: 4 }, (_, i) => vevent(`c${i}@test`, `Count bomb ${i}`, '19900101T000000Z', `FREQ=HOURLY;COUNT=5000000;BYMINUTE=${EVERY_MINUTE}`)),
    vevent('late@test', 'After the bombs', '20261024T090000Z'),
  );
}

/**
 * The longest the event loop was held (perf_hooks' event-loop delay, 5 ms resolution) while `work`
 * ran, and how many turns it took meanwhile (a setImmediate chain): sliced work gives many turns
 * whatever the machine's speed, unsliced work one or two.
 */
async function maxLagDuring<T>(work: () => Promise<T>): Promise<{ result: T; lag: number; turns: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let turns = 0;
  let running = true;
  const turn = (): void => {
    turns++;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  try {
    const result = await work();
    return { result, lag: histogram.max / 1e6, turns };
  } finally {
    running = false;
    histogram.disable();
  }
}

describe('recurrence limits', () => {
  test('SECONDLY and MINUTELY rules are ignored with one warning naming the event; it shows once', async () => {
    const warnings: string[] = [];
    const { events, unread } = parseEvents(calendar(vevent('s@test', 'Every second', '20261023T100000Z', 'FREQ=SECONDLY'), vevent('m@test', 'Every minute', '20261023T110000Z', 'FREQ=MINUTELY')), 'Cal', 'Work', 'work.ics');
    const occurrences = await expandAll(events, FROM, TO, 'UTC', (m) => warnings.push(m));
    assert.deepEqual(occurrences.map((o) => [o.title, new Date(o.start).toISOString()]), [
      ['Every second', '2026-10-23T10:00:00.000Z'],
      ['Every minute', '2026-10-23T11:00:00.000Z'],
    ]);
    assert.deepEqual(unread, [
      'work.ics: event "Every second" (UID s@test): repeats SECONDLY: the rule is ignored, the event is shown once at its start',
      'work.ics: event "Every minute" (UID m@test): repeats MINUTELY: the rule is ignored, the event is shown once at its start',
    ]);
    assert.deepEqual(warnings, []);
  });

  test(`a series gives at most ${MAX_OCCURRENCES_PER_EVENT} occurrences in the window, a source at most ${MAX_OCCURRENCES_PER_SOURCE}`, async () => {
    const warnings: string[] = [];
    // 60 an hour for 14 days is 20,160 per series; 25 of them would be 504,000.
    const many = Array.from({ length: 25 }, (_, i) => vevent(`x${i}@test`, `Busy ${i}`, '20261020T000000Z', `FREQ=HOURLY;BYMINUTE=${EVERY_MINUTE}`));
    const { events } = parseEvents(calendar(...many), 'Cal', 'Work', 'work.ics');
    const occurrences = await expandAll(events, FROM, TO, 'UTC', (m) => warnings.push(m));
    const perTitle = new Map<string, number>();
    for (const o of occurrences) perTitle.set(o.title, (perTitle.get(o.title) ?? 0) + 1);
    assert.equal(perTitle.get('Busy 0'), MAX_OCCURRENCES_PER_EVENT);
    assert.equal(occurrences.length, MAX_OCCURRENCES_PER_SOURCE);
    assert.ok(Math.max(...perTitle.values()) <= MAX_OCCURRENCES_PER_EVENT);
    assert.ok(warnings.includes(`Work: event "Busy 0" (UID x0@test) has more than ${MAX_OCCURRENCES_PER_EVENT} occurrences in 14 days; only the first ${MAX_OCCURRENCES_PER_EVENT} are shown`), warnings.join('\n'));
    assert.equal(warnings.filter((w) => w.startsWith(`Work: more than ${MAX_OCCURRENCES_PER_SOURCE} occurrences`)).length, 1, warnings.join('\n'));
    // The cap of one source leaves another alone.
    const { events: other } = parseEvents(calendar(vevent('o@test', 'Other', '20261023T080000Z')), 'Home', 'Home', 'home.ics');
    const both = await expandAll([...events, ...other], FROM, TO, 'UTC');
    assert.ok(both.some((o) => o.title === 'Other'));
  });

  test('a hostile feed costs a bounded number of steps, and the event loop is given back while it expands', async () => {
    const warnings: string[] = [];
    const { events } = parseEvents(hostileFeed(), 'Cal', 'Work', 'work.ics');
    const { result, lag, turns } = await maxLagDuring(() => expandAll(events, FROM, TO, 'UTC', (m) => warnings.push(m)));
    assert.ok(lag < MAX_LAG_MS, `event loop held for ${Math.round(lag)} ms`);
    assert.ok(turns >= MIN_TURNS, `the event loop turned ${turns} times`);
    const titles = new Set(result.map((o) => o.title));
    assert.ok(titles.has('Dentist') && titles.has('Every second') && titles.has('Every minute'));
    // The hourly rule from 1990 is walked from shortly before the window, not from 1990.
    assert.equal(result.filter((o) => o.title === 'Sixty an hour').length, MAX_OCCURRENCES_PER_EVENT);
    assert.ok(warnings.includes(`Work: its recurring events need more than ${MAX_STEPS_PER_SOURCE} steps to expand; the rest of this calendar is left out`), warnings.join('\n'));
    assert.ok(!titles.has('After the bombs'), 'what comes after the budget is spent is left out');
  });
});

describe('large feeds: events read in slices', () => {
  test('a 4 MB feed gives the same events as parseEvents, and the event loop turns while its events are read', async () => {
    const events = Array.from({ length: 10_000 }, (_, i) => [
      ...vevent(`e${i}@test`, `Event ${i}`, `20261023T${String(i % 24).padStart(2, '0')}0000Z`).slice(0, -1),
      `DESCRIPTION:${'lorem ipsum dolor sit amet '.repeat(10)}`,
      'END:VEVENT',
    ]);
    const text = calendar(...events);
    assert.ok(text.length > 4 * 1024 * 1024);
    const { result, lag, turns } = await maxLagDuring(() => parseEventsInSlices(text, 'Cal', 'Work', 'big.ics'));
    assert.ok(lag < MAX_LAG_MS, `event loop held for ${Math.round(lag)} ms`);
    assert.ok(turns >= MIN_TURNS, `the event loop turned ${turns} times`);
    const key = (list: { event: { uid: string; startDate: { toString(): string } } }[]): string[] => list.map((p) => `${p.event.uid} ${p.event.startDate.toString()}`);
    assert.deepEqual(key(result.events), key(parseEvents(text, 'Cal', 'Work', 'big.ics').events));
  });
});

describe('the server listens first and keeps answering while a hostile calendar is processed', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calendar-bounds-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('HTTP and TFTP listen before the cached expansion; phones are answered during a refresh', async () => {
    writeFileSync(path.join(dir, 'hostile.ics'), hostileFeed());
    writeFileSync(
      path.join(dir, 'ciscophone.yaml'),
      [
        'server: { dataDir: ./data, tftp: { root: ./tftp } }',
        'pbx: { host: 127.0.0.1 }',
        'phones: [ { mac: "008041AEFD7E", model: "7941", lines: [ { number: "620" } ] } ]',
        'calendar: { sources: [ { type: ics, name: Work, path: ./hostile.ics } ] }',
        '',
      ].join('\n'),
    );
    const config = await loadConfig(path.join(dir, 'ciscophone.yaml'), { httpPort: 0, tftpPort: 0 });
    config.server.http.host = '127.0.0.1';
    config.server.tftp.host = '127.0.0.1';
    config.server.provisioningHttp.enabled = false;

    // First run: the feed is read, expanded and cached on disk.
    const first = await startServer({ config, log: createLogger('silent') });
    try {
      await first.ctx.calendar.refresh();
      // Read, with warnings about the rules it ignores.
      assert.equal(first.ctx.calendar.status()[0]!.state, 'warning');
    } finally {
      await first.stop();
    }

    // Second run: the cached calendar is parsed and expanded only after both ports listen.
    const lines: { msg: string }[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk)) as { msg: string }), done()) }));
    const server = await startServer({ config, log });
    try {
      const order = lines.map((l) => l.msg);
      const http = order.findIndex((m) => m.startsWith('phone services at'));
      const tftp = order.indexOf('tftp listening');
      const firstWarning = order.findIndex((m) => m.includes('repeats SECONDLY'));
      assert.ok(http >= 0 && tftp >= 0, order.join('\n'));
      assert.ok(firstWarning > Math.max(http, tftp), `the cached calendar was expanded after both ports listened:\n${order.join('\n')}`);
      assert.equal(lines.filter((l) => l.msg.includes('event "Every second" (UID s@test): repeats SECONDLY')).length, 1, 'one warning per event');

      // A refresh of the hostile feed (changed on disk) while a phone asks over HTTP and TFTP.
      writeFileSync(path.join(dir, 'hostile.ics'), hostileFeed().replace('Dentist', 'Dentist (moved)'));
      const base = `http://127.0.0.1:${(server.http.server.address() as AddressInfo).port}`;
      const port = server.tftp!.address()!.port;
      let refreshing = true;
      const refresh = server.ctx.calendar.refresh().finally(() => (refreshing = false));
      const latencies: number[] = [];
      let tftpRuns = 0;
      const { lag } = await maxLagDuring(async () => {
        const phone = (async () => {
          while (refreshing) {
            const started = performance.now();
            const res = await fetch(`${base}/services?name=SEP008041AEFD7E`);
            assert.equal(res.status, 200);
            await res.arrayBuffer();
            latencies.push(performance.now() - started);
            await new Promise((r) => setTimeout(r, 20));
          }
        })();
        const boot = (async () => {
          while (refreshing) {
            const run = await runClient('tftp', ['127.0.0.1', String(port), '-m', 'binary', '-c', 'get', 'SEP008041AEFD7E.cnf.xml', path.join(dir, 'sep.xml')], dir);
            assert.equal(run.code, 0, run.stderr);
            tftpRuns++;
          }
        })();
        await Promise.all([refresh, phone, boot]);
      });
      assert.ok(latencies.length > 0 && tftpRuns > 0, 'phones asked while the calendar was processed');
      assert.ok(lag < MAX_LAG_MS, `event loop held for ${Math.round(lag)} ms`);
      // A request also waits for the CPU the test's own client and TFTP runs share: a wider bound.
      assert.ok(Math.max(...latencies) < 3 * MAX_LAG_MS, `slowest phone request ${Math.round(Math.max(...latencies))} ms`);
    } finally {
      await server.stop();
    }
  });
});
