/**
 * The CiscoIPPhone XML objects (Cisco's developer notes, "CiscoIPPhone XML Objects", and
 * CiscoIPPhone.xsd) as one discriminated union, and the one serializer that turns any of them into
 * a document a phone accepts: children in the schema's order, every text and attribute fully
 * escaped, LIMITS applied, encoding declared.
 */
import { xmlCharsOnly } from './chars.js';
import { charsetLabel, ellipsisFor, transliterate, type Charset } from './charset.js';
import { cipDataLength, LIMITS } from './limits.js';
import { describeUrl, urlKind, urlProblem } from './url.js';
import { writeXml, XmlElement } from './writer.js';
import { XmlLimitError } from '../errors.js';

/** A problem the serializer cannot fix without changing meaning (too many items, bad URL, ...). */
export interface SoftKey {
  name: string;
  /** Action on key release: http(s) URL or internal URI. */
  url: string;
  /** 1..8, or -1 for the Applications/Settings button (Cisco developer notes, SoftKeyItem). */
  position: number;
  /** Action on key press; internal URIs only. */
  urlDown?: string;
}

export interface MenuItem {
  /** Up to 64 characters; may contain up to two '\r' line breaks. */
  name: string;
  url: string;
  /** IconMenu/IconFileMenu: which IconItem to draw beside the item (0..9). */
  iconIndex?: number;
}

/** InputFlags (Cisco developer notes): one input type, optionally followed by the password modifier P. */
export type InputFlags =
  | 'A' | 'T' | 'N' | 'E' | 'U' | 'L'
  | 'AP' | 'TP' | 'NP' | 'EP' | 'UP' | 'LP';

export interface InputItem {
  displayName: string;
  /** Query parameter name the phone appends to the form URL. */
  param: string;
  flags: InputFlags;
  defaultValue?: string;
}

export interface DirectoryEntry {
  name: string;
  telephone: string;
}

/** A CIP bitmap (Cisco developer notes, CiscoIPPhoneImage): `data` is hex, 2*ceil(width*height*depth/8) digits. */
export interface CipImage {
  x: number;
  y: number;
  width: number;
  height: number;
  depth: 1 | 2;
  data: string;
}

export interface IconItem {
  index: number;
  width: number;
  height: number;
  depth: 1 | 2;
  data: string;
}

export interface IconFileItem {
  index: number;
  /** PNG icon, at most 18x18 pixels. */
  url: string;
}

export interface TouchArea {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface TouchMenuItem {
  name: string;
  url: string;
  touchArea: TouchArea;
}

export interface ExecuteItem {
  url: string;
  /** 0 now, 1 when idle, 2 only if idle (http URLs only; URIs always run at once). */
  priority?: 0 | 1 | 2;
}

interface Screen {
  title?: string;
  prompt?: string;
  softKeys?: SoftKey[];
}

export interface MenuObject extends Screen { kind: 'Menu'; items: MenuItem[] }
export interface TextObject extends Screen { kind: 'Text'; text: string }
export interface InputObject extends Screen { kind: 'Input'; url: string; items: InputItem[] }
export interface DirectoryObject extends Screen { kind: 'Directory'; entries: DirectoryEntry[] }
export interface ImageObject extends Screen, CipImage { kind: 'Image' }
export interface ImageFileObject extends Screen { kind: 'ImageFile'; x: number; y: number; url: string }
export interface GraphicMenuObject extends Screen, CipImage { kind: 'GraphicMenu'; items: MenuItem[] }
export interface GraphicFileMenuObject extends Screen {
  kind: 'GraphicFileMenu';
  x: number;
  y: number;
  url: string;
  items: TouchMenuItem[];
}
export interface IconMenuObject extends Screen { kind: 'IconMenu'; items: MenuItem[]; icons: IconItem[] }
export interface IconFileMenuObject extends Screen { kind: 'IconFileMenu'; items: MenuItem[]; icons: IconFileItem[] }
export interface StatusObject extends CipImage { kind: 'Status'; text?: string; timer?: number }
export interface StatusFileObject { kind: 'StatusFile'; text?: string; timer?: number; x: number; y: number; url: string }
export interface ExecuteObject { kind: 'Execute'; items: ExecuteItem[] }
export interface ErrorObject { kind: 'Error'; number: number; message?: string }

export type PhoneObject =
  | MenuObject
  | TextObject
  | InputObject
  | DirectoryObject
  | ImageObject
  | ImageFileObject
  | GraphicMenuObject
  | GraphicFileMenuObject
  | IconMenuObject
  | IconFileMenuObject
  | StatusObject
  | StatusFileObject
  | ExecuteObject
  | ErrorObject;

export type PhoneObjectKind = PhoneObject['kind'];

/** Root element name of an object kind. */
export function rootElement(kind: PhoneObjectKind): `CiscoIPPhone${PhoneObjectKind}` {
  return `CiscoIPPhone${kind}`;
}

type Node = XmlElement;
type Range = { readonly min: number; readonly max: number };

// Besides what XML 1.0 forbids (chars.ts), Cisco's notes on CiscoIPPhoneText allow only CR, LF and
// TAB as controls, so C1 controls and DEL go as well.
const C1_CONTROLS = /[\u007F-\u009F]/g;

/** How line breaks in a text field are treated. */
type Lines = 'single' | 'menuName' | 'block';

const QUERY_PARAM_NAME = /^[A-Za-z0-9._~-]+$/;
const INPUT_FLAGS = /^[ATNEUL]P?$/;
const HEX = /^[0-9A-Fa-f]+$/;

/** Per-document state: the charset decides transliteration and the ellipsis. */
class Writer {
  constructor(readonly charset: Charset) {}

