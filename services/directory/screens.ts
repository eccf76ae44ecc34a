/** The phone book's screens as pure functions: hits → directory entries, keypad groups → menu items. */
import type { Hit } from '../../src/contacts/search-index.js';
import { isNumberType } from '../../src/contacts/contact.js';
import type { Language } from '../../src/i18n/messages.js';
import { ellipsisFor, type Charset } from '../../src/xml/charset.js';
import { LIMITS } from '../../src/xml/limits.js';
import type { DirectoryEntry } from '../../src/xml/objects.js';
import { directoryText } from './messages.js';

/** Entries per Directory page (at most 32 per CiscoIPPhoneDirectory, Cisco developer notes). */
export const PAGE_SIZE = LIMITS.directoryEntries;

/** `Anna Berg (mobile)`, the name shortened so the label always fits in 32 characters. */
export function entryName(hit: Hit, language: Language, charset: Charset): string {
  const label = isNumberType(hit.type) ? directoryText(language, hit.type) : hit.type;
  const suffix = ` (${[...label].slice(0, 12).join('')})`;
  const room = LIMITS.directoryName - [...suffix].length;
  const chars = [...hit.name];
  const name = chars.length <= room ? hit.name : chars.slice(0, room - [...ellipsisFor(charset)].length).join('').trimEnd() + ellipsisFor(charset);
  return `${name}${suffix}`;
}

export function toEntries(hits: readonly Hit[], language: Language, charset: Charset): DirectoryEntry[] {
  return hits.map((h) => ({ name: entryName(h, language, charset), telephone: h.dial }));
}

const GROUP_LETTERS: Record<string, string> = { 2: 'ABC', 3: 'DEF', 4: 'GHI', 5: 'JKL', 6: 'MNO', 7: 'PQRS', 8: 'TUV', 9: 'WXYZ' };

/** Menu name of a keypad group: `2  ABC`; group 1 holds names starting with a digit or sign. */
export function groupName(group: string, language: Language): string {
  return `${group}  ${GROUP_LETTERS[group] ?? directoryText(language, 'others')}`;
}
