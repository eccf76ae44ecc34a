/**
 * Time zones against the platform's real ones: every IANA zone, at instants across this year,
 * compared with the clock a phone keeps from what we send it (the 79x1 zone name with the rule
 * its firmware applies; the 7940/7960 `time_zone` and `dst_*` lines read back from SIPDefault.cnf).
 * A zone is either right all year or reported by `ciscophone check` with the nearest setting.
 * Offsets are constant between changes, so checking a minute either side of every change (the
 * zone's and the phone's) and twice a day covers the year.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CISCO_ZONES, FLAT_ZONES, ciscoZoneChoice, flatZoneChoice } from '../src/provisioning/time-zones.js';
import { renderSipDefault } from '../src/provisioning/sip-79x0.js';
import type { ClockRule, RuleDay } from '../src/provisioning/zone-rules.js';
import { parseConfig } from '../src/config/load.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { runCli } from './helpers/cli.js';

const YEAR = new Date().getUTCFullYear();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Real offset in minutes, read from Intl's own "GMT+05:30" label (independent of the code under test). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function realOffset(zone: string, ms: number): number {
  let f = formatters.get(zone);
  if (!f) formatters.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })));
  const label = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(label)!;
  return m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The phone's clock, computed here from the rule as the admin guides describe it. */
function nthWeekday(year: number, d: RuleDay): number {
  if (d.week === 'last') {
    for (let day = new Date(Date.UTC(year, d.month, 0)).getUTCDate(); ; day--) {
      if (new Date(Date.UTC(year, d.month - 1, day)).getUTCDay() === d.weekday) return day;
    }
  }
  let count = 0;
  for (let day = 1; ; day++) if (new Date(Date.UTC(year, d.month - 1, day)).getUTCDay() === d.weekday && ++count === d.week) return day;
}
/** Start and end of the phone's summer time this year. */
function phoneChanges(rule: ClockRule): { start: number; end: number } | undefined {
  if (!rule.dst) return undefined;
  const at = (d: RuleDay, offset: number) => Date.UTC(YEAR, d.month - 1, nthWeekday(YEAR, d)) + d.minutes * MINUTE - (d.utc ? 0 : offset * MINUTE);
  return { start: at(rule.dst.start, rule.standard), end: at(rule.dst.end, rule.standard + rule.dst.save) };
}
function phoneOffset(rule: ClockRule, ms: number): number {
  const changes = phoneChanges(rule);
  if (!changes || !rule.dst) return rule.standard;
  const { start, end } = changes;
  const summer = start < end ? ms >= start && ms < end : ms >= start || ms < end;
  return rule.standard + (summer ? rule.dst.save : 0);
}

/** What a 7940/7960 reads from the flat file's time lines. */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
function flatRule(zone: string): ClockRule {
  const text = renderSipDefault({ defaults: {}, pbx: { host: 'pbx', port: 5060, transport: 'udp' } as never, timeZone: zone, imageVersion: undefined }).toString('latin1');
  const v = new Map(text.split('\n').filter((l) => l.includes(': ')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
  const standard = FLAT_ZONES.find(([name]) => name === v.get('time_zone'))![1];
  if (v.get('dst_auto_adjust') !== '1') return { standard };
  const day = (prefix: string): RuleDay => {
    assert.equal(v.get(`${prefix}_day`), '0', 'relative days only');
    const week = Number(v.get(`${prefix}_week_of_month`));
    const [h, m] = v.get(`${prefix}_time`)!.split(':').map(Number);
    return { month: MONTHS.indexOf(v.get(`${prefix}_month`)!) + 1, week: week === 8 ? 'last' : (week as 1), weekday: DAYS.indexOf(v.get(`${prefix}_day_of_week`)!), minutes: h! * 60 + m! };
  };
  return { standard, dst: { start: day('dst_start'), end: day('dst_stop'), save: Number(v.get('dst_offset')) * 60 } };
}

/** Instants across the year: twice a day, and a minute either side of every real change and of the phone's own. */
function instants(zone: string, rule: ClockRule): number[] {
  const out: number[] = [];
  const step = 12 * HOUR;
  for (let t = Date.UTC(YEAR, 0, 1); t < Date.UTC(YEAR + 1, 0, 1); t += step) {
    out.push(t);
    if (realOffset(zone, t) === realOffset(zone, t + step)) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (realOffset(zone, mid) === realOffset(zone, lo)) lo = mid;
      else hi = mid;
    }
    out.push(hi - MINUTE, hi);
  }
  const own = phoneChanges(rule);
  if (own) out.push(own.start - MINUTE, own.start, own.end - MINUTE, own.end);
  return out;
}

function walk(choose: (zone: string) => { rule: ClockRule; problem?: string; label: string }): { reported: string[] } {
  const reported: string[] = [];
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const { rule, problem, label } = choose(zone);
    const wrong = instants(zone, rule).filter((t) => phoneOffset(rule, t) !== realOffset(zone, t));
    if (problem === undefined) {
      assert.deepEqual(wrong.slice(0, 1).map((t) => new Date(t).toISOString()), [], `${zone} → ${label} is said to match but is wrong`);
    } else {
      reported.push(zone);
      assert.ok(wrong.length > 0, `${zone} is reported but ${label} is right at every instant`);
      assert.ok(problem.includes(zone) && problem.includes(label), problem);
    }
  }
  return { reported };
}