  /** Cleans a text field: charset, forbidden characters, line breaks, then the length limit. */
  text(value: string, limit: number, lines: Lines = 'single', ellipsis = true): string {
    // Values from configuration may be numbers; a missing value is a caller bug, not empty text.
    if (value === undefined || value === null) throw new XmlLimitError(`text field missing (${String(value)})`);
    let s = String(value).normalize('NFC');
    if (this.charset === 'iso-8859-1') s = transliterate(s);
    s = xmlCharsOnly(s).replace(C1_CONTROLS, '');
    if (lines === 'single') s = s.replace(/[\r\n\t]+/g, ' ');
    if (lines === 'menuName') {
      // Cisco developer notes (CiscoIPPhoneMenu): a MenuItem Name may carry two carriage returns (three display lines).
      let breaks = 0;
      s = s.replace(/\r\n|[\r\n]/g, () => (++breaks <= LIMITS.menuItemNameBreaks ? '\r' : ' ')).replace(/\t/g, ' ');
    }
    return truncate(s, limit, ellipsis ? ellipsisFor(this.charset) : '');
  }

  /** A text field that must not be shortened (a phone number, a parameter name). */
  exact(value: string, limit: number, field: string): string {
    const s = this.text(value, Number.MAX_SAFE_INTEGER);
    const length = [...s].length;
    if (length > limit) throw new XmlLimitError(`${field} longer than ${limit} characters (${length})`);
    return s;
  }

  url(value: string, field: string, allowed: 'any' | 'http' | 'internal' = 'any'): string {
    const problem = urlProblem(value);
    if (problem) throw new XmlLimitError(`${field}: ${problem}`);
    const kind = urlKind(value);
    if (allowed === 'http' && kind !== 'http') throw new XmlLimitError(`${field} must be an http(s) URL: ${describeUrl(value)}`);
    if (allowed === 'internal' && kind === 'http') throw new XmlLimitError(`${field} must be an internal URI: ${describeUrl(value)}`);
    return value;
  }

  int(value: number, range: Range, field: string): string {
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
      throw new XmlLimitError(`${field} must be an integer in ${range.min}..${range.max}, got ${value}`);
    }
    return String(value);
  }

  count(length: number, limit: number, field: string): void {
    if (length > limit) {
      throw new XmlLimitError(`${field}: ${length} given, at most ${limit} allowed (page the list with paginate)`);
    }
  }
}

function truncate(s: string, limit: number, ellipsis: string): string {
  const chars = [...s];
  if (chars.length <= limit) return s;
  return chars.slice(0, limit - [...ellipsis].length).join('').trimEnd() + ellipsis;
}

function child(parent: Node, name: string, value: string): void {
  parent.ele(name).txt(value);
}

function titleAndPrompt(w: Writer, root: Node, obj: Screen): void {
  if (obj.title !== undefined) child(root, 'Title', w.text(obj.title, LIMITS.title));
  if (obj.prompt !== undefined) child(root, 'Prompt', w.text(obj.prompt, LIMITS.prompt));
}

