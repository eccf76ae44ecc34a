/** Turning numbers as people write them into what the PBX dials, and into lookup keys. */
import { createRequire } from 'node:module';
import type { parsePhoneNumberFromString as ParsePhoneNumber } from 'libphonenumber-js';

const require = createRequire(import.meta.url);
let parsePhoneNumber: typeof ParsePhoneNumber | undefined;

/**
 * libphonenumber-js (with its small `min` metadata, its default) loads with the first public
 * number, not with the server: after it listens, or never when no number needs it. Its CommonJS
 * build: the same code in fewer modules, loaded in about half the time and 3 MB less than its ES one.
 */
function parsePublicNumber(text: string, country: string): ReturnType<typeof ParsePhoneNumber> {
  parsePhoneNumber ??= (require('libphonenumber-js') as typeof import('libphonenumber-js')).parsePhoneNumberFromString;
  return parsePhoneNumber(text, { defaultCallingCode: country });
}

export interface DialingRules {
  /** Country calling code of the PBX, e.g. `49`. */
  country: string;
  internationalPrefix: string;
  trunkPrefix: string;
  outsideLinePrefix: string;
}

export interface Dialer {
  /** What to dial from a phone on this PBX, or undefined when nothing dialable is left. */
  dialable(raw: string): string | undefined;
  /** A key equal for every spelling of the same number (`+49…` for public numbers). */
  key(raw: string): string | undefined;
  /** Both, from one parse (the phone book indexes every number both ways). */
  forms(raw: string): { dial?: string; key?: string };
}

/** `tel:+49-89-1;ext=2`, `+49 (0)89 12 34-5` → only what a keypad can send (`+`, digits, `*`, `#`). */
function clean(raw: string): string {
  const s = raw.trim().replace(/^tel:/i, '').split(/[;,]/)[0]!.replace(/[^0-9+*#]/g, '');
  return s.replace(/(?!^)\+/g, '');
}

export function createDialer(rules: DialingRules): Dialer {
  const parse = (raw: string) => {
    let s = clean(raw);
    if (!s) return { text: '' };
    if (rules.internationalPrefix && s.startsWith(rules.internationalPrefix)) s = `+${s.slice(rules.internationalPrefix.length)}`;
    // Public numbers carry a country code or the trunk prefix; anything else (extensions, **codes) is dialled as written.
    const isPublic = s.startsWith('+') || (rules.trunkPrefix !== '' && s.startsWith(rules.trunkPrefix));
    if (!isPublic || /[*#]/.test(s)) return { text: s };
    const n = parsePublicNumber(s, rules.country);
    return n && n.isPossible() ? { text: s, cc: n.countryCallingCode as string, national: n.nationalNumber as string } : { text: s };
  };
  type Parsed = ReturnType<typeof parse>;
  const dialableOf = (p: Parsed): string | undefined => {
    if (!p.text) return undefined;
    if (p.cc === undefined || p.national === undefined) return p.text.replace(/^\+/, rules.outsideLinePrefix + rules.internationalPrefix);
    const number = p.cc === rules.country ? `${rules.trunkPrefix}${p.national}` : `${rules.internationalPrefix}${p.cc}${p.national}`;
    return `${rules.outsideLinePrefix}${number}`;
  };
  const keyOf = (p: Parsed): string | undefined => {
    if (!p.text) return undefined;
    return p.cc !== undefined ? `+${p.cc}${p.national}` : p.text;
  };
  return {
    dialable: (raw) => dialableOf(parse(raw)),
    key: (raw) => keyOf(parse(raw)),
    forms(raw) {
      const p = parse(raw);
      return { dial: dialableOf(p), key: keyOf(p) };
    },
  };
}