describe('time zones: every IANA zone across the year', () => {
  it('79x1 family: the emitted zone name keeps the real time, or the zone is reported with the nearest name', () => {
    const { reported } = walk((zone) => {
      const choice = ciscoZoneChoice(zone);
      const known = CISCO_ZONES.find((z) => z.name === choice.setting);
      assert.ok(known, `${choice.setting} is one of the names the phones know`);
      return { rule: known.rule, label: `"${choice.setting}"`, ...(choice.problem ? { problem: choice.problem } : {}) };
    });
    assert.ok(reported.length < 80, `${reported.length} zones without a matching name`);
  });

  it('7940/7960: time_zone and dst_* read back from SIPDefault.cnf keep the real time, or the zone is reported', () => {
    const { reported } = walk((zone) => {
      const choice = flatZoneChoice(zone);
      return { rule: flatRule(zone), label: `time_zone ${String(choice.setting['time_zone'])}`, ...(choice.problem ? { problem: choice.problem } : {}) };
    });
    assert.ok(reported.length < 160, `${reported.length} zones without a matching setting`);
  });

  it('names the zones people use, from this year\'s rules', () => {
    const name = (zone: string) => ciscoZoneChoice(zone).setting;
    assert.equal(name('Europe/Berlin'), 'Central Europe Standard/Daylight Time');
    assert.equal(name('Europe/Warsaw'), 'Central Europe Standard/Daylight Time');
    assert.equal(name('Europe/Helsinki'), 'E. Europe Standard/Daylight Time');
    assert.equal(name('America/New_York'), 'Eastern Standard/Daylight Time');
    assert.equal(name('Australia/Sydney'), 'AUS Eastern Standard/Daylight Time');
    // DST abolished: Mexico 2022, Brazil 2019; China, Russia and Turkey keep one offset all year.
    assert.equal(name('America/Mexico_City'), 'Canada Central Standard Time');
    assert.equal(name('America/Sao_Paulo'), 'SA Eastern Standard Time');
    assert.equal(name('Asia/Shanghai'), 'Taipei Standard Time');
    assert.equal(name('Europe/Moscow'), 'Saudi Arabia Standard Time');
    assert.equal(name('Europe/Istanbul'), 'Saudi Arabia Standard Time');
    assert.equal(name('Asia/Kolkata'), 'India Standard Time');
    assert.match(ciscoZoneChoice('Asia/Kathmandu').problem ?? '', /nearest is "India Standard Time"/);
    assert.match(ciscoZoneChoice('Not/AZone').problem ?? '', /not an IANA time zone/);
  });

  it('7940/7960: summer time in both hemispheres from the real transitions', () => {
    const ny = flatZoneChoice('America/New_York').setting;
    assert.deepEqual([ny['time_zone'], ny['dst_start_month'], ny['dst_start_week_of_month'], ny['dst_start_time'], ny['dst_stop_month'], ny['dst_stop_week_of_month'], ny['dst_stop_time']], ['EST', 'March', 2, '02:00', 'November', 1, '02:00']);
    const sydney = flatZoneChoice('Australia/Sydney').setting;
    assert.deepEqual([sydney['time_zone'], sydney['dst_start_month'], sydney['dst_stop_month'], sydney['dst_stop_time']], ['EAST', 'October', 'April', '03:00']);
    assert.equal(flatZoneChoice('Asia/Tokyo').setting['dst_auto_adjust'], 0);
    // No abbreviation for +05:30: reported, never a silent GMT.
    const kolkata = flatZoneChoice('Asia/Kolkata');
    assert.notEqual(kolkata.setting['time_zone'], 'GMT');
    assert.match(kolkata.problem ?? '', /Asia\/Kolkata.*nearest is time_zone/);
  });

  it('ciscophone check names the zone, the phone family and the nearest setting', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zones-'));
    const file = path.join(dir, 'ciscophone.yaml');
    writeFileSync(file, `pbx: { host: pbx }\ndefaults: { timeZone: Asia/Kolkata }\nphones:\n  - { mac: "001120AABBCC", model: "7940", lines: [ { number: "622" } ] }\n  - { mac: "008041AEFD7E", model: "7941", timeZone: Asia/Kathmandu, lines: [ { number: "620" } ] }\n  - { mac: "008041AEFD7F", model: "7941", lines: [ { number: "621" } ] }\n`);
    const r = await runCli(['check', '--config', file]);
    assert.equal(r.code, 0, r.err);
    const warnings = r.outLines.filter((l) => l.startsWith('warning:'));
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0]!, /^warning: defaults\.timeZone: 7940\/7960: .*Asia\/Kolkata.*nearest is time_zone/);
    assert.match(warnings[1]!, /^warning: phones\[1\]\.timeZone: 7941 and its family: .*Asia\/Kathmandu.*"India Standard Time"/);
  });

  it('the server logs the same warnings when it starts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zones-start-'));
    const config = parseConfig(
      `server: { dataDir: ${dir}/data, http: { host: 127.0.0.1, port: 0 }, provisioningHttp: { port: 0 }, tftp: { host: 127.0.0.1, port: 0, root: ${dir}/tftp } }\npbx: { host: pbx }\nphones:\n  - { mac: "001120AABBCC", model: "7940", timeZone: Asia/Kolkata, lines: [ { number: "622" } ] }\n`,
      path.join(dir, 'ciscophone.yaml'),
      { env: {} },
    );
    const lines: string[] = [];
    const server = await startServer({ config, log: createLogger('warn', { write: (line: string) => void lines.push(line) }) });
    await server.stop();
    assert.ok(lines.some((l) => /phones\[0\]\.timeZone: 7940\/7960: .*Asia\/Kolkata/.test(l)), lines.join('\n'));
  });
});
