/** FRITZ!Box phone book export (`<phonebooks><phonebook><contact>…`) → contacts. */
import { XMLParser } from 'fast-xml-parser';
import type { Contact, ContactNumber } from './contact.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['phonebook', 'contact', 'number'].includes(name),
});

const TYPES: Record<string, string> = { home: 'home', mobile: 'mobile', work: 'work', fax_work: 'fax', fax: 'fax', intern: 'other', memo: 'other', other: 'other' };

type Node = Record<string, unknown>;

function str(value: unknown): string {
  if (value && typeof value === 'object') return str((value as Node)['#text']);
  return value === undefined || value === null ? '' : String(value).trim();
}

/** Every entry with a name of every phone book in the export. Throws when the text is not such an export. */
export function parseFritzBoxPhonebook(xml: string): Contact[] {
  const doc = parser.parse(xml) as Node;
  const books = (doc.phonebooks as Node | undefined)?.phonebook as Node[] | undefined;
  if (!books) throw new Error('not a FRITZ!Box phone book export (no <phonebooks><phonebook>)');
  const contacts: Contact[] = [];
  for (const book of books) {
    for (const entry of (book.contact as Node[] | undefined) ?? []) {
      const name = str((entry.person as Node | undefined)?.realName);
      if (!name) continue;
      const numbers: ContactNumber[] = [];
      for (const n of ((entry.telephony as Node | undefined)?.number as Node[] | undefined) ?? []) {
        const number = str(n);
        if (number) numbers.push({ type: TYPES[str(n['@_type']).toLowerCase()] ?? 'other', number });
      }
      contacts.push({ name, numbers });
    }
  }
  return contacts;
}