function softKeys(w: Writer, root: Node, keys: readonly SoftKey[] | undefined, kind: PhoneObjectKind): void {
  if (!keys) return;
  w.count(keys.length, LIMITS.softKeys, `${kind}.softKeys`);
  const used = new Set<number>();
  keys.forEach((key, i) => {
    const field = `${kind}.softKeys[${i}]`;
    const { min, max, applications } = LIMITS.softKeyPosition;
    if (key.position !== applications) w.int(key.position, { min, max }, `${field}.position`);
    if (used.has(key.position)) throw new XmlLimitError(`${field}.position ${key.position} used twice`);
    used.add(key.position);
    const item = root.ele('SoftKeyItem');
    child(item, 'Name', w.text(key.name, LIMITS.softKeyName));
    child(item, 'URL', w.url(key.url, `${field}.url`));
    // Cisco developer notes (SoftKeyItem): URLDown runs on key press and takes internal URIs only.
    if (key.urlDown !== undefined) child(item, 'URLDown', w.url(key.urlDown, `${field}.urlDown`, 'internal'));
    // Cisco developer notes, "Troubleshooting": the updated parser rejects a SoftKeyItem without Position.
    child(item, 'Position', String(key.position));
  });
}

function menuItems(w: Writer, root: Node, items: readonly MenuItem[], limit: number, kind: PhoneObjectKind, icons?: ReadonlySet<number>): void {
  w.count(items.length, limit, `${kind}.items`);
  items.forEach((it, i) => {
    const field = `${kind}.items[${i}]`;
    const item = root.ele('MenuItem');
    // Schema order: IconIndex, Name, URL.
    if (it.iconIndex !== undefined) {
      const index = w.int(it.iconIndex, LIMITS.iconIndex, `${field}.iconIndex`);
      if (icons && !icons.has(it.iconIndex)) throw new XmlLimitError(`${field}.iconIndex ${index} has no IconItem`);
      child(item, 'IconIndex', index);
    }
    child(item, 'Name', w.text(it.name, LIMITS.menuItemName, 'menuName'));
    child(item, 'URL', w.url(it.url, `${field}.url`));
  });
}

function cipData(img: { width: number; height: number; depth: number; data: string }, field: string): string {
  if (img.depth !== 1 && img.depth !== 2) throw new XmlLimitError(`${field}.depth must be 1 or 2, got ${img.depth}`);
  const expected = cipDataLength(img.width, img.height, img.depth);
  if (!HEX.test(img.data)) throw new XmlLimitError(`${field}.data must be hex digits`);
  if (img.data.length !== expected) {
    throw new XmlLimitError(`${field}.data has ${img.data.length} hex digits, ${img.width}x${img.height} at depth ${img.depth} needs ${expected}`);
  }
  return img.data;
}

type ImageRanges = { x: Range; y: Range; width: Range; height: Range };

/** LocationX, LocationY, Width, Height, Depth, Data in schema order. */
function cipImage(w: Writer, root: Node, img: CipImage, ranges: ImageRanges, kind: PhoneObjectKind): void {
  child(root, 'LocationX', w.int(img.x, ranges.x, `${kind}.x`));
  child(root, 'LocationY', w.int(img.y, ranges.y, `${kind}.y`));
  child(root, 'Width', w.int(img.width, ranges.width, `${kind}.width`));
  child(root, 'Height', w.int(img.height, ranges.height, `${kind}.height`));
  const data = cipData(img, kind);
  child(root, 'Depth', String(img.depth));
  child(root, 'Data', data);
}

function location(w: Writer, root: Node, obj: { x: number; y: number }, ranges: { x: Range; y: Range }, kind: PhoneObjectKind): void {
  child(root, 'LocationX', w.int(obj.x, ranges.x, `${kind}.x`));
  child(root, 'LocationY', w.int(obj.y, ranges.y, `${kind}.y`));
}

function statusTextAndTimer(w: Writer, root: Node, obj: { text?: string; timer?: number }, kind: PhoneObjectKind): void {
  if (obj.text !== undefined) child(root, 'Text', w.text(obj.text, LIMITS.statusText));
  if (obj.timer !== undefined) child(root, 'Timer', w.int(obj.timer, LIMITS.statusTimer, `${kind}.timer`));
}

