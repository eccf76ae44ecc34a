/**
 * The phone's date and time format and its locale code, decided once for both firmware families
 * (pure): `dateTemplate` if set, else the language's usual form; the locale code from the Cisco
 * locale name (`German_Germany` → `de_DE`), not from the language of our screens.
 */
import type { PhoneSettings } from '../config/schema.js';

/** The template a phone shows without `dateTemplate`: day first in German, month first and AM/PM in English. */
const DEFAULT_TEMPLATE = { en: 'M/D/YA', de: 'D.M.YY' } as const;

/**
 * Cisco `dateTemplate` (usecallmanager sepmac-cnf-xml; CUCM "Date/Time Group"): M, D and Y once
 * each (doubled for two digits), separated by `/`, `.` or `-`; a final `A` is the 12-hour clock.
 */
const TEMPLATE = /^(M{1,2}|D{1,2}|Y{1,2})([/.-])(M{1,2}|D{1,2}|Y{1,2})\2(M{1,2}|D{1,2}|Y{1,2})(A?)$/;

export interface DateTimeFormat {
  /** `<dateTemplate>` of the cnf.xml family. */
  template: string;
  /** `date_format` of the 7940/7960: the order of day, month and year. */
  order: string;
  /** 24-hour clock (`time_format_24hr`; the cnf.xml family reads it from the template's `A`). */
  hour24: boolean;
}

/** Why a `dateTemplate` is not one the phones read, or undefined. */
export function dateTemplateProblem(template: string): string | undefined {
  const m = TEMPLATE.exec(template);
  const letters = m ? [m[1]![0], m[3]![0], m[4]![0]] : [];
  return m && new Set(letters).size === 3 ? undefined : 'the phones read M, D and Y once each, separated by / . or -, with A at the end for a 12-hour clock (e.g. D.M.YY, M/D/YA)';
}

export function dateTimeFormat(settings: Pick<PhoneSettings, 'dateTemplate' | 'language'>): DateTimeFormat {
  const template = settings.dateTemplate && !dateTemplateProblem(settings.dateTemplate) ? settings.dateTemplate : DEFAULT_TEMPLATE[settings.language ?? 'en'];
  const m = TEMPLATE.exec(template)!;
  return { template, order: [m[1]![0], m[3]![0], m[4]![0]].join('/'), hour24: m[5] !== 'A' };
}

const LANGUAGE_CODES: ReadonlyMap<string, string> = namesToCodes('language', 'abcdefghijklmnopqrstuvwxyz');
const REGION_CODES: ReadonlyMap<string, string> = namesToCodes('region', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
/** Cisco's locale folders use older country names than CLDR. */
const CISCO_REGIONS: Readonly<Record<string, string>> = {
  czech_republic: 'CZ', korea_republic: 'KR', russian_federation: 'RU', china_hong_kong: 'HK',
};

/** English display name (lower case, `_` for spaces) → code, for every two-letter code Intl names. */
function namesToCodes(type: 'language' | 'region', alphabet: string): Map<string, string> {
  const names = new Intl.DisplayNames(['en'], { type, fallback: 'none' });
  const out = new Map<string, string>();
  for (const a of alphabet) {
    for (const b of alphabet) {
      const code = `${a}${b}`;
      // Deprecated codes (DD, iw) name the same place or language as their replacement: skip them.
      const tag = type === 'language' ? code : `und-${code}`;
      if (Intl.getCanonicalLocales(tag)[0] !== tag) continue;
      const name = names.of(code)?.toLowerCase().replace(/ /g, '_');
      if (name && !out.has(name)) out.set(name, code);
    }
  }
  return out;
}

/**
 * `<userLocale><langCode>` from the locale folder name (`German_Germany` → `de_DE`,
 * `English_United_States` → `en_US`); undefined when the name is not Language_Country.
 */
export function localeCode(userLocale: string): string | undefined {
  const [language = '', ...country] = userLocale.toLowerCase().split('_');
  const lang = LANGUAGE_CODES.get(language);
  const region = CISCO_REGIONS[country.join('_')] ?? REGION_CODES.get(country.join('_'));
  return lang && region ? `${lang}_${region}` : undefined;
}
