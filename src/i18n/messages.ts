export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

export type Catalogue<K extends string> = Record<Language, Record<K, string>>;

export type Translate<K extends string> = (language: Language, key: K, vars?: Record<string, string | number>) => string;

/**
 * A feature's message catalogue: every word a phone shows comes from one of these, in every
 * language. `{name}` in a message is replaced from `vars`.
 */
export function defineMessages<K extends string>(catalogue: Catalogue<K>): Translate<K> {
  return (language, key, vars) => {
    const template = catalogue[language][key] ?? catalogue.en[key];
    return vars ? template.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole)) : template;
  };
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** The first supported language in an Accept-Language header (`de-DE,de;q=0.9,en;q=0.8`, `en_US`). */
export function languageFromHeader(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)/.exec(p)?.[1]).find(Boolean);
      return { base: tag.trim().toLowerCase().split(/[-_]/)[0] ?? '', q: q ? Number(q) : 1 };
    })
    .filter((r) => r.base && r.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((r) => r.base).find(isLanguage);
}
