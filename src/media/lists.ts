/**
 * The list files the phones fetch over TFTP (pure): `Ringlist.xml` / `DistinctiveRingList.xml`
 * (CiscoIPPhoneRingList), `RINGLIST.DAT` for 7940/7960 and `Desktops/<dir>/List.xml`
 * (CiscoIPPhoneImageList), as Cisco's phone admin guides and usecallmanager.nz (ring-tones,
 * background-images) describe them.
 */
import { xmlCharsOnly } from '../xml/chars.js';
import { encodeBody } from '../xml/index.js';
import { treeElement, writeXml } from '../xml/writer.js';

/** Most entries either list may hold. */
export const LIST_MAX_ENTRIES = 50;

export interface RingEntry {
  displayName: string;
  fileName: string;
}

export interface ImageEntry {
  /** Thumbnail path below the TFTP root, e.g. `Desktops/320x196x4/TN-Lake.png`. */
  thumbnail: string;
  /** Full-size picture path below the TFTP root. */
  image: string;
}

/** ISO-8859-1, the character set of every 79xx with a ring list or backgrounds. */
const LIST_FORMAT = { declaration: 'ISO-8859-1', pretty: true } as const;

/** CiscoIPPhoneRingList in ISO-8859-1, the character set of every 79xx with a ring list. */
export function ringListXml(rings: readonly RingEntry[]): Buffer {
  const list = { Ring: rings.slice(0, LIST_MAX_ENTRIES).map((r) => ({ DisplayName: r.displayName, FileName: r.fileName })) };
  return encodeBody(writeXml(treeElement({ CiscoIPPhoneRingList: list }), LIST_FORMAT), 'iso-8859-1');
}

/** 7940/7960 SIP firmware: one "Display Name<TAB>file.raw" line per ring tone, CRLF-terminated. */
export function ringListDat(rings: readonly RingEntry[]): Buffer {
  const lines = rings.slice(0, LIST_MAX_ENTRIES).map((r) => `${xmlCharsOnly(r.displayName).replace(/[\t\r\n]/g, ' ')}\t${r.fileName}\r\n`);
  return encodeBody(lines.join(''), 'iso-8859-1');
}

/** CiscoIPPhoneImageList; `TFTP:` is the only URL scheme the phones accept here. */
export function imageListXml(images: readonly ImageEntry[]): Buffer {
  const list = { ImageItem: images.slice(0, LIST_MAX_ENTRIES).map((i) => ({ '@Image': `TFTP:${i.thumbnail}`, '@URL': `TFTP:${i.image}` })) };
  return encodeBody(writeXml(treeElement({ CiscoIPPhoneImageList: list }), LIST_FORMAT), 'iso-8859-1');
}
