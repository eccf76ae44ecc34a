/** vCard 2.1 / 3.0 / 4.0 → contacts, with ical.js after the small normaliser. */
import ICAL from 'ical.js';
import type { Contact, ContactNumber } from './contact.js';
import { dropUnreadableProperties } from '../sources/ical-values.js';
import { UnreadItems } from '../sources/unread.js';
import { normaliseVCard, splitVCards } from './vcard-normalise.js';
import { UnreadableContentError } from '../errors.js';

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

/**
 * One card; undefined for a group card (iCloud groups are vCards too) or one with neither name nor
 * number; a reason in words for a card that has numbers but cannot be listed.
 */
function toContact(card: InstanceType<typeof ICAL.Component>): Contact | string | undefined {
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
  // A card with numbers but no name cannot be listed: said, not silently dropped.
  if (!name) return numbers.length ? 'has numbers but no name (FN, N, ORG or NICKNAME), left out' : undefined;
  return {
    name,
    ...(first ? { first } : {}),
    ...(last ? { last } : {}),
    ...(org ? { org } : {}),
    ...(nickname ? { nickname } : {}),
    numbers,
  };
}

/** What toContact reads of a card: checked first, so a bad value loses only itself. */
const CONTACT_PROPERTIES = ['fn', 'n', 'org', 'nickname', 'tel', 'kind', 'x-addressbookserver-kind', 'x-ablabel'];

/** One card parsed; when ical.js refuses it as a whole, again property by property. */
function readCard(body: string, problems: string[]): InstanceType<typeof ICAL.Component> {
  const before = problems.length;
  try {
    return new ICAL.Component(ICAL.parse(normaliseVCard(body, problems)) as unknown[]);
  } catch {
    problems.length = before;
    return new ICAL.Component(ICAL.parse(normaliseVCard(body, problems, true)) as unknown[]);
  }
}

/** A card's name in warnings: its position in the text, and its FN (else ORG, else UID) when it has one. */
function cardName(body: string, index: number): string {
  const value = (name: string): string | undefined => new RegExp(`^(?:[A-Za-z0-9-]+\\.)?${name}(?:;[^:\\r\\n]*)?:(.*\\S.*)$`, 'im').exec(body)?.[1]?.trim();
  const fn = value('FN') ?? value('ORG')?.replace(/;+$/, '');
  if (fn) return `card ${index + 1} ("${fn.slice(0, 40)}")`;
  const uid = value('UID');
  return uid ? `card ${index + 1} (UID ${uid.slice(0, 60)})` : `card ${index + 1}`;
}

/**
 * Every card of a .vcf text. A card that cannot be parsed is skipped, one read only in part is
 * kept; each is named in one line of `unread` (`where`: the file or resource). Cards without a
 * name (and group cards) are left out. Text with no card at all throws UnreadableContentError.
 */
export function parseVCards(textBody: string, where: string): { contacts: Contact[]; unread: string[] } {
  const contacts: Contact[] = [];
  const unread = new UnreadItems(where);
  const { cards, outside } = splitVCards(textBody);
  if (cards.length === 0 && outside > 0) throw new UnreadableContentError('not a vCard file (no BEGIN:VCARD)');
  if (outside > 0) unread.add('', `${outside} line(s) outside BEGIN:VCARD … END:VCARD left out`);
  cards.forEach((raw, i) => {
    const problems: string[] = raw.ended ? [] : ['the text ends without END:VCARD'];
    try {
      const card = readCard(raw.body, problems);
      problems.push(...dropUnreadableProperties(card, CONTACT_PROPERTIES));
      const contact = toContact(card);
      // Strings cut out of a card by the parser keep the whole card text alive; a copy owns only its own characters.
      if (typeof contact === 'string') problems.push(contact);
      else if (contact) contacts.push(structuredClone(contact));
    } catch (err) {
      problems.push(`skipped: ${(err as Error).message.split('\n')[0]}`);
    }
    if (problems.length) unread.add(cardName(raw.body, i), problems.join('; '));
  });
  return { contacts, unread: unread.lines() };
}

/** Bytes of a .vcf file as text: UTF-8, or Windows-1252 for old exports that are not UTF-8. */
export function decodeVcf(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