function uniqueIndexes(w: Writer, icons: readonly { index: number }[], kind: PhoneObjectKind): Set<number> {
  w.count(icons.length, LIMITS.iconItems, `${kind}.icons`);
  const seen = new Set<number>();
  icons.forEach((icon, i) => {
    w.int(icon.index, LIMITS.iconIndex, `${kind}.icons[${i}].index`);
    if (seen.has(icon.index)) throw new XmlLimitError(`${kind}.icons[${i}].index ${icon.index} used twice`);
    seen.add(icon.index);
  });
  return seen;
}

function body(w: Writer, root: Node, obj: PhoneObject): void {
  switch (obj.kind) {
    case 'Menu':
      titleAndPrompt(w, root, obj);
      menuItems(w, root, obj.items, LIMITS.menuItems, obj.kind);
      break;
    case 'Text':
      titleAndPrompt(w, root, obj);
      child(root, 'Text', w.text(obj.text, LIMITS.text, 'block'));
      break;
    case 'Input': {
      titleAndPrompt(w, root, obj);
      // Cisco developer notes, "Troubleshooting": URL and every QueryStringParam are mandatory on the updated parser.
      child(root, 'URL', w.url(obj.url, 'Input.url', 'http'));
      w.count(obj.items.length, LIMITS.inputItems, 'Input.items');
      const params = new Set<string>();
      obj.items.forEach((it, i) => {
        const field = `Input.items[${i}]`;
        if (!QUERY_PARAM_NAME.test(it.param)) throw new XmlLimitError(`${field}.param must be a plain query parameter name, got ${JSON.stringify(it.param)}`);
        const param = w.exact(it.param, LIMITS.inputField, `${field}.param`);
        if (params.has(param)) throw new XmlLimitError(`${field}.param ${param} used twice`);
        params.add(param);
        if (!INPUT_FLAGS.test(it.flags)) throw new XmlLimitError(`${field}.flags must be one of A T N E U L, optionally followed by P; got ${JSON.stringify(it.flags)}`);
        const item = root.ele('InputItem');
        child(item, 'DisplayName', w.text(it.displayName, LIMITS.inputField));
        child(item, 'QueryStringParam', param);
        child(item, 'InputFlags', it.flags);
        // A shortened default is still a usable value, so no ellipsis here.
        if (it.defaultValue !== undefined) child(item, 'DefaultValue', w.text(it.defaultValue, LIMITS.inputField, 'single', false));
      });
      break;
    }
    case 'Directory':
      titleAndPrompt(w, root, obj);
      w.count(obj.entries.length, LIMITS.directoryEntries, 'Directory.entries');
      obj.entries.forEach((e, i) => {
        const entry = root.ele('DirectoryEntry');
        child(entry, 'Name', w.text(e.name, LIMITS.directoryName));
        // The number is dialled as given; shortening it would dial someone else.
        child(entry, 'Telephone', w.exact(e.telephone, LIMITS.directoryTelephone, `Directory.entries[${i}].telephone`));
      });
      break;
    case 'Image':
      titleAndPrompt(w, root, obj);
      cipImage(w, root, obj, LIMITS.image, obj.kind);
      break;
    case 'ImageFile':
      titleAndPrompt(w, root, obj);
      location(w, root, obj, LIMITS.imageFile, obj.kind);
      child(root, 'URL', w.url(obj.url, 'ImageFile.url', 'http'));
      break;
    case 'GraphicMenu':
      titleAndPrompt(w, root, obj);
      cipImage(w, root, obj, LIMITS.image, obj.kind);
      menuItems(w, root, obj.items, LIMITS.graphicMenuItems, obj.kind);
      break;
    case 'GraphicFileMenu':
      titleAndPrompt(w, root, obj);
      // Schema order: the PNG URL comes before the location here (unlike ImageFile).
      child(root, 'URL', w.url(obj.url, 'GraphicFileMenu.url', 'http'));
      location(w, root, obj, LIMITS.imageFile, obj.kind);
      w.count(obj.items.length, LIMITS.graphicMenuItems, 'GraphicFileMenu.items');
      obj.items.forEach((it, i) => {
        const field = `GraphicFileMenu.items[${i}]`;
        const { x1, y1, x2, y2 } = it.touchArea;
        const area = Object.entries({ X1: x1, Y1: y1, X2: x2, Y2: y2 }).map(([k, v]) => [k, w.int(v, LIMITS.touchArea, `${field}.touchArea.${k.toLowerCase()}`)]);
        if (x2 < x1 || y2 < y1) throw new XmlLimitError(`${field}.touchArea: (x1,y1) must be the top-left and (x2,y2) the bottom-right corner`);
        const item = root.ele('MenuItem');
        child(item, 'Name', w.text(it.name, LIMITS.menuItemName, 'menuName'));
        child(item, 'URL', w.url(it.url, `${field}.url`));
        item.ele('TouchArea', Object.fromEntries(area));
      });
      break;
    case 'IconMenu': {
      titleAndPrompt(w, root, obj);
      const indexes = uniqueIndexes(w, obj.icons, obj.kind);
      menuItems(w, root, obj.items, LIMITS.iconMenuItems, obj.kind, indexes);
      obj.icons.forEach((icon, i) => {
        const field = `IconMenu.icons[${i}]`;
        const item = root.ele('IconItem');
        child(item, 'Index', String(icon.index));
        child(item, 'Width', w.int(icon.width, LIMITS.icon.width, `${field}.width`));
        child(item, 'Height', w.int(icon.height, LIMITS.icon.height, `${field}.height`));
        const data = cipData(icon, field);
        child(item, 'Depth', String(icon.depth));
        child(item, 'Data', data);
      });
      break;
    }
    case 'IconFileMenu': {
      titleAndPrompt(w, root, obj);
      const indexes = uniqueIndexes(w, obj.icons, obj.kind);
      menuItems(w, root, obj.items, LIMITS.iconMenuItems, obj.kind, indexes);
      obj.icons.forEach((icon, i) => {
        const item = root.ele('IconItem');
        child(item, 'Index', String(icon.index));
        child(item, 'URL', w.url(icon.url, `IconFileMenu.icons[${i}].url`, 'http'));
      });
      break;
    }
    case 'Status':
      statusTextAndTimer(w, root, obj, obj.kind);
      cipImage(w, root, obj, LIMITS.status, obj.kind);
      break;
    case 'StatusFile':
      statusTextAndTimer(w, root, obj, obj.kind);
      location(w, root, obj, LIMITS.status, obj.kind);
      child(root, 'URL', w.url(obj.url, 'StatusFile.url', 'http'));
      break;
    case 'Execute': {
      if (obj.items.length === 0) throw new XmlLimitError('Execute.items: at least one item is required');
      w.count(obj.items.length, LIMITS.executeItems, 'Execute.items');
      let http = 0;
      obj.items.forEach((it, i) => {
        const field = `Execute.items[${i}]`;
        const url = w.url(it.url, `${field}.url`);
        const kind = urlKind(url);
        // Cisco developer notes (CiscoIPPhoneExecute): at most one http URL; SoftKey: and Notify:
        // URIs are not allowed in Execute.
        if (kind === 'http' && ++http > LIMITS.executeHttpItems) throw new XmlLimitError(`Execute.items: at most ${LIMITS.executeHttpItems} http(s) URL allowed`);
        if (kind === 'SoftKey' || kind === 'Notify') throw new XmlLimitError(`${field}.url: ${kind}: URIs are not allowed in Execute`);
        const attrs: Record<string, string> = {};
        if (it.priority !== undefined) attrs.Priority = w.int(it.priority, LIMITS.executePriority, `${field}.priority`);
        attrs.URL = url;
        root.ele('ExecuteItem', attrs);
      });
      break;
    }
    case 'Error':
      root.att('Number', w.int(obj.number, LIMITS.errorNumber, 'Error.number'));
      if (obj.message !== undefined && obj.message !== '') root.txt(w.text(obj.message, LIMITS.errorMessage));
      break;
    default: {
      const unknown: never = obj;
      throw new XmlLimitError(`unknown object kind ${JSON.stringify((unknown as { kind?: unknown }).kind)}`);
    }
  }
  if ('softKeys' in obj) softKeys(w, root, obj.softKeys, obj.kind);
}

/** The full document for a phone, starting with an XML declaration naming `charset`. */
export function serialize(obj: PhoneObject, charset: Charset): string {
  if (charset !== 'utf-8' && charset !== 'iso-8859-1') throw new TypeError(`unsupported charset ${String(charset)}`);
  const w = new Writer(charset);
  const root = new XmlElement(rootElement(obj.kind));
  body(w, root, obj);
  // Cisco's developer notes want all five markup characters escaped: the writer does so everywhere.
  return writeXml(root, { declaration: charsetLabel(charset) });
}
