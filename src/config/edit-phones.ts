/**
 * Adding, changing and removing phones in the config file, keeping everything else of it byte for
 * byte: the file is parsed with the `yaml` package's document API, the one phone's text is made
 * from its node, and only that span of the file is replaced (comments, order, quoting and
 * alignment elsewhere stay as written). A `${VAR}` stays `${VAR}`: values are edited in the
 * document, never taken from the resolved config. The result is validated as a whole before it
 * is written, atomically, with the previous file kept as `<file>.bak`.
 */
import { copyFile, readFile, realpath, stat } from 'node:fs/promises';
import { Document, isMap, isSeq, parseDocument, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { writeFileAtomic } from '../data/atomic-write.js';
import { ConfigReadOnlyError, PhoneExistsError, PhoneNotFoundError } from '../errors.js';
import { parseConfig, type LoadOptions, type ResolvedConfig } from './load.js';
import { normaliseMac } from './mac.js';

/** One line as the web page, the API and the CLI give it (a missing password keeps the one in the file). */
export interface LineInput {
  number: string;
  authName?: string;
  displayName?: string;
  password?: string;
}

export interface PhoneInput {
  mac: string;
  model: string;
  label?: string;
  lines: LineInput[];
}

export type PhoneChange =
  | { kind: 'add'; phone: PhoneInput }
  | { kind: 'edit'; mac: string; phone: Partial<Omit<PhoneInput, 'mac'>> }
  | { kind: 'remove'; mac: string };

/** Suffix of the copy of the file as it was before the last write. */
export const BACKUP_SUFFIX = '.bak';

/**
 * The config text with `change` applied. Throws PhoneExistsError, PhoneNotFoundError, or the
 * ConfigError of the result (every problem with its path) when it would not load.
 */
export function changePhonesText(text: string, change: PhoneChange, file: string, options: LoadOptions = {}): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) parseConfig(text, file, options); // throws its ConfigError
  const seq = doc.get('phones', true);
  const items = isSeq(seq) ? (seq.items as Node[]) : [];
  const index = change.kind === 'add' ? indexOfMac(items, change.phone.mac) : indexOfMac(items, change.mac);
  let next: string;
  if (change.kind === 'add') {
    if (index >= 0) throw new PhoneExistsError(`phones[${index}] already has the MAC ${normaliseMac(change.phone.mac) ?? change.phone.mac}`);
    next = addPhone(text, doc, newPhoneNode(doc, change.phone));
  } else {
    if (index < 0) throw new PhoneNotFoundError(`no phone with the MAC ${change.mac} in ${file}`);
    const item = items[index] as YAMLMap;
    if (change.kind === 'remove') next = splice(text, spanWithCommentsAbove(text, item), '');
    else {
      editPhoneNode(doc, item, change.phone);
      const span = itemSpan(text, item);
      next = splice(text, span, itemText(item, dashColumn(text, item)));
    }
  }
  parseConfig(next, file, options); // throws the ConfigError of the result
  return next;
}

/**
 * Applies `change` to the file (symlinks followed) and returns the config it now holds. The
 * previous text is kept as `<file>.bak`; the file keeps its permissions.
 */
export async function changePhonesFile(file: string | undefined, change: PhoneChange, options: LoadOptions = {}): Promise<ResolvedConfig> {
  if (!file) throw new ConfigReadOnlyError('the built-in demo configuration cannot be changed: run with --config FILE (`ciscophone init` writes one)');
  const target = await realpath(file).catch(() => file);
  const text = await readFile(target, 'utf8');
  const next = changePhonesText(text, change, file, options);
  const { mode } = await stat(target);
  try {
    await copyFile(target, target + BACKUP_SUFFIX);
    await writeFileAtomic(target, next, mode & 0o777);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigReadOnlyError(`cannot write ${target} (${code}); nothing was changed`);
  }
  return parseConfig(next, file, options);
}

/** The phone's entry as the API shows it: what the file says, without passwords. */
export function phoneEntry(config: ResolvedConfig, mac: string): PhoneInput | undefined {
  const wanted = normaliseMac(mac);
  const phone = config.phones.find((p) => p.mac === wanted);
  if (!phone) return undefined;
  return {
    mac: phone.mac,
    model: phone.model,
    ...(phone.label !== undefined ? { label: phone.label } : {}),
    lines: phone.lines.map(({ number, authName, displayName }) => ({
      number,
      ...(authName !== undefined ? { authName } : {}),
      ...(displayName !== undefined ? { displayName } : {}),
    })),
  };
}

function indexOfMac(items: Node[], mac: string): number {
  const wanted = normaliseMac(mac) ?? mac;
  return items.findIndex((item) => isMap(item) && normaliseMac(String(item.get('mac'))) === wanted);
}

