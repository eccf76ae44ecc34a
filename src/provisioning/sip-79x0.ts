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
import { dateTimeFormat } from './locale.js';
import { flatZoneChoice } from './time-zones.js';

type Value = string | number;

/** A value the file must carry exactly (a password, a SIP user name): never transliterated or shortened. */
class Exact {
  constructor(readonly text: string) {}
}

type Entry = Value | Exact;

/**
 * Why a text cannot travel in a flat file as it is, or undefined. The parser reads one line per
 * key, `"` quotes a value and `;` starts a comment (Cisco SIP IP Phone 7940/7960 admin guide,
 * "Configuration file parameters"); the file is ISO-8859-1, so other characters are transliterated,
 * which a secret must never be.
 */
export function flatValueProblem(text: string, secret: boolean): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(text)) return 'a control character cannot be written into the 7940/7960 configuration file';
  if (/[";]/.test(text)) return 'the 7940/7960 configuration file cannot carry " or ; (the phone reads a quote or a comment)';
  if (secret && transliterate(text) !== text) return 'the 7940/7960 configuration file is ISO-8859-1: this secret has characters it cannot carry';
  return undefined;
}

/**
 * A value as the flat parser reads it: quoted when it holds anything beyond a plain token
 * (spaces, `?`, `=`, `&`) or is empty. What `flatValueProblem` reports (and `ciscophone check`
 * refuses) is dropped from ordinary text; a secret is written as it is.
 */
function formatValue(value: Entry): string {
  if (typeof value === 'number') return String(value);
  const text = value instanceof Exact ? value.text : transliterate(value).replace(/[\x00-\x1f\x7f";]/g, '');
  return /^[A-Za-z0-9._:/@*#+-]+$/.test(text) ? text : `"${text}"`;
}

function flatFile(title: string, entries: Record<string, Entry>): Buffer {
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
    ...flatZoneChoice(timeZone).setting,
    // The same format as the cnf.xml family gets: order from the template, 12-hour clock for a final A.
    date_format: dateTimeFormat(settings).order,
    time_format_24hr: dateTimeFormat(settings).hour24 ? 1 : 0,
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
  const entries: Record<string, Entry> = {
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
    entries[`line${n}_name`] = new Exact(authName);
    entries[`line${n}_shortname`] = line.label ?? line.number;
    entries[`line${n}_authname`] = new Exact(authName);
    entries[`line${n}_password`] = new Exact(input.mask && line.password ? MASKED : (line.password ?? ''));
    entries[`line${n}_displayname`] = line.displayName ?? line.number;
  });
  return flatFile(`SIP${phone.mac}.cnf: ${phone.label ?? phone.name}`, entries);
}

/** One line, the image name without extension, and nothing after it: a trailing space or CR makes the phone ask for a file that does not exist. */
export function renderOs79xx(imageVersion: string): Buffer {
  return Buffer.from(imageVersion.trim(), 'latin1');
}
