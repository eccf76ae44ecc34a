/** Folding names for search: case, accents and the keypad (T9) view of a word. */
import { transliterate } from '../xml/charset.js';

/** Latin-1 letters without a canonical decomposition. */
const LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', þ: 'th', ð: 'd' };
const GERMAN: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

function base(s: string): string {
  return transliterate(s).toLowerCase();
}

/** Lower case without accents: `Müller` → `muller`, `Łukasz` → `lukasz`. */
export function fold(s: string): string {
  return base(s)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæøþð]/g, (c) => LETTERS[c]!);
}

/** The German spelling without umlauts: `Müller` → `mueller` (so both spellings find the name). */
export function foldGerman(s: string): string {
  return fold(base(s).replace(/[äöüß]/g, (c) => GERMAN[c]!));
}

/** Words of a folded text (letters and digits). */
export function words(folded: string): string[] {
  return folded.split(/[^a-z0-9]+/).filter(Boolean);
}

const KEYPAD: Record<string, string> = {};
for (const [digit, letters] of Object.entries({ 2: 'abc', 3: 'def', 4: 'ghi', 5: 'jkl', 6: 'mno', 7: 'pqrs', 8: 'tuv', 9: 'wxyz' })) {
  for (const letter of letters) KEYPAD[letter] = digit;
}

/** A folded word typed on the keypad: `muller` → `685537`. */
export function t9(foldedWord: string): string {
  return foldedWord.replace(/[a-z]/g, (c) => KEYPAD[c]!);
}

/** The keypad key a folded letter sits on (`a` → 2), or undefined for digits and others. */
export function keyOf(letter: string): string | undefined {
  return KEYPAD[letter];
}