function newPhoneNode(doc: Document, phone: PhoneInput): YAMLMap {
  const value: Record<string, unknown> = { mac: phone.mac, model: phone.model };
  if (phone.label) value['label'] = phone.label;
  value['lines'] = phone.lines.map(lineValue);
  const node = doc.createNode(value) as YAMLMap;
  for (const line of (node.get('lines', true) as unknown as YAMLSeq).items) (line as YAMLMap).flow = true;
  return node;
}

function lineValue(line: LineInput): Record<string, string> {
  const out: Record<string, string> = { number: line.number };
  for (const key of ['displayName', 'authName', 'password'] as const) if (line[key]) out[key] = line[key];
  return out;
}

/** Sets what is given; an empty label or line field removes it; a missing password keeps the file's. */
function editPhoneNode(doc: Document, item: YAMLMap, phone: Partial<Omit<PhoneInput, 'mac'>>): void {
  if (phone.model !== undefined) item.set('model', phone.model);
  if (phone.label !== undefined) {
    if (phone.label) item.set('label', phone.label);
    else item.delete('label');
  }
  if (phone.lines === undefined) return;
  let seq: unknown = item.get('lines', true);
  if (!isSeq(seq)) {
    seq = doc.createNode([]);
    item.set('lines', seq);
  }
  if (!isSeq(seq)) return;
  phone.lines.forEach((line, i) => {
    const existing = seq.items[i];
    if (!isMap(existing)) {
      const node = doc.createNode(lineValue(line)) as YAMLMap;
      node.flow = true;
      if (i < seq.items.length) seq.items[i] = node;
      else seq.items.push(node);
      return;
    }
    existing.set('number', line.number);
    for (const key of ['displayName', 'authName'] as const) {
      if (line[key]) existing.set(key, line[key]);
      else if (line[key] !== undefined) existing.delete(key);
    }
    if (line.password) existing.set('password', line.password);
  });
  seq.items.splice(phone.lines.length);
}

/** Appends a phone at the end of `phones:` (made a block list when it was `[]` or missing). */
function addPhone(text: string, doc: Document, node: YAMLMap): string {
  const seq = doc.get('phones', true);
  if (isSeq(seq) && !seq.flow && seq.items.length > 0) {
    const last = seq.items[seq.items.length - 1] as YAMLMap;
    const end = itemSpan(text, last)[1];
    const before = text[end - 1] === '\n' ? '' : '\n';
    return splice(text, [end, end], before + itemText(node, dashColumn(text, last)));
  }
  const items = [...(isSeq(seq) ? (seq.items as YAMLMap[]) : []), node];
  const block = items.map((item) => itemText(item, 2)).join('');
  const pair = isMap(doc.contents) ? doc.contents.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'phones') : undefined;
  if (!pair) {
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}phones:\n${block}`;
  }
  // `phones: []` or `phones:` with nothing: the value is replaced by the block list.
  const colon = text.indexOf(':', (pair.key as Node).range![1]) + 1;
  const valueEnd = (pair.value as Node | null)?.range?.[1] ?? colon;
  const lineEnd = text.indexOf('\n', valueEnd) < 0 ? text.length : text.indexOf('\n', valueEnd);
  // A comment after the value stays on the `phones:` line.
  return text.slice(0, colon) + text.slice(valueEnd, lineEnd) + '\n' + block.replace(/\n$/, '') + text.slice(lineEnd);
}

/** The text of one list item at `dash` columns: `- key: …` and its following lines. */
function itemText(item: YAMLMap, dash: number): string {
  item.commentBefore = null;
  item.spaceBefore = false;
  const doc = new Document();
  doc.contents = item;
  const lines = doc.toString({ lineWidth: 0 }).replace(/\n$/, '').split('\n');
  const pad = ' '.repeat(dash);
  return lines.map((line, i) => (line === '' ? '' : pad + (i === 0 ? '- ' : '  ') + line)).join('\n') + '\n';
}

/** From the start of the item's `- ` line to the end of its last line. */
function itemSpan(text: string, item: Node): [number, number] {
  const [start, , end] = item.range!;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text[end - 1] === '\n' ? end : text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end) + 1;
  return [lineStart, lineEnd];
}

/** The item's span with the comment lines right above it (they speak of it). */
function spanWithCommentsAbove(text: string, item: Node): [number, number] {
  let [start, end] = itemSpan(text, item);
  for (;;) {
    const prev = text.lastIndexOf('\n', start - 2) + 1;
    if (start === 0 || !/^\s*#/.test(text.slice(prev, start))) break;
    start = prev;
  }
  return [start, end];
}

function dashColumn(text: string, item: Node): number {
  const lineStart = text.lastIndexOf('\n', item.range![0] - 1) + 1;
  return Math.max(0, text.indexOf('-', lineStart) - lineStart);
}

function splice(text: string, [start, end]: [number, number], insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}
