/**
 * IANA time zones (what the config holds) to what the phones understand, decided from facts:
 * the zone's real offsets and transitions this year (Node's ICU data) against the clock each phone
 * setting produces. 79x1/79x2/79x5/797x take one of Cisco's zone names in `<timeZone>` and apply
 * their own rule for it; 7940/7960 take a `time_zone` abbreviation and explicit `dst_*` rules.
 * A zone no setting matches gets the nearest one, and `ciscophone check` says so.
 */
import { isKnownZone } from '../calendar/zones.js';
import { compareRule, zoneTransitions, type ClockRule, type DstRule, type Mismatch, type RuleDay } from './zone-rules.js';

const H = 60;

/** Summer time rules the phones' zone names carry (as their firmware has them). */
const EU: DstRule = { start: { month: 3, week: 'last', weekday: 0, minutes: 60, utc: true }, end: { month: 10, week: 'last', weekday: 0, minutes: 60, utc: true }, save: 60 };
const US: DstRule = { start: { month: 3, week: 2, weekday: 0, minutes: 120 }, end: { month: 11, week: 1, weekday: 0, minutes: 120 }, save: 60 };
const AU: DstRule = { start: { month: 10, week: 1, weekday: 0, minutes: 120 }, end: { month: 4, week: 1, weekday: 0, minutes: 180 }, save: 60 };
const NZ: DstRule = { start: { month: 9, week: 'last', weekday: 0, minutes: 120 }, end: { month: 4, week: 1, weekday: 0, minutes: 180 }, save: 60 };
/** Rules of countries that have since dropped or changed them; the firmware still applies them. */
const OLD_MEXICO: DstRule = { start: { month: 4, week: 1, weekday: 0, minutes: 120 }, end: { month: 10, week: 'last', weekday: 0, minutes: 120 }, save: 60 };
const OLD_BRAZIL: DstRule = { start: { month: 10, week: 3, weekday: 0, minutes: 0 }, end: { month: 2, week: 3, weekday: 0, minutes: 0 }, save: 60 };
const OLD_LOCAL_EU: DstRule = { start: { month: 3, week: 'last', weekday: 0, minutes: 120 }, end: { month: 10, week: 'last', weekday: 0, minutes: 180 }, save: 60 };
const OLD_MID_ATLANTIC: DstRule = { start: { month: 3, week: 'last', weekday: 0, minutes: 120 }, end: { month: 9, week: 'last', weekday: 0, minutes: 120 }, save: 60 };
const OLD_EGYPT: DstRule = { start: { month: 4, week: 'last', weekday: 5, minutes: 0 }, end: { month: 9, week: 'last', weekday: 4, minutes: 24 * 60 - 1 }, save: 60 };

/**
 * The zone names 79x1-family phones know (Cisco Unified CME command reference, `timezone`; the
 * same names in Wazo provd's Cisco SCCP plugin), each with its offset and the rule the firmware
 * applies, and the IANA zones that name is preferred for when several names fit.
 */
