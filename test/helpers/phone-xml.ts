/**
 * Test helper: checks a body the server sent to a phone the way a strict phone would read it, and
 * returns a parsed view so a test can follow its URLs like a phone does.
 *
 *   const page = checkPhoneXml(res.rawPayload, res.headers['content-type']);
 *   const next = await app.inject(injectPath(page.softKeys[0].url));
 *
 * Checks: Content-Type text/xml with a charset; XML declaration naming that charset; well-formed,
 * no raw '&', one root that is a CiscoIPPhone object with only the children its definition has, in
 * the order the schema fixes (also inside MenuItem, SoftKeyItem, InputItem, DirectoryEntry, IconItem);
 * counts and lengths within LIMITS (characters of the decoded text); every URL absolute http(s) or
 * an internal URI of at most 255 characters; SoftKeyItem Position present. These checks run
 * everywhere. In addition, when the patched Cisco schema sits beside the repository
 * (../shared/reference/schema/CiscoIPPhone.patched.xsd), covers the object, and xmllint is
 * installed, the body is also validated with `xmllint --schema` (`schemaValidated` says so).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cipDataLength, LIMITS, urlKind, urlProblem, type Charset, type PhoneObjectKind } from '../../src/xml/index.js';
import { ITEM_CHILDREN, OBJECT_CHILDREN } from '../../src/xml/limits.js';

export type ParsedKind = PhoneObjectKind | 'Response';

export interface ParsedMenuItem {
  name: string;
  url: string;
  iconIndex?: number;
  touchArea?: { x1: number; y1: number; x2: number; y2: number };
}

export interface ParsedSoftKey {
  name: string;
  url: string;
  position: number;
  urlDown?: string;
}

export interface ParsedPhoneXml {
  kind: ParsedKind;
  /** Root element name, e.g. CiscoIPPhoneMenu. */
  root: string;
  charset: Charset;
  /** The decoded document. */
  xml: string;
  title?: string;
  prompt?: string;
  /** Text of a Text page, or the Text line of a Status window. */
  text?: string;
  /** Input: the form target. ImageFile, GraphicFileMenu, StatusFile: the PNG URL. */
  url?: string;
  /** MenuItems of Menu, IconMenu, IconFileMenu, GraphicMenu and GraphicFileMenu. */
  items: ParsedMenuItem[];
  entries: { name: string; telephone: string }[];
  inputItems: { displayName: string; param: string; flags: string; defaultValue?: string }[];
  softKeys: ParsedSoftKey[];
  executeItems: { url: string; priority?: number }[];
  /** Error: the Number attribute and message text. */
  error?: { number: number; message: string };
  /** Every URL in the object (items, softkeys, form, images, icons, execute items). */
  urls: string[];
  /** True when xmllint validated the body against the patched schema. */
  schemaValidated: boolean;
  /** The root element as fast-xml-parser gives it (attributes prefixed with '@_'). */
  raw: Record<string, unknown>;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PATCHED_SCHEMA = resolve(REPO_ROOT, '../shared/reference/schema/CiscoIPPhone.patched.xsd');

/** Child elements each root may have, in schema order. */
const CHILDREN: Record<ParsedKind, readonly string[]> = OBJECT_CHILDREN;
/** Child elements of the repeated items, in schema order. */
const ITEM_ORDER: Record<string, readonly string[]> = ITEM_CHILDREN;

const MENU_LIMIT: Partial<Record<ParsedKind, number>> = {
  Menu: LIMITS.menuItems,
  IconMenu: LIMITS.iconMenuItems,
  IconFileMenu: LIMITS.iconMenuItems,
  GraphicMenu: LIMITS.graphicMenuItems,
  GraphicFileMenu: LIMITS.graphicMenuItems,
};

const REPEATED = new Set(['MenuItem', 'SoftKeyItem', 'DirectoryEntry', 'InputItem', 'IconItem', 'ExecuteItem', 'ResponseItem']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

/** The same document with its elements in document order, for the order checks. */
const orderedParser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false });

type Obj = Record<string, unknown>;
type Ordered = Record<string, unknown>[];

