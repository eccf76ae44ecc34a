/**
 * Serialising provisioning files: a nested object (keys in element order, `@name` for attributes,
 * arrays for repeated elements) to XML through the one writer that escapes every text and attribute.
 */
import { createHash } from 'node:crypto';
import { treeElement, writeXml, type XmlTree } from '../xml/writer.js';

export type { XmlTree, XmlValue } from '../xml/writer.js';

export interface XmlTextOptions {
  /** Write `<?xml version="1.0" encoding="UTF-8"?>` (default). The dial plan goes without, as in Cisco's samples. */
  declaration?: boolean;
  /** Empty elements as `<a></a>` (default, as in the cnf.xml files) or `<a/>` (dial plan TEMPLATEs). */
  openEmptyTags?: boolean;
}

export function xmlText(root: XmlTree, options: XmlTextOptions = {}): string {
  return writeXml(treeElement(root), {
    ...(options.declaration ?? true ? { declaration: 'UTF-8' } : {}),
    pretty: true,
    emptyTags: options.openEmptyTags ?? true ? 'open-close' : 'self-closing',
  });
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
