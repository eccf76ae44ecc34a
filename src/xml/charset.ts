/**
 * Character sets for phone bodies. Per Cisco's developer notes, 7940/7960 read only their locale charset, so they get
 * ISO-8859-1 with everything outside Latin-1 transliterated; newer models read UTF-8.
 */

export type Charset = 'utf-8' | 'iso-8859-1';

/** Name written in the XML declaration and the Content-Type charset parameter. */
export function charsetLabel(charset: Charset): 'UTF-8' | 'ISO-8859-1' {
  return charset === 'utf-8' ? 'UTF-8' : 'ISO-8859-1';
}

/** Ellipsis used when a text field is shortened; Latin-1 has no '…'. */
export function ellipsisFor(charset: Charset): string {
  return charset === 'utf-8' ? '…' : '...';
}

const CYRILLIC: Record<string, string> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Е: 'E', Ё: 'Yo', Ж: 'Zh', З: 'Z', И: 'I', Й: 'Y', К: 'K',
  Л: 'L', М: 'M', Н: 'N', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', У: 'U', Ф: 'F', Х: 'Kh', Ц: 'Ts',
  Ч: 'Ch', Ш: 'Sh', Щ: 'Shch', Ъ: '', Ы: 'Y', Ь: '', Э: 'E', Ю: 'Yu', Я: 'Ya',
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  // Ukrainian, Belarusian, Serbian, Macedonian
  Є: 'Ye', є: 'ye', І: 'I', і: 'i', Ї: 'Yi', ї: 'yi', Ґ: 'G', ґ: 'g', Ў: 'U', ў: 'u',
  Ђ: 'Dj', ђ: 'dj', Ј: 'J', ј: 'j', Љ: 'Lj', љ: 'lj', Њ: 'Nj', њ: 'nj', Ћ: 'C', ћ: 'c',
  Џ: 'Dz', џ: 'dz', Ѓ: 'Gj', ѓ: 'gj', Ќ: 'Kj', ќ: 'kj', Ѕ: 'Dz', ѕ: 'dz',
};

const GREEK: Record<string, string> = {
  Α: 'A', Β: 'V', Γ: 'G', Δ: 'D', Ε: 'E', Ζ: 'Z', Η: 'I', Θ: 'Th', Ι: 'I', Κ: 'K', Λ: 'L', Μ: 'M',
  Ν: 'N', Ξ: 'X', Ο: 'O', Π: 'P', Ρ: 'R', Σ: 'S', Τ: 'T', Υ: 'Y', Φ: 'F', Χ: 'Ch', Ψ: 'Ps', Ω: 'O',
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm',
  ν: 'n', ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps',
  ω: 'o',
};

/** Letters and symbols outside Latin-1 that have no useful compatibility decomposition. */
const SPECIAL: Record<string, string> = {
  // Latin letters with a stroke or other non-decomposable modification
  Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Œ: 'OE', œ: 'oe',
  Ŋ: 'N', ŋ: 'n', Ŧ: 'T', ŧ: 't', ſ: 's', ƒ: 'f', ĸ: 'k', Ə: 'E', ə: 'e', ẞ: 'SS', Ɨ: 'I', ɨ: 'i',
  // Dashes and minus signs
  '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-', '⁃': '-',
  // Quotes and primes
  '‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", '‹': '<', '›': '>',
  '“': '"', '”': '"', '„': '"', '‟': '"', '″': '"',
  // Other punctuation and symbols
  '…': '...', '•': '*', '‣': '*', '⁄': '/', '∕': '/', '†': '+', '‡': '+', '‰': '%o',
  '€': 'EUR', '₤': 'L', '₹': 'INR', '₽': 'RUB', '₺': 'TRY', '₩': 'W', '₱': 'P', '₴': 'UAH', '₿': 'BTC',
  '←': '<-', '→': '->', '↔': '<->', '⇐': '<=', '⇒': '=>', '≤': '<=', '≥': '>=', '≠': '!=',
  '≈': '~', '∞': 'oo', '√': 'sqrt', '✓': 'v', '✔': 'v', '✗': 'x', '✘': 'x', '☎': 'Tel', '✆': 'Tel',
  '№': 'No',
};

const COMBINING_MARK = /\p{M}/gu;
const FORMAT_CHAR = /^\p{Cf}$/u;

function mapOne(ch: string): string | undefined {
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return ch;
  return SPECIAL[ch] ?? CYRILLIC[ch] ?? GREEK[ch];
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** Transliterates one character that is outside Latin-1 (or any character of a folded word). */
function fold(ch: string, keepLatin1: boolean): string {
  const direct = keepLatin1 ? mapOne(ch) : SPECIAL[ch] ?? CYRILLIC[ch] ?? GREEK[ch];
  if (direct !== undefined) return direct;
  if (FORMAT_CHAR.test(ch)) return '';
  let out = '';
  for (const part of ch.normalize('NFKD').replace(COMBINING_MARK, '')) {
    out += mapOne(part) ?? (FORMAT_CHAR.test(part) ? '' : '?');
  }
  return out;
}

/**
 * Rewrites a string so that every character is in ISO-8859-1. Words made only of Latin-1 letters
 * are kept as they are (Müller, Größe, Café). A word with any letter outside Latin-1 is folded as a
 * whole, so it does not come out half accented: known letters and symbols are mapped (Ł→L, Cyrillic
 * and Greek to Latin, €→EUR, quotes and dashes to ASCII), anything else goes through NFKD with its
 * combining marks removed (Łódź→Lodz, Dvořák→Dvorak). What still does not fit becomes '?'.
 * Invisible format characters (zero-width joiners, byte order marks, direction marks) are dropped.
 */
export function transliterate(s: string): string {
  const text = s.normalize('NFC');
  if (!/[^\u0000-\u00ff]/.test(text)) return text;
  return text
    .replace(WORD, (word) => (/[^\u0000-\u00ff]/.test(word) ? [...word].map((ch) => fold(ch, false)).join('') : word))
    .replace(/[^\u0000-\u00ff]/gu, (ch) => fold(ch, true));
}

function escapeXmlChars(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The bytes of an XML body in the given charset. For ISO-8859-1, characters outside Latin-1 are
 * transliterated; the replacement is written as character references where it contains markup
 * characters, so the document stays well-formed whether the character sat in text or an attribute.
 */
export function encodeBody(xml: string, charset: Charset): Buffer {
  if (charset === 'utf-8') return Buffer.from(xml, 'utf8');
  const latin1 = xml.normalize('NFC').replace(/[^\u0000-\u00ff]+/g, (run) => escapeXmlChars(transliterate(run)));
  return Buffer.from(latin1, 'latin1');
}
