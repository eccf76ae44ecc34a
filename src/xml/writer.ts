/**
 * Writing XML documents: the one place where text becomes markup. fast-xml-parser's XMLBuilder
 * escapes all five markup characters in every text and attribute, `&` always, so text that looks
 * like an entity (`&nbsp;`, `&#0;`, `&ab;`) reaches the reader as those literal characters.
 * Characters XML 1.0 forbids are removed first (chars.ts). Two ways in: an element builder for
 * documents written in order (the CiscoIPPhone objects), and a nested object for files that are
 * easier to state as data (provisioning files, ring and image lists).
 */
import { XMLBuilder } from 'fast-xml-parser';
import { xmlCharsOnly } from './chars.js';

/** fast-xml-parser's ordered form: `{ name: children, ':@': attributes }` or `{ '#text': text }`. */
type OrderedNode = { [name: string]: OrderedNode[] | Record<string, string> } | { '#text': string };

/** An element under construction. */
export class XmlElement {
  private readonly attributes: Record<string, string> = {};
  private readonly children: (XmlElement | string)[] = [];

  constructor(readonly name: string) {}

  /** Appends a child element (with attributes) and returns it. */
  ele(name: string, attributes: Record<string, string | number> = {}): XmlElement {
    const element = new XmlElement(name);
    for (const [key, value] of Object.entries(attributes)) element.att(key, value);
    this.children.push(element);
    return element;
  }

  /** Appends text; returns this element. */
  txt(text: string | number): this {
    this.children.push(xmlCharsOnly(String(text)));
    return this;
  }

  att(name: string, value: string | number | boolean): this {
    this.attributes[name] = xmlCharsOnly(String(value));
    return this;
  }

  /** Names of the elements of this tree that never have a child (not even empty text), sorted. */
  childlessNames(): string[] {
    const all = new Set<string>();
    const parents = new Set<string>();
    const walk = (e: XmlElement): void => {
      all.add(e.name);
      if (e.children.length > 0) parents.add(e.name);
      for (const c of e.children) if (typeof c !== 'string') walk(c);
    };
    walk(this);
    return [...all].filter((name) => !parents.has(name)).sort();
  }

  /** The ordered form fast-xml-parser writes. */
  ordered(): OrderedNode {
    const node: OrderedNode = {
      [this.name]: this.children.map((c): OrderedNode => (typeof c === 'string' ? { '#text': c } : c.ordered())),
    };
    if (Object.keys(this.attributes).length > 0) node[':@'] = this.attributes;
    return node;
  }
}

/**
 * A document stated as data: keys in element order, `@name` for an attribute, `#` for the text of
 * an element that also has attributes, an array for a repeated element, a scalar for an element
 * holding text.
 */
export type XmlValue = string | number | boolean | XmlTree | XmlTree[];
export interface XmlTree {
  [element: string]: XmlValue;
}

/** The element builder for a tree with one root element. */
export function treeElement(tree: XmlTree): XmlElement {
  const entries = Object.entries(tree);
  if (entries.length !== 1) throw new TypeError(`an XML document has one root element, got ${entries.length}`);
  const [name, value] = entries[0]!;
  const root = new XmlElement(name);
  fill(root, value);
  return root;
}

function fill(element: XmlElement, value: XmlValue): void {
  if (typeof value !== 'object') {
    element.txt(String(value));
    return;
  }
  if (Array.isArray(value)) throw new TypeError(`<${element.name}>: a repeated element must be a key's value, not a root`);
  for (const [key, child] of Object.entries(value)) {
    if (key === '#') element.txt(String(child));
    else if (key.startsWith('@')) element.att(key.slice(1), child as string | number | boolean);
    else if (Array.isArray(child)) for (const item of child) fill(element.ele(key), item);
    else fill(element.ele(key), child);
  }
}

export interface XmlWriteOptions {
  /** `encoding` of the XML declaration (UTF-8, ISO-8859-1); none when absent. */
  declaration?: string;
  /** One element per line, indented by two spaces (default: all on one line). */
  pretty?: boolean;
  /**
   * `self-closing` (default): an element without children is written `<a/>`, one holding text (even
   * empty text) `<a></a>`; `open-close`: every element as `<a></a>`.
   */
  emptyTags?: 'self-closing' | 'open-close';
}

const builders = new Map<string, XMLBuilder>();

/** One builder per format; `childless` are the element names written `<a/>`. */
function builder(pretty: boolean, childless: readonly string[]): XMLBuilder {
  const key = `${pretty}|${childless.join(' ')}`;
  let b = builders.get(key);
  if (!b) {
    b = new XMLBuilder({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      suppressBooleanAttributes: false,
      suppressEmptyNode: false,
      unpairedTags: [...childless],
      suppressUnpairedNode: false,
      processEntities: true,
      format: pretty,
      indentBy: '  ',
    });
    builders.set(key, b);
  }
  return b;
}

/** The document as text (pretty documents end with a line break). */
export function writeXml(root: XmlElement, options: XmlWriteOptions = {}): string {
  const pretty = options.pretty ?? false;
  const childless = (options.emptyTags ?? 'self-closing') === 'self-closing' ? root.childlessNames() : [];
  const body = builder(pretty, childless).build([root.ordered()]) as string;
  const head = options.declaration ? `<?xml version="1.0" encoding="${options.declaration}"?>${pretty ? '\n' : ''}` : '';
  return `${head}${pretty ? `${body.trim()}\n` : body}`;
}