export const CISCO_ZONES: ReadonlyArray<{ name: string; rule: ClockRule; prefer?: readonly string[] }> = [
  { name: 'Dateline Standard Time', rule: { standard: -12 * H } },
  { name: 'Samoa Standard Time', rule: { standard: -11 * H } },
  { name: 'Hawaiian Standard Time', rule: { standard: -10 * H } },
  { name: 'Alaskan Standard/Daylight Time', rule: { standard: -9 * H, dst: US } },
  { name: 'Pacific Standard/Daylight Time', rule: { standard: -8 * H, dst: US } },
  { name: 'Mountain Standard/Daylight Time', rule: { standard: -7 * H, dst: US } },
  { name: 'US Mountain Standard Time', rule: { standard: -7 * H } },
  { name: 'Central Standard/Daylight Time', rule: { standard: -6 * H, dst: US } },
  { name: 'Mexico Standard/Daylight Time', rule: { standard: -6 * H, dst: OLD_MEXICO } },
  { name: 'Canada Central Standard Time', rule: { standard: -6 * H } },
  { name: 'SA Pacific Standard Time', rule: { standard: -5 * H } },
  { name: 'Eastern Standard/Daylight Time', rule: { standard: -5 * H, dst: US } },
  { name: 'US Eastern Standard Time', rule: { standard: -5 * H } },
  { name: 'Atlantic Standard/Daylight Time', rule: { standard: -4 * H, dst: US } },
  { name: 'SA Western Standard Time', rule: { standard: -4 * H } },
  { name: 'Pacific SA Standard Time', rule: { standard: -4 * H } },
  { name: 'Newfoundland Standard/Daylight Time', rule: { standard: -3.5 * H, dst: US } },
  { name: 'E. South America Standard/Daylight Time', rule: { standard: -3 * H, dst: OLD_BRAZIL } },
  { name: 'SA Eastern Standard Time', rule: { standard: -3 * H } },
  { name: 'Mid-Atlantic Standard/Daylight Time', rule: { standard: -2 * H, dst: OLD_MID_ATLANTIC } },
  { name: 'Azores Standard/Daylight Time', rule: { standard: -1 * H, dst: EU } },
  { name: 'GMT Standard/Daylight Time', rule: { standard: 0, dst: EU }, prefer: ['Europe/London', 'Europe/Dublin', 'Europe/Lisbon'] },
  { name: 'Greenwich Standard Time', rule: { standard: 0 }, prefer: ['UTC', 'Etc/UTC', 'Etc/GMT'] },
  { name: 'W. Europe Standard/Daylight Time', rule: { standard: 1 * H, dst: EU }, prefer: ['Europe/Amsterdam', 'Europe/Rome', 'Europe/Stockholm', 'Europe/Oslo'] },
  { name: 'Romance Standard/Daylight Time', rule: { standard: 1 * H, dst: EU }, prefer: ['Europe/Paris', 'Europe/Brussels', 'Europe/Copenhagen', 'Europe/Madrid'] },
  { name: 'Central Europe Standard/Daylight Time', rule: { standard: 1 * H, dst: EU }, prefer: ['Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich', 'Europe/Prague', 'Europe/Budapest', 'Europe/Warsaw', 'Europe/Bratislava', 'Europe/Ljubljana', 'Europe/Belgrade', 'Europe/Zagreb'] },
  { name: 'GTB Standard/Daylight Time', rule: { standard: 2 * H, dst: EU } },
  { name: 'E. Europe Standard/Daylight Time', rule: { standard: 2 * H, dst: EU }, prefer: ['Europe/Helsinki', 'Europe/Kyiv', 'Europe/Kiev', 'Europe/Riga', 'Europe/Tallinn', 'Europe/Vilnius', 'Europe/Sofia', 'Europe/Chisinau'] },
  { name: 'Egypt Standard/Daylight Time', rule: { standard: 2 * H, dst: OLD_EGYPT } },
  { name: 'South Africa Standard Time', rule: { standard: 2 * H } },
  { name: 'Jerusalem Standard Time', rule: { standard: 2 * H } },
  { name: 'Saudi Arabia Standard Time', rule: { standard: 3 * H } },
  { name: 'Russian Standard/Daylight Time', rule: { standard: 3 * H, dst: OLD_LOCAL_EU } },
  { name: 'Iran Standard/Daylight Time', rule: { standard: 3.5 * H, dst: { start: { month: 3, week: 4, weekday: 0, minutes: 0 }, end: { month: 9, week: 4, weekday: 2, minutes: 0 }, save: 60 } } },
  { name: 'Caucasus Standard/Daylight Time', rule: { standard: 4 * H, dst: OLD_LOCAL_EU } },
  { name: 'Arabian Standard Time', rule: { standard: 4 * H } },
  { name: 'Afghanistan Standard Time', rule: { standard: 4.5 * H } },
  { name: 'West Asia Standard Time', rule: { standard: 5 * H } },
  { name: 'Ekaterinburg Standard Time', rule: { standard: 5 * H } },
  { name: 'India Standard Time', rule: { standard: 5.5 * H } },
  { name: 'Central Asia Standard Time', rule: { standard: 6 * H } },
  { name: 'SE Asia Standard Time', rule: { standard: 7 * H } },
  // Wazo provd leaves it out: China has had no summer time since 1991, the name's rule still has one.
  { name: 'China Standard/Daylight Time', rule: { standard: 8 * H, dst: { start: { month: 4, week: 2, weekday: 0, minutes: 120 }, end: { month: 9, week: 2, weekday: 0, minutes: 180 }, save: 60 } } },
  { name: 'Taipei Standard Time', rule: { standard: 8 * H } },
  { name: 'Tokyo Standard Time', rule: { standard: 9 * H } },
  { name: 'Cen. Australia Standard/Daylight Time', rule: { standard: 9.5 * H, dst: AU } },
  { name: 'AUS Central Standard Time', rule: { standard: 9.5 * H } },
  { name: 'E. Australia Standard Time', rule: { standard: 10 * H } },
  { name: 'AUS Eastern Standard/Daylight Time', rule: { standard: 10 * H, dst: AU } },
  { name: 'West Pacific Standard Time', rule: { standard: 10 * H } },
  { name: 'Tasmania Standard/Daylight Time', rule: { standard: 10 * H, dst: AU } },
  { name: 'Central Pacific Standard Time', rule: { standard: 11 * H } },
  { name: 'Fiji Standard Time', rule: { standard: 12 * H } },
  { name: 'New Zealand Standard/Daylight Time', rule: { standard: 12 * H, dst: NZ } },
];