/** Element names of an ordered node's children, in document order. */
function childNames(children: Ordered): string[] {
  return children.flatMap((c) => Object.keys(c).filter((k) => k !== '#text' && k !== ':@'));
}

/** Asserts that `names` follow the order of `order` (each name's rank never goes down). */
function checkOrder(names: string[], order: readonly string[], where: string): void {
  let rank = 0;
  for (const name of names) {
    const r = order.indexOf(name);
    if (r < 0) continue;
    assert.ok(r >= rank, `${where}: <${name}> after <${order[rank]}> breaks the schema order ${order.join(', ')}`);
    rank = r;
  }
}

/** Element order of the root and of its repeated items, against the schema order. */
function checkElementOrder(xml: string, rootName: string, order: readonly string[]): void {
  const doc = orderedParser.parse(xml) as Ordered;
  const root = doc.find((n) => rootName in n);
  const children = (root?.[rootName] ?? []) as Ordered;
  checkOrder(childNames(children), order, rootName);
  for (const child of children) {
    for (const [name, value] of Object.entries(child)) {
      const itemOrder = ITEM_ORDER[name];
      if (itemOrder) checkOrder(childNames(value as Ordered), itemOrder, `${rootName}/${name}`);
    }
  }
}

function chars(s: string): number {
  return [...s].length;
}

/** Text content of a parsed element ('' when empty, undefined when absent). */
function textOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '#text' in value) return String((value as Obj)['#text']);
  return '';
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? (value as Obj[]) : [];
}

function intOf(value: unknown, where: string): number {
  const s = textOf(value);
  assert.ok(s !== undefined && /^-?\d+$/.test(s.trim()), `${where} must be an integer, got ${JSON.stringify(s)}`);
  return Number(s);
}

function checkLength(value: string | undefined, limit: number, where: string): void {
  if (value !== undefined) assert.ok(chars(value) <= limit, `${where} has ${chars(value)} characters, limit ${limit}: ${JSON.stringify(value)}`);
}

function checkUrl(url: string | undefined, where: string, urls: string[]): string {
  assert.ok(url !== undefined, `${where} missing`);
  const problem = urlProblem(url);
  assert.equal(problem, undefined, `${where}: ${problem}`);
  urls.push(url);
  return url;
}

function parseContentType(contentType: string): Charset {
  const [type = '', ...params] = contentType.split(';').map((p) => p.trim());
  assert.equal(type.toLowerCase(), 'text/xml', `Content-Type must be text/xml, got ${JSON.stringify(contentType)}`);
  const charsetParam = params.find((p) => /^charset\s*=/i.test(p));
  assert.ok(charsetParam, `Content-Type must carry a charset, got ${JSON.stringify(contentType)}`);
  const charset = charsetParam.replace(/^charset\s*=\s*/i, '').replace(/^"(.*)"$/, '$1').toLowerCase();
  assert.ok(charset === 'utf-8' || charset === 'iso-8859-1', `charset must be utf-8 or iso-8859-1, got ${charset}`);
  return charset;
}

let xmllintPresent: boolean | undefined;

function xmllintAvailable(): boolean {
  if (xmllintPresent === undefined) {
    const probe = spawnSync('xmllint', ['--version'], { stdio: 'ignore' });
    xmllintPresent = !probe.error;
  }
  return xmllintPresent;
}

/** The schema lacks IconFileMenu, URLDown, softkey position -1 and Error message text. */
function schemaCovers(parsed: ParsedPhoneXml): boolean {
  if (parsed.kind === 'IconFileMenu') return false;
  if (parsed.softKeys.some((k) => k.urlDown !== undefined || k.position < 1)) return false;
  if (parsed.kind === 'Error' && parsed.error?.message) return false;
  return true;
}

/** Whether schema validation can run here (the patched schema exists and xmllint is installed). */
export function schemaAvailable(): boolean {
  return existsSync(PATCHED_SCHEMA) && xmllintAvailable();
}

