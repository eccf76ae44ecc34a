/**
 * The list files the phones fetch over TFTP (pure): `Ringlist.xml` / `DistinctiveRingList.xml`
 * (CiscoIPPhoneRingList), `RINGLIST.DAT` for 7940/7960 and `Desktops/<dir>/List.xml`
 * (CiscoIPPhoneImageList), as Cisco's phone admin guides and usecallmanager.nz (ring-tones,
 * background-images) describe them.
 */
import { create } from 'xmlbuilder2';
import { encodeBody } from '../xml/index.js';

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

/** CiscoIPPhoneRingList in ISO-8859-1, the character set of every 79xx with a ring list. */
export function ringListXml(rings: readonly RingEntry[]): Buffer {
  const doc = create({ version: '1.0', encoding: 'ISO-8859-1' }).ele('CiscoIPPhoneRingList');
  for (const ring of rings.slice(0, LIST_MAX_ENTRIES)) {
    const item = doc.ele('Ring');
    item.ele('DisplayName').txt(ring.displayName);
    item.ele('FileName').txt(ring.fileName);
  }
  return encodeBody(`${doc.end({ prettyPrint: true })}\n`, 'iso-8859-1');
}

/** 7940/7960 SIP firmware: one "Display Name<TAB>file.raw" line per ring tone, CRLF-terminated. */
export function ringListDat(rings: readonly RingEntry[]): Buffer {
  const lines = rings.slice(0, LIST_MAX_ENTRIES).map((r) => `${r.displayName.replace(/[\t\r\n]/g, ' ')}\t${r.fileName}\r\n`);
  return encodeBody(lines.join(''), 'iso-8859-1');
}

/** CiscoIPPhoneImageList; `TFTP:` is the only URL scheme the phones accept here. */
export function imageListXml(images: readonly ImageEntry[]): Buffer {
  const doc = create({ version: '1.0', encoding: 'ISO-8859-1' }).ele('CiscoIPPhoneImageList');
  for (const image of images.slice(0, LIST_MAX_ENTRIES)) {
    doc.ele('ImageItem', { Image: `TFTP:${image.thumbnail}`, URL: `TFTP:${image.image}` });
  }
  return encodeBody(`${doc.end({ prettyPrint: true })}\n`, 'iso-8859-1');
}