/** The name for a zone the platform does not know (a typo in the config): UTC, and `check` says so. */
export const FALLBACK_CISCO_ZONE = 'Greenwich Standard Time';

/** The year whose transitions decide: the current one. */
function thisYear(): number {
  return new Date().getUTCFullYear();
}

export interface ZoneChoice<T> {
  setting: T;
  /** Set when no setting matches the zone all year: what the phone then gets wrong. */
  problem?: string;
}

function describeMismatch(zone: string, nearest: string, m: Mismatch, year: number): string {
  const days = Math.ceil(m.wrongMinutes / 1440);
  return `no setting the phone knows matches ${zone} all through ${year}; nearest is ${nearest}, wrong by up to ${m.worst} minutes on ${days} day(s)`;
}

/** Best of several candidates: an exact match (a preferred one first), else the least wrong. */
function choose<T>(zone: string, year: number, candidates: ReadonlyArray<{ setting: T; label: string; rule: ClockRule; preferred?: boolean }>): ZoneChoice<T> {
  const scored = candidates.map((c) => ({ ...c, m: compareRule(c.rule, zone, year) }));
  const exact = scored.filter((c) => c.m.wrongMinutes === 0);
  const pick = exact.find((c) => c.preferred) ?? exact[0];
  if (pick) return { setting: pick.setting };
  const nearest = [...scored].sort((a, b) => a.m.wrongMinutes - b.m.wrongMinutes || a.m.worst - b.m.worst)[0]!;
  return { setting: nearest.setting, problem: describeMismatch(zone, nearest.label, nearest.m, year) };
}

const choices79x1 = new Map<string, ZoneChoice<string>>();

/** The `<timeZone>` name for an IANA zone on 79x1/79x2/79x5/797x phones. */
export function ciscoZoneChoice(zone: string, year = thisYear()): ZoneChoice<string> {
  if (!isKnownZone(zone)) return { setting: FALLBACK_CISCO_ZONE, problem: `${zone} is not an IANA time zone; the phone shows UTC` };
  const key = `${zone}\u0000${year}`;
  let choice = choices79x1.get(key);
  if (!choice) {
    choice = choose(zone, year, CISCO_ZONES.map((z) => ({ setting: z.name, label: `"${z.name}"`, rule: z.rule, preferred: z.prefer?.includes(zone) ?? false })));
    choices79x1.set(key, choice);
  }
  return choice;
}

export function ciscoTimeZone(zone: string): string {
  return ciscoZoneChoice(zone).setting;
}

/**
 * `time_zone` values of the 7940/7960 SIP firmware and their standard offsets (Cisco SIP IP Phone
 * 7940/7960 admin guide, "time_zone"); summer time comes from the `dst_*` settings.
 */