function validateWithSchema(bytes: Buffer): boolean {
  if (!schemaAvailable()) return false;
  const run = spawnSync('xmllint', ['--noout', '--schema', PATCHED_SCHEMA, '-'], { input: bytes, encoding: 'utf8' });
  assert.equal(run.status, 0, `xmllint --schema rejected the body:\n${run.stderr}\n${bytes.toString('latin1')}`);
  return true;
}

function softKeysOf(root: Obj, urls: string[]): ParsedSoftKey[] {
  const keys = list(root.SoftKeyItem);
  assert.ok(keys.length <= LIMITS.softKeys, `${keys.length} SoftKeyItems, limit ${LIMITS.softKeys}`);
  const positions = new Set<number>();
  return keys.map((k, i) => {
    const where = `SoftKeyItem[${i}]`;
    const name = textOf(k.Name);
    assert.ok(name !== undefined, `${where} has no Name`);
    checkLength(name, LIMITS.softKeyName, `${where}/Name`);
    // Cisco developer notes, "Troubleshooting": the updated parser rejects a SoftKeyItem without Position.
    assert.ok(k.Position !== undefined, `${where} has no Position`);
    const position = intOf(k.Position, `${where}/Position`);
    assert.ok((position >= 1 && position <= LIMITS.softKeyPosition.max) || position === -1, `${where}/Position ${position} out of range`);
    assert.ok(!positions.has(position), `${where}/Position ${position} used twice`);
    positions.add(position);
    const url = checkUrl(textOf(k.URL), `${where}/URL`, urls);
    const urlDown = textOf(k.URLDown);
    if (urlDown !== undefined) {
      checkUrl(urlDown, `${where}/URLDown`, urls);
      assert.notEqual(urlKind(urlDown), 'http', `${where}/URLDown must be an internal URI`);
    }
    return { name, url, position, ...(urlDown !== undefined ? { urlDown } : {}) };
  });
}

function cipCheck(node: Obj, where: string): void {
  const width = intOf(node.Width, `${where}/Width`);
  const height = intOf(node.Height, `${where}/Height`);
  const depth = intOf(node.Depth, `${where}/Depth`);
  assert.ok(depth === 1 || depth === 2, `${where}/Depth must be 1 or 2`);
  const data = textOf(node.Data) ?? '';
  assert.match(data, /^[0-9A-Fa-f]+$/, `${where}/Data must be hex`);
  assert.equal(data.length, cipDataLength(width, height, depth), `${where}/Data length does not match ${width}x${height}x${depth}`);
}

/**
 * Checks a body as described at the top of this file and returns its parsed view. Throws an
 * AssertionError naming the first problem found. `contentType` takes a header value as an
 * inject response gives it (`res.headers['content-type']`).
 */
