/** vCard 2.1 / 3.0 / 4.0 → contacts, with ical.js after the small normaliser. */
import ICAL from 'ical.js';
import type { Contact, ContactNumber } from './contact.js';
import { normaliseVCard, splitVCards } from './vcard-normalise.js';

/** Called for each card that cannot be read; the card is skipped, the rest of the book is kept. */
export type CardWarning = (message: string) => void;

type Property = InstanceType<typeof ICAL.Property>;

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join(' ');
  return value === null || value === undefined ? '' : String(value).trim();
}

function values(prop: Property | null): string[] {
  return prop ? prop.getValues().map(text).filter(Boolean) : [];
}

function types(prop: Property): string[] {
  const t = prop.getParameter('type');
  const list = Array.isArray(t) ? t : t ? [t] : [];
  return list.flatMap((x) => String(x).split(',')).map((x) => x.trim().toLowerCase());
}

/** Apple `_$!<Mobile>!$_` labels and vCard TYPE lists → one number type or the user's own label. */
function numberType(typeList: string[], label: string | undefined): string {
  if (label) {
    const apple = /^_\$!<(.+)>!\$_$/.exec(label)?.[1]?.toLowerCase();
    if (!apple) return label.trim();
    typeList = [apple.includes('fax') ? 'fax' : apple === 'iphone' ? 'cell' : apple];
  }
  if (typeList.some((t) => t.includes('fax'))) return 'fax';
  if (typeList.some((t) => t === 'cell' || t === 'mobile' || t === 'iphone')) return 'mobile';
  if (typeList.includes('pager')) return 'pager';
  if (typeList.includes('work')) return 'work';
  if (typeList.includes('home')) return 'home';
  if (typeList.includes('main')) return 'main';
  return 'other';
}

/** One card, or undefined for a group card (iCloud groups are vCards too). */
function toContact(card: InstanceType<typeof ICAL.Component>): Contact | undefined {
  const kind = text(card.getFirstPropertyValue('kind') ?? card.getFirstPropertyValue('x-addressbookserver-kind')).toLowerCase();
  if (kind === 'group') return undefined;
  const labels = new Map<string, string>();
  for (const p of card.getAllProperties('x-ablabel')) {
    const group = p.getParameter('group');
    if (group) labels.set(String(group).toLowerCase(), text(p.getFirstValue()));
  }
  const numbers: ContactNumber[] = [];
  for (const p of card.getAllProperties('tel')) {
    const number = text(p.getFirstValue());
    if (!number) continue;
    const group = p.getParameter('group');
    numbers.push({ type: numberType(types(p), group ? labels.get(String(group).toLowerCase()) : undefined), number });
  }
  const n = card.getFirstProperty('n')?.getFirstValue();
  const parts = Array.isArray(n) ? n.map(text) : typeof n === 'string' ? n.split(';').map((s) => s.trim()) : [];
  const [last = '', first = ''] = parts;
  // ical.js splits FN/ORG at unescaped commas (common in real data); join them back.
  const fn = values(card.getFirstProperty('fn')).join(', ');
  const orgProp = card.getFirstProperty('org');
  const orgValue = orgProp?.getFirstValue();
  const org = Array.isArray(orgValue) ? text(orgValue[0]) : text(orgValue);
  const nickname = values(card.getFirstProperty('nickname'))[0] ?? '';
  const name = fn || [first, last].filter(Boolean).join(' ') || org || nickname;
  if (!name) return undefined;
  return {
    name,
    ...(first ? { first } : {}),
    ...(last ? { last } : {}),
    ...(org ? { org } : {}),
    ...(nickname ? { nickname } : {}),
    numbers,
  };
}

/** A short name for a card in warnings: its FN line, else its position. */
function describe(raw: string, index: number): string {
  const fn = /^FN[^:\r\n]*:(.*)$/im.exec(raw)?.[1]?.trim();
  return fn ? `card ${index + 1} ("${fn.slice(0, 40)}")` : `card ${index + 1}`;
}

/**
 * Every card of a .vcf text. A card that cannot be parsed is reported through `warn` (named by
 * `origin` and its FN) and skipped. Cards without a name (and group cards) are left out.
 */
export function parseVCards(textBody: string, origin: string, warn: CardWarning): Contact[] {
  const contacts: Contact[] = [];
  splitVCards(textBody).forEach((raw, i) => {
    try {
      const contact = toContact(new ICAL.Component(ICAL.parse(normaliseVCard(raw)) as unknown[]));
      // Strings cut out of a card by the parser keep the whole card text alive; a copy owns only its own characters.
      if (contact) contacts.push(structuredClone(contact));
    } catch (err) {
      warn(`${origin}: ${describe(raw, i)} skipped: ${(err as Error).message.split('\n')[0]}`);
    }
  });
  return contacts;
}

/** Bytes of a .vcf file as text: UTF-8, or Windows-1252 for old exports that are not UTF-8. */
export function decodeVcf(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