export const FLAT_ZONES: ReadonlyArray<readonly [string, number]> = [
  ['HST', -10 * H], ['AKST', -9 * H], ['PST', -8 * H], ['MST', -7 * H], ['CST', -6 * H], ['EST', -5 * H],
  ['AST', -4 * H], ['NST', -3.5 * H], ['GMT', 0], ['CET', 1 * H], ['EET', 2 * H], ['BT', 3 * H],
  ['CCT', 8 * H], ['JST', 9 * H], ['EAST', 10 * H], ['NZST', 12 * H],
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export type FlatTimeSettings = Record<string, string | number>;

/** The rule day of a real transition: the wall-clock time in force just before it. */
function ruleDayOf(at: number, offsetBefore: number): RuleDay {
  const local = new Date(at + offsetBefore * 60_000);
  const day = local.getUTCDate();
  const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
  return {
    month: local.getUTCMonth() + 1,
    week: day + 7 > daysInMonth ? 'last' : (Math.ceil(day / 7) as 1 | 2 | 3 | 4),
    weekday: local.getUTCDay(),
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

/**
 * The zone's summer time this year as a phone rule: two changes, the one to the larger offset
 * starting summer. Anything else (a one-off change, four changes) has no yearly rule: undefined.
 */
function realDst(zone: string, year: number): DstRule | undefined {
  const changes = zoneTransitions(zone, year);
  const up = changes.find((c) => c.to > c.from);
  const down = changes.find((c) => c.to < c.from);
  if (changes.length !== 2 || !up || !down || up.from !== down.to || up.to !== down.from) return undefined;
  return { start: ruleDayOf(up.at, up.from), end: ruleDayOf(down.at, down.from), save: up.to - up.from };
}

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function dayFields(prefix: 'dst_start' | 'dst_stop', d: RuleDay): FlatTimeSettings {
  return {
    [`${prefix}_month`]: MONTHS[d.month - 1]!,
    // 0: the day is given relatively, by weekday and week of the month (8 = the last one).
    [`${prefix}_day`]: 0,
    [`${prefix}_day_of_week`]: WEEKDAYS[d.weekday]!,
    [`${prefix}_week_of_month`]: d.week === 'last' ? 8 : d.week,
    [`${prefix}_time`]: hhmm(d.minutes),
  };
}

/**
 * The 7940/7960 settings: `time_zone` from the standard offset, and the zone's real transitions
 * of this year as `dst_*` (both hemispheres: start after stop in the south). Admin guide
 * "Setting the Date, Time, and Daylight Savings Time": start time in standard time, stop time in
 * summer time, week 8 = last; voip-info.org "Cisco 79XX DST": week n = the n-th such weekday.
 */
function flatSettings(abbreviation: string, dst: DstRule | undefined): FlatTimeSettings {
  if (!dst) return { time_zone: abbreviation, dst_auto_adjust: 0 };
  return { time_zone: abbreviation, dst_auto_adjust: 1, dst_offset: dst.save / 60, ...dayFields('dst_start', dst.start), ...dayFields('dst_stop', dst.end) };
}

const flatChoices = new Map<string, ZoneChoice<FlatTimeSettings>>();

/** `time_zone` and `dst_*` for a 7940/7960 in an IANA zone. */
export function flatZoneChoice(zone: string, year = thisYear()): ZoneChoice<FlatTimeSettings> {
  if (!isKnownZone(zone)) return { setting: flatSettings('GMT', undefined), problem: `${zone} is not an IANA time zone; the phone shows UTC` };
  const key = `${zone}\u0000${year}`;
  let choice = flatChoices.get(key);
  if (!choice) {
    // The phone takes summer time in whole hours only.
    const real = realDst(zone, year);
    const dst = real && real.save % 60 === 0 ? real : undefined;
    choice = choose(
      zone,
      year,
      FLAT_ZONES.map(([abbreviation, standard]) => ({ setting: flatSettings(abbreviation, dst), label: `time_zone ${abbreviation}`, rule: { standard, ...(dst ? { dst } : {}) } })),
    );
    flatChoices.set(key, choice);
  }
  return choice;
}
