/**
 * Makes old and sloppy vCards parseable by ical.js: vCard 2.1 quoted-printable with CHARSET,
 * bare parameters (`TEL;CELL;PREF`), and drops binary properties the phone book never shows.
 */

import { splitContentLine } from '../sources/content-line.js';

const BINARY = /^(?:[A-Za-z0-9-]+\.)?(PHOTO|LOGO|SOUND|KEY)[;:]/i;

/** RFC 2045 §6.7: `=C3=BC` → bytes → text in the card's charset. */
function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(Uint8Array.from(bytes));
}

/** One card's text (BEGIN:VCARD … END:VCARD) made fit for ical.js. */
export function normaliseVCard(text: string): string {
  // RFC 6350 §3.2 unfolding, and vCard 2.1 QP soft line breaks ('=' at the end of a line).
  const raw = text.replace(/\r\n?/g, '\n').replace(/\n[ \t]/g, '');
  const lines: string[] = [];
  for (const line of raw.split('\n')) {
    const prev = lines[lines.length - 1];
    if (prev !== undefined && /QUOTED-PRINTABLE/i.test(prev.split(':')[0] ?? '') && prev.endsWith('=')) {
      lines[lines.length - 1] = prev.slice(0, -1) + line;
    } else {
      lines.push(line);
    }
  }
  const out: string[] = [];
  for (const line of lines) {
    if (!line.trim() || BINARY.test(line)) continue;
    const parts = splitContentLine(line);
    if (!parts) continue;
    const [head, value] = parts;
    const [name = '', ...params] = head.split(';');
    if (/^VERSION$/i.test(name)) {
      out.push(value.trim() === '4.0' ? 'VERSION:4.0' : 'VERSION:3.0');
      continue;
    }
    let qp = false;
    let charset = 'utf-8';
    const kept: string[] = [];
    for (const param of params) {
      const eq = param.indexOf('=');
      const key = (eq < 0 ? param : param.slice(0, eq)).toUpperCase();
      const val = eq < 0 ? '' : param.slice(eq + 1);
      if (eq < 0 && key === 'QUOTED-PRINTABLE') qp = true;
      else if (key === 'ENCODING' && /^quoted-printable$/i.test(val)) qp = true;
      else if (key === 'CHARSET') charset = val.replace(/"/g, '') || charset;
      else if (key === 'ENCODING' && /^(8bit|7bit)$/i.test(val)) continue;
      // vCard 2.1 §2.4: a bare parameter is a type (TEL;CELL;PREF).
      else if (eq < 0) kept.push(`TYPE=${param}`);
      else kept.push(param);
    }
    const decoded = qp ? decodeQuotedPrintable(value, charset).replace(/\r\n|\r|\n/g, '\\n') : value;
    out.push([name, ...kept].join(';') + ':' + decoded);
  }
  return out.join('\r\n') + '\r\n';
}

/** The individual cards of a .vcf text (a broken one then spoils only itself). */
export function splitVCards(text: string): string[] {
  return [...text.matchAll(/^[ \t]*BEGIN:VCARD[ \t]*\r?$[\s\S]*?^[ \t]*END:VCARD[ \t]*\r?$/gim)].map((m) => m[0].trim());
}
