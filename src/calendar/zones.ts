/**
 * Time zones without a VTIMEZONE block. RFC 5545 §3.2.19 wants a VTIMEZONE for every TZID, but
 * feeds often send only the name (`Europe/Berlin`, or Outlook's `W. Europe Standard Time`). ical.js
 * then treats the time as floating, so a matching VTIMEZONE is built from the platform's IANA data
 * (Intl) and registered with ical.js's TimezoneService under the name the feed used.
 */
import ICAL from 'ical.js';

/** Windows zone names Outlook and Exchange write, mapped to IANA (CLDR windowsZones, territory 001). */
const WINDOWS_ZONES: Record<string, string> = {
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'Romance Standard Time': 'Europe/Paris',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Russian Standard Time': 'Europe/Moscow',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'US Mountain Standard Time': 'America/Phoenix',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Alaskan Standard Time': 'America/Anchorage',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Atlantic Standard Time': 'America/Halifax',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Singapore Standard Time': 'Asia/Singapore',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Arabian Standard Time': 'Asia/Dubai',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'UTC': 'UTC',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the platform knows this IANA zone name. */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock parts of an instant in a zone. `weekday` 0 = Sunday. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function wallTime(ms: number, zone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** Seconds east of UTC of a zone at an instant. */
export function offsetSeconds(ms: number, zone: string): number {
  const w = wallTime(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 1000);
}

/**
 * The instant a wall-clock time in a zone stands for. A time skipped by a DST change moves forward
 * by the gap; a repeated time takes its first (daylight) occurrence, as RFC 5545 §3.3.5 asks.
 */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, second: number, zone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  // The offsets in force a day either side are the only ones a wall time can mean.
  const candidates = [offsetSeconds(asUtc - DAY, zone), offsetSeconds(asUtc + DAY, zone)]
    .map((offset) => asUtc - offset * 1000)
    .sort((a, b) => a - b);
  return candidates.find((c) => offsetSeconds(c, zone) * 1000 === asUtc - c) ?? candidates[candidates.length - 1]!;
}

/** Midnight starting the given calendar day in a zone. */
export function startOfDay(year: number, month: number, day: number, zone: string): number {
  return zonedInstant(year, month, day, 0, 0, 0, zone);
}

/** The IANA zone a TZID names: itself, a Windows name, or the IANA tail of a prefixed id. */
export function ianaZoneFor(tzid: string): string | undefined {
  const name = tzid.trim().replace(/^"|"$/g, '');
  if (WINDOWS_ZONES[name]) return WINDOWS_ZONES[name];
  if (isKnownZone(name) && /\/|^UTC$|^GMT$/.test(name)) return name;
  // `/mozilla.org/20050126_1/Europe/Berlin`, `/citadel.org/20190914_1/Europe/Berlin`
  const tail = /([A-Za-z_]+\/[A-Za-z_+\-0-9]+(?:\/[A-Za-z_+\-0-9]+)?)$/.exec(name)?.[1];
  if (tail && isKnownZone(tail)) return tail;
  return undefined;
}

const DAY = 86_400_000;
const FIRST_YEAR = 1970;
const LAST_YEAR = 2060;

/** Offset changes of a zone (instant, offset before, offset after), found by scanning weekly and bisecting. */
function transitions(zone: string): { at: number; from: number; to: number }[] {
  const found: { at: number; from: number; to: number }[] = [];
  const end = Date.UTC(LAST_YEAR, 0, 1);
  let t = Date.UTC(FIRST_YEAR, 0, 1);
  let offset = offsetSeconds(t, zone);
  while (t < end) {
    const next = t + 7 * DAY;
    const nextOffset = offsetSeconds(next, zone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetSeconds(mid, zone) === offset) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, from: offset, to: nextOffset });
    }
    t = next;
    offset = nextOffset;
  }
  return found;
}

function utcOffsetText(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  return `${sign}${hh}${mm}`;
}

function localStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
}

/** A VTIMEZONE for `tzid` with the offsets of IANA zone `zone`, one observance per change (RFC 5545 §3.6.5). */
export function vtimezoneFromIntl(tzid: string, zone: string): string {
  const initial = offsetSeconds(Date.UTC(FIRST_YEAR, 0, 1), zone);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tzid}`];
  const observance = (startLocal: number, from: number, to: number, daylight: boolean): void => {
    const kind = daylight ? 'DAYLIGHT' : 'STANDARD';
    lines.push(`BEGIN:${kind}`, `DTSTART:${localStamp(startLocal)}`, `TZOFFSETFROM:${utcOffsetText(from)}`, `TZOFFSETTO:${utcOffsetText(to)}`, `END:${kind}`);
  };
  observance(Date.UTC(1900, 0, 1), initial, initial, false);
  for (const change of transitions(zone)) {
    // The observance starts at the local time (old offset) of the change; daylight when the clock went forward.
    observance(change.at + change.from * 1000, change.from, change.to, change.to > change.from);
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

/**
 * Makes sure ical.js can resolve `tzid` without a VTIMEZONE in the file: when the TimezoneService
 * has no such zone and the name maps to an IANA zone, a definition is built and registered.
 * Returns false when the name means nothing (its times then stay floating).
 */
export function ensureZoneRegistered(tzid: string): boolean {
  if (ICAL.TimezoneService.has(tzid)) return true;
  const zone = ianaZoneFor(tzid);
  if (!zone) return false;
  const component = new ICAL.Component(ICAL.parse(vtimezoneFromIntl(tzid, zone)));
  ICAL.TimezoneService.register(new ICAL.Timezone({ component, tzid }));
  return true;
}
