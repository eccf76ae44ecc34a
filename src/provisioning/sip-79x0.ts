/**
 * The 7940/7960 SIP firmware's flat files (pure): `SIPDefault.cnf` (settings for all of them),
 * `SIP<MAC>.cnf` (one phone; its values override the defaults) and `OS79XX.TXT` (the image
 * name). Lines are `key: value`; the phones read ISO-8859-1.
 */
import type { ResolvedConfig } from '../config/load.js';
import type { PhoneSettings } from '../config/schema.js';
import type { Phone } from '../phones/inventory.js';
import { transliterate } from '../xml/charset.js';
import type { PhoneUrls } from './phone-urls.js';
import { MASKED } from './sep-config.js';
import { utcOffsetMinutes } from './time-zones.js';

type Value = string | number;

/** Time zone names the 7940/7960 accept, by standard UTC offset in minutes. */
const ZONE_ABBREVIATIONS: ReadonlyMap<number, string> = new Map([
  [-600, 'HST'], [-540, 'AKST'], [-480, 'PST'], [-420, 'MST'], [-360, 'CST'], [-300, 'EST'], [-240, 'AST'],
  [-210, 'NST'], [0, 'GMT'], [60, 'CET'], [120, 'EET'], [180, 'BT'], [480, 'CCT'], [540, 'JST'],
  [600, 'EAST'], [720, 'NZST'],
]);

/** European summer time: last Sunday of March to last Sunday of October (week 8 = last). */
const EU_DST: Record<string, Value> = {
  dst_offset: 1,
  dst_start_month: 'March',
  dst_start_day: 0,
  dst_start_day_of_week: 'Sun',
  dst_start_week_of_month: 8,
  dst_start_time: '02:00',
  dst_stop_month: 'October',
  dst_stop_day: 0,
  dst_stop_day_of_week: 'Sun',
  dst_stop_week_of_month: 8,
  dst_stop_time: '03:00',
};

function timeSettings(zone: string): Record<string, Value> {
  const jan = utcOffsetMinutes(zone, new Date(Date.UTC(2024, 0, 15))) ?? 0;
  const jul = utcOffsetMinutes(zone, new Date(Date.UTC(2024, 6, 15))) ?? 0;
  const standard = Math.min(jan, jul);
  const summer = jan !== jul;
  return {
    time_zone: ZONE_ABBREVIATIONS.get(standard) ?? 'GMT',
    dst_auto_adjust: summer ? 1 : 0,
    ...(summer && zone.startsWith('Europe/') ? EU_DST : {}),
  };
}

/**
 * A value as the flat parser reads it: one line, no `"` or `;` (a comment starts there); quoted
 * when it holds anything beyond a plain token (spaces, `?`, `=`, `&`) or is empty.
 */
function formatValue(value: Value): string {
  if (typeof value === 'number') return String(value);
  const text = transliterate(value).replace(/[\x00-\x1f\x7f";]/g, '');
  return /^[A-Za-z0-9._:/@*#+-]+$/.test(text) ? text : `"${text}"`;
}

function flatFile(title: string, entries: Record<string, Value>): Buffer {
  const lines = [`# ${title}`, ...Object.entries(entries).map(([key, value]) => `${key}: ${formatValue(value)}`)];
  return Buffer.from(`${lines.join('\n')}\n`, 'latin1');
}

/** Settings shared by both files: a phone's own file repeats them so `phones[]` overrides `defaults:`. */
function commonSettings(settings: PhoneSettings, pbx: ResolvedConfig['pbx'], timeZone: string, imageVersion: string | undefined): Record<string, Value> {
  const ntp = settings.ntp?.[0] ?? pbx.host;
  return {
    ...(imageVersion ? { image_version: imageVersion } : {}),
    proxy1_address: pbx.host,
    proxy1_port: pbx.port,
    proxy_register: 1,
    // The phone appends ".xml": this is dialplan.xml.
    dial_template: 'dialplan',
    sntp_mode: 'unicast',
    sntp_server: ntp,
    ...timeSettings(timeZone),
    date_format: (settings.dateTemplate ?? 'M/D/Y').replace(/[.-]/g, '/').replace(/YY?A?$/, 'Y'),
    time_format_24hr: 1,
    nat_enable: 0,
    voip_control_port: 5060,
    ...(settings.messagesNumber ? { messages_uri: settings.messagesNumber } : {}),
  };
}

export interface SipDefaultInput {
  defaults: PhoneSettings;
  pbx: ResolvedConfig['pbx'];
  timeZone: string;
  imageVersion: string | undefined;
}

export function renderSipDefault(input: SipDefaultInput): Buffer {
  return flatFile('SIPDefault.cnf: settings for every 7940/7960', commonSettings(input.defaults, input.pbx, input.timeZone, input.imageVersion));
}

export interface SipPhoneInput {
  phone: Phone;
  pbx: ResolvedConfig['pbx'];
  urls: PhoneUrls;
  imageVersion: string | undefined;
  mask?: boolean;
}

export function renderSipPhone(input: SipPhoneInput): Buffer {
  const { phone, pbx, urls } = input;
  const entries: Record<string, Value> = {
    ...commonSettings(phone, pbx, phone.timeZone, input.imageVersion),
    phone_label: phone.label ?? '',
    services_url: urls.servicesURL,
    directory_url: urls.directoryURL,
  };
  phone.lines.slice(0, phone.caps.lineButtons).forEach((line, i) => {
    const n = i + 1;
    const authName = line.authName ?? line.number;
    entries[`proxy${n}_address`] = pbx.host;
    entries[`proxy${n}_port`] = pbx.port;
    entries[`line${n}_name`] = authName;
    entries[`line${n}_shortname`] = line.label ?? line.number;
    entries[`line${n}_authname`] = authName;
    entries[`line${n}_password`] = input.mask && line.password ? MASKED : (line.password ?? '');
    entries[`line${n}_displayname`] = line.displayName ?? line.number;
  });
  return flatFile(`SIP${phone.mac}.cnf: ${phone.label ?? phone.name}`, entries);
}

/** One line, the image name without extension, and nothing after it: a trailing space or CR makes the phone ask for a file that does not exist. */
export function renderOs79xx(imageVersion: string): Buffer {
  return Buffer.from(imageVersion.trim(), 'latin1');
}
