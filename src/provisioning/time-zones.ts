/**
 * IANA time zones (what the config holds) to the Windows-style names Cisco phones take in
 * `<timeZone>` (the phone carries its own DST rules per name). Common zones are listed; any other
 * zone gets the listed name whose winter and summer offsets match its own.
 */

/** Cisco name → the IANA zones it stands for (the first one also defines its offsets). */
const CISCO_ZONES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Dateline Standard Time', ['Etc/GMT+12']],
  ['Samoa Standard Time', ['Pacific/Pago_Pago', 'Pacific/Midway']],
  ['Hawaiian Standard Time', ['Pacific/Honolulu']],
  ['Alaskan Standard/Daylight Time', ['America/Anchorage', 'America/Juneau']],
  ['Pacific Standard/Daylight Time', ['America/Los_Angeles', 'America/Vancouver', 'America/Tijuana', 'US/Pacific']],
  ['US Mountain Standard Time', ['America/Phoenix']],
  ['Mountain Standard/Daylight Time', ['America/Denver', 'America/Edmonton', 'America/Boise', 'US/Mountain']],
  ['Central America Standard Time', ['America/Guatemala', 'America/Costa_Rica']],
  ['Canada Central Standard Time', ['America/Regina']],
  ['Mexico Standard/Daylight Time', ['America/Mexico_City', 'America/Monterrey']],
  ['Central Standard/Daylight Time', ['America/Chicago', 'America/Winnipeg', 'US/Central']],
  ['SA Pacific Standard Time', ['America/Bogota', 'America/Lima']],
  ['US Eastern Standard Time', ['America/Indiana/Indianapolis']],
  ['Eastern Standard/Daylight Time', ['America/New_York', 'America/Toronto', 'America/Detroit', 'US/Eastern']],
  ['SA Western Standard Time', ['America/Caracas', 'America/La_Paz']],
  ['Pacific SA Standard Time', ['America/Santiago']],
  ['Atlantic Standard/Daylight Time', ['America/Halifax', 'Atlantic/Bermuda']],
  ['Newfoundland Standard/Daylight Time', ['America/St_Johns']],
  ['SA Eastern Standard Time', ['America/Argentina/Buenos_Aires', 'America/Buenos_Aires', 'America/Cayenne']],
  ['E. South America Standard/Daylight Time', ['America/Sao_Paulo']],
  ['Greenland Standard/Daylight Time', ['America/Nuuk', 'America/Godthab']],
  ['Mid-Atlantic Standard/Daylight Time', ['Atlantic/South_Georgia']],
  ['Azores Standard/Daylight Time', ['Atlantic/Azores']],
  ['Cape Verde Standard Time', ['Atlantic/Cape_Verde']],
  ['GMT Standard/Daylight Time', ['Europe/London', 'Europe/Dublin', 'Europe/Lisbon', 'Atlantic/Canary', 'Atlantic/Madeira']],
  ['Greenwich Standard Time', ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Atlantic/Reykjavik', 'Africa/Abidjan', 'Africa/Casablanca']],
  ['Central Europe Standard/Daylight Time', [
    'Europe/Berlin', 'Europe/Budapest', 'Europe/Prague', 'Europe/Bratislava', 'Europe/Ljubljana', 'Europe/Belgrade',
    'Europe/Vienna', 'Europe/Zurich', 'Europe/Busingen', 'Europe/Vaduz',
  ]],
  ['W. Europe Standard/Daylight Time', ['Europe/Amsterdam', 'Europe/Rome', 'Europe/Stockholm', 'Europe/Oslo', 'Europe/Luxembourg', 'Europe/Monaco', 'Europe/Malta', 'Europe/San_Marino', 'Europe/Vatican', 'Europe/Andorra', 'Europe/Gibraltar']],
  ['Romance Standard/Daylight Time', ['Europe/Paris', 'Europe/Brussels', 'Europe/Copenhagen', 'Europe/Madrid']],
  ['Central European Standard/Daylight Time', ['Europe/Warsaw', 'Europe/Zagreb', 'Europe/Sarajevo', 'Europe/Skopje', 'Europe/Podgorica', 'Europe/Tirane']],
  ['W. Central Africa Standard Time', ['Africa/Lagos', 'Africa/Algiers', 'Africa/Tunis']],
  ['GTB Standard/Daylight Time', ['Europe/Athens', 'Europe/Bucharest', 'Asia/Nicosia', 'Europe/Chisinau']],
  ['FLE Standard/Daylight Time', ['Europe/Helsinki', 'Europe/Kyiv', 'Europe/Kiev', 'Europe/Riga', 'Europe/Tallinn', 'Europe/Vilnius', 'Europe/Sofia']],
  ['Israel Standard/Daylight Time', ['Asia/Jerusalem', 'Asia/Tel_Aviv']],
  ['Egypt Standard/Daylight Time', ['Africa/Cairo']],
  ['South Africa Standard Time', ['Africa/Johannesburg', 'Africa/Harare', 'Africa/Maputo']],
  ['Turkey Standard Time', ['Europe/Istanbul']],
  ['Russian Standard Time', ['Europe/Moscow', 'Europe/Minsk', 'Europe/Simferopol']],
  ['Arab Standard Time', ['Asia/Riyadh', 'Asia/Kuwait', 'Asia/Qatar', 'Asia/Bahrain', 'Asia/Baghdad']],
  ['E. Africa Standard Time', ['Africa/Nairobi', 'Africa/Addis_Ababa']],
  ['Iran Standard Time', ['Asia/Tehran']],
  ['Arabian Standard Time', ['Asia/Dubai', 'Asia/Muscat']],
  ['Caucasus Standard Time', ['Asia/Yerevan', 'Asia/Baku', 'Asia/Tbilisi']],
  ['Afghanistan Standard Time', ['Asia/Kabul']],
  ['West Asia Standard Time', ['Asia/Karachi', 'Asia/Tashkent', 'Asia/Yekaterinburg']],
  ['India Standard Time', ['Asia/Kolkata', 'Asia/Calcutta', 'Asia/Colombo']],
  ['Nepal Standard Time', ['Asia/Kathmandu']],
  ['Central Asia Standard Time', ['Asia/Dhaka', 'Asia/Almaty', 'Asia/Omsk']],
  ['Myanmar Standard Time', ['Asia/Yangon', 'Asia/Rangoon']],
  ['SE Asia Standard Time', ['Asia/Bangkok', 'Asia/Jakarta', 'Asia/Ho_Chi_Minh', 'Asia/Novosibirsk', 'Asia/Krasnoyarsk']],
  ['China Standard Time', ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Irkutsk']],
  ['Singapore Standard Time', ['Asia/Singapore', 'Asia/Kuala_Lumpur', 'Asia/Manila']],
  ['Taipei Standard Time', ['Asia/Taipei']],
  ['W. Australia Standard Time', ['Australia/Perth']],
  ['Tokyo Standard Time', ['Asia/Tokyo', 'Asia/Yakutsk']],
  ['Korea Standard Time', ['Asia/Seoul']],
  ['AUS Central Standard Time', ['Australia/Darwin']],
  ['Cen. Australia Standard/Daylight Time', ['Australia/Adelaide']],
  ['E. Australia Standard Time', ['Australia/Brisbane']],
  ['AUS Eastern Standard/Daylight Time', ['Australia/Sydney', 'Australia/Melbourne', 'Australia/Canberra']],
  ['Tasmania Standard/Daylight Time', ['Australia/Hobart']],
  ['West Pacific Standard Time', ['Pacific/Guam', 'Pacific/Port_Moresby', 'Asia/Vladivostok']],
  ['Central Pacific Standard Time', ['Pacific/Noumea', 'Pacific/Guadalcanal', 'Asia/Magadan']],
  ['New Zealand Standard/Daylight Time', ['Pacific/Auckland']],
  ['Fiji Standard Time', ['Pacific/Fiji']],
  ['Tonga Standard Time', ['Pacific/Tongatapu']],
];

/** The name phones fall back to when a zone is unknown to the runtime. */
export const FALLBACK_CISCO_ZONE = 'Greenwich Standard Time';

const BY_IANA = new Map<string, string>(CISCO_ZONES.flatMap(([cisco, zones]) => zones.map((z) => [z.toLowerCase(), cisco] as const)));

/** Minutes east of UTC of `zone` at `at`, or undefined for a zone the runtime does not know. */
export function utcOffsetMinutes(zone: string, at: Date): number | undefined {
  let label: string | undefined;
  try {
    label = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    return undefined;
  }
  const m = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(label ?? '');
  if (!m) return undefined;
  if (!m[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Winter and summer offsets (January and July of a fixed year), the fingerprint used for matching. */
function offsets(zone: string): [number, number] | undefined {
  const jan = utcOffsetMinutes(zone, new Date(Date.UTC(2024, 0, 15)));
  const jul = utcOffsetMinutes(zone, new Date(Date.UTC(2024, 6, 15)));
  return jan === undefined || jul === undefined ? undefined : [jan, jul];
}

/** The Cisco `<timeZone>` name for an IANA zone: from the table, else by matching offsets, else GMT. */
export function ciscoTimeZone(iana: string): string {
  const listed = BY_IANA.get(iana.toLowerCase());
  if (listed) return listed;
  const own = offsets(iana);
  if (!own) return FALLBACK_CISCO_ZONE;
  const sameOffsets = CISCO_ZONES.find(([, zones]) => {
    const theirs = offsets(zones[0]!);
    return theirs !== undefined && theirs[0] === own[0] && theirs[1] === own[1];
  });
  if (sameOffsets) return sameOffsets[0];
  // Same standard time, different (or no) summer time: the clock is right half the year at least.
  const standard = Math.min(own[0], own[1]);
  const sameStandard = CISCO_ZONES.find(([, zones]) => {
    const theirs = offsets(zones[0]!);
    return theirs !== undefined && Math.min(theirs[0], theirs[1]) === standard;
  });
  return sameStandard ? sameStandard[0] : FALLBACK_CISCO_ZONE;
}
