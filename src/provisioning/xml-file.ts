/**
 * Serialising provisioning files: a nested object (keys in element order, `@name` for attributes,
 * arrays for repeated elements) to XML with xmlbuilder2, which escapes every text and attribute.
 */
import { createHash } from 'node:crypto';
import { create } from 'xmlbuilder2';

export type XmlValue = string | number | boolean | XmlTree | XmlTree[];
export interface XmlTree {
  [element: string]: XmlValue;
}

// XML 1.0 §2.2: control characters other than tab, LF and CR cannot appear in a document at all.
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;

function clean(value: XmlValue): XmlValue {
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => clean(v) as XmlTree);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
}

export interface XmlTextOptions {
  /** Write `<?xml version="1.0" encoding="UTF-8"?>` (default). The dial plan goes without, as in Cisco's samples. */
  declaration?: boolean;
  /** Empty elements as `<a></a>` (default, as in the cnf.xml files) or `<a/>` (dial plan TEMPLATEs). */
  openEmptyTags?: boolean;
}

export function xmlText(root: XmlTree, options: XmlTextOptions = {}): string {
  const declaration = options.declaration ?? true;
  const doc = declaration ? create({ version: '1.0', encoding: 'UTF-8' }, clean(root) as XmlTree) : create(clean(root) as XmlTree);
  return `${doc.end({ prettyPrint: true, indent: '  ', allowEmptyTags: options.openEmptyTags ?? true, headless: !declaration })}\n`;
}

/** A short stable fingerprint of some text: a `versionStamp` that changes exactly when the text does. */
export function contentStamp(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The `<callManagerGroup>` both SEP files and XMLDefault carry: one member, the PBX. A callManager
 * needs `ethernetPhonePort` and `processNodeName` or the phone ignores it; REGISTER goes to
 * processNodeName on sipPort.
 */
export function callManagerGroup(pbx: { host: string; port: number }): XmlTree {
  return {
    members: {
      member: {
        '@priority': 0,
        callManager: {
          ports: { ethernetPhonePort: 2000, sipPort: pbx.port, securedSipPort: 5061 },
          processNodeName: pbx.host,
        },
      },
    },
  };
}