export function checkPhoneXml(body: Buffer | string, contentType: unknown): ParsedPhoneXml {
  const charset = parseContentType(String(contentType ?? ''));
  const bytes = typeof body === 'string' ? Buffer.from(body, charset === 'utf-8' ? 'utf8' : 'latin1') : body;
  const xml = charset === 'utf-8' ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : bytes.toString('latin1');

  const decl = /^<\?xml\s+version\s*=\s*(["'])1\.0\1\s+encoding\s*=\s*(["'])([^"']*)\2\s*\?>/.exec(xml);
  assert.ok(decl, `body must start with an XML declaration naming the encoding: ${xml.slice(0, 80)}`);
  assert.equal(decl[3]?.toLowerCase(), charset, 'XML declaration encoding must equal the Content-Type charset');

  const rawAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);)/.exec(xml);
  assert.equal(rawAmp, null, `raw '&' or unknown entity at offset ${rawAmp?.index}: ${xml.slice(rawAmp?.index ?? 0, (rawAmp?.index ?? 0) + 30)}`);
  const wellFormed = XMLValidator.validate(xml);
  assert.equal(wellFormed, true, `not well-formed: ${JSON.stringify(wellFormed)}`);

  const doc = parser.parse(xml) as Obj;
  const roots = Object.keys(doc).filter((k) => k !== '?xml');
  assert.equal(roots.length, 1, `exactly one root element expected, got ${roots.join(', ')}`);
  const rootName = roots[0] ?? '';
  const kind = rootName.replace(/^CiscoIPPhone/, '') as ParsedKind;
  assert.ok(rootName.startsWith('CiscoIPPhone') && kind in CHILDREN, `unknown root element ${rootName}`);
  const rootValue = doc[rootName];
  assert.ok(!Array.isArray(rootValue), `exactly one root element expected, got several <${rootName}>`);
  const root: Obj = rootValue && typeof rootValue === 'object' ? (rootValue as Obj) : {};

  // Cisco developer notes: no elements the object definition does not have.
  for (const name of Object.keys(root)) {
    if (name.startsWith('@_') || name === '#text') continue;
    assert.ok(CHILDREN[kind].includes(name), `${rootName} must not contain <${name}>`);
  }

  checkElementOrder(xml, rootName, CHILDREN[kind]);

  const urls: string[] = [];
  const parsed: ParsedPhoneXml = {
    kind, root: rootName, charset, xml, items: [], entries: [], inputItems: [], softKeys: [], executeItems: [],
    urls, schemaValidated: false, raw: root,
  };

  const title = textOf(root.Title);
  const prompt = textOf(root.Prompt);
  checkLength(title, LIMITS.title, 'Title');
  checkLength(prompt, LIMITS.prompt, 'Prompt');
  if (title !== undefined) parsed.title = title;
  if (prompt !== undefined) parsed.prompt = prompt;

  const menuLimit = MENU_LIMIT[kind];
  if (menuLimit !== undefined) {
    const items = list(root.MenuItem);
    assert.ok(items.length <= menuLimit, `${items.length} MenuItems in ${rootName}, limit ${menuLimit}`);
    parsed.items = items.map((it, i) => {
      const where = `MenuItem[${i}]`;
      const name = textOf(it.Name) ?? '';
      checkLength(name, LIMITS.menuItemName, `${where}/Name`);
      const breaks = name.match(/\r\n|\r|\n/g)?.length ?? 0;
      assert.ok(breaks <= LIMITS.menuItemNameBreaks, `${where}/Name has ${breaks} line breaks`);
      const item: ParsedMenuItem = { name, url: checkUrl(textOf(it.URL), `${where}/URL`, urls) };
      if (it.IconIndex !== undefined) item.iconIndex = intOf(it.IconIndex, `${where}/IconIndex`);
      if (it.TouchArea !== undefined) {
        const area = it.TouchArea as Obj;
        item.touchArea = {
          x1: intOf(area['@_X1'], `${where}/TouchArea@X1`), y1: intOf(area['@_Y1'], `${where}/TouchArea@Y1`),
          x2: intOf(area['@_X2'], `${where}/TouchArea@X2`), y2: intOf(area['@_Y2'], `${where}/TouchArea@Y2`),
        };
      }
      return item;
    });
  }

  switch (kind) {
    case 'Text': {
      const text = textOf(root.Text);
      checkLength(text, LIMITS.text, 'Text');
      if (text !== undefined) parsed.text = text;
      break;
    }
    case 'Input': {
      parsed.url = checkUrl(textOf(root.URL), 'Input/URL', urls);
      const items = list(root.InputItem);
      assert.ok(items.length <= LIMITS.inputItems, `${items.length} InputItems, limit ${LIMITS.inputItems}`);
      parsed.inputItems = items.map((it, i) => {
        const where = `InputItem[${i}]`;
        const displayName = textOf(it.DisplayName);
        const param = textOf(it.QueryStringParam);
        const flags = textOf(it.InputFlags);
        const defaultValue = textOf(it.DefaultValue);
        assert.ok(displayName !== undefined, `${where} has no DisplayName`);
        assert.ok(param, `${where} has no QueryStringParam`);
        assert.ok(flags !== undefined && /^[ATNEUL]P?$/.test(flags), `${where}/InputFlags invalid: ${flags}`);
        checkLength(displayName, LIMITS.inputField, `${where}/DisplayName`);
        checkLength(param, LIMITS.inputField, `${where}/QueryStringParam`);
        checkLength(defaultValue, LIMITS.inputField, `${where}/DefaultValue`);
        return { displayName, param, flags, ...(defaultValue !== undefined ? { defaultValue } : {}) };
      });
      break;
    }
    case 'Directory': {
      const entries = list(root.DirectoryEntry);
      assert.ok(entries.length <= LIMITS.directoryEntries, `${entries.length} DirectoryEntries, limit ${LIMITS.directoryEntries}`);
      parsed.entries = entries.map((e, i) => {
        const name = textOf(e.Name) ?? '';
        const telephone = textOf(e.Telephone) ?? '';
        checkLength(name, LIMITS.directoryName, `DirectoryEntry[${i}]/Name`);
        checkLength(telephone, LIMITS.directoryTelephone, `DirectoryEntry[${i}]/Telephone`);
        return { name, telephone };
      });
      break;
    }
    case 'Image':
    case 'GraphicMenu':
      cipCheck(root, rootName);
      break;
    case 'ImageFile':
    case 'GraphicFileMenu':
    case 'StatusFile':
      parsed.url = checkUrl(textOf(root.URL), `${rootName}/URL`, urls);
      assert.equal(urlKind(parsed.url), 'http', `${rootName}/URL must be http(s)`);
      break;
    case 'IconMenu':
    case 'IconFileMenu': {
      const icons = list(root.IconItem);
      assert.ok(icons.length <= LIMITS.iconItems, `${icons.length} IconItems, limit ${LIMITS.iconItems}`);
      icons.forEach((icon, i) => {
        intOf(icon.Index, `IconItem[${i}]/Index`);
        if (kind === 'IconMenu') cipCheck(icon, `IconItem[${i}]`);
        else checkUrl(textOf(icon.URL), `IconItem[${i}]/URL`, urls);
      });
      break;
    }
    case 'Execute': {
      const items = list(root.ExecuteItem);
      assert.ok(items.length >= 1 && items.length <= LIMITS.executeItems, `${items.length} ExecuteItems, allowed 1..${LIMITS.executeItems}`);
      parsed.executeItems = items.map((it, i) => {
        const url = checkUrl(textOf(it['@_URL']), `ExecuteItem[${i}]@URL`, urls);
        const priority = it['@_Priority'] !== undefined ? intOf(it['@_Priority'], `ExecuteItem[${i}]@Priority`) : undefined;
        return { url, ...(priority !== undefined ? { priority } : {}) };
      });
      const http = parsed.executeItems.filter((it) => urlKind(it.url) === 'http').length;
      assert.ok(http <= LIMITS.executeHttpItems, `${http} http URLs in one Execute, limit ${LIMITS.executeHttpItems}`);
      break;
    }
    case 'Error': {
      const number = intOf(root['@_Number'], 'CiscoIPPhoneError@Number');
      parsed.error = { number, message: textOf(rootValue) ?? '' };
      break;
    }
    default:
      break;
  }
  if (kind === 'Status' || kind === 'StatusFile') {
    const text = textOf(root.Text);
    checkLength(text, LIMITS.statusText, `${rootName}/Text`);
    if (text !== undefined) parsed.text = text;
    if (kind === 'Status') cipCheck(root, rootName);
  }

  parsed.softKeys = softKeysOf(root, urls);
  if (schemaCovers(parsed)) parsed.schemaValidated = validateWithSchema(bytes);
  return parsed;
}

/** Path and query of an http(s) URL from a phone object, for `app.inject(...)`. */
export function injectPath(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

/**
 * The URL a phone requests when the user submits an Input form: the form URL with one
 * `param=value` pair per InputItem appended as a query string (CiscoIPPhoneInput, Cisco developer notes).
 */
export function submitInput(page: ParsedPhoneXml, values: Record<string, string>): string {
  assert.equal(page.kind, 'Input', 'submitInput needs an Input page');
  const base = page.url ?? '';
  const query = page.inputItems
    .map((it) => `${encodeURIComponent(it.param)}=${encodeURIComponent(values[it.param] ?? it.defaultValue ?? '')}`)
    .join('&');
  return `${base}${base.includes('?') ? '&' : '?'}${query}`;
}
