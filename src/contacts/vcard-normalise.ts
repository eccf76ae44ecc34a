/**
 * Makes vCards as real programs write them fit for ical.js, and says what it had to leave out:
 *
 * - splitVCards: cards found by BEGIN/END in any case and with a group prefix, a card without
 *   END:VCARD (a cut-off file), vCard 2.1 AGENT cards nested on their own lines.
 * - normaliseVCard: RFC 6350 §3.2 unfolding (also with empty lines between, as in iOS exports
 *   with CR CR LF), vCard 2.1 quoted-printable with CHARSET and soft line breaks, bare parameters
 *   (`TEL;CELL;PREF`), any VERSION read as 3.0 unless 4.0, group prefixes kept (ical.js reads them),
 *   binary properties the phone book never shows dropped, and a line without a colon left out
 *   with a reason; after a card failed as a whole, each property ical.js cannot read is left out
 *   with a reason (`strict`), so a bad value costs only itself.
 */

import ICAL from 'ical.js';
import { splitContentLine, unfoldLines } from '../sources/content-line.js';

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

/** A property name without its group (`item1.TEL` → `TEL`, RFC 6350 §3.3), upper-cased. */
function bareName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1).toUpperCase();
}

/**
 * The lines between one card's BEGIN:VCARD and END:VCARD made fit for ical.js. `problems` gets a
 * reason for each line left out (a line without a colon). `strict`: each property is parsed on its
 * own first and left out when ical.js cannot read it (used only after the whole card failed).
 */
export function normaliseVCard(body: string, problems: string[], strict = false): string {
  // RFC 6350 §3.2 unfolding, and vCard 2.1 QP soft line breaks ('=' at the end of a line).
  const lines: { line: string; at: number }[] = [];
  for (const next of unfoldLines(body)) {
    const prev = lines[lines.length - 1];
    if (prev && /QUOTED-PRINTABLE/i.test(prev.line.split(':')[0] ?? '') && prev.line.endsWith('=')) {
      prev.line = prev.line.slice(0, -1) + next.line;
    } else {
      lines.push(next);
    }
  }
  const out: string[] = ['BEGIN:VCARD'];
  let design = ICAL.design.vcard3;
  for (const { line, at } of lines) {
    if (!line.trim() || BINARY.test(line)) continue;
    const parts = splitContentLine(line);
    if (!parts) {
      problems.push(`line ${at} "${line.slice(0, 40)}" has no colon, left out`);
      continue;
    }
    const [head, value] = parts;
    const [name = '', ...params] = head.split(';');
    if (bareName(name) === 'VERSION') {
      if (value.trim() === '4.0') design = ICAL.design.vcard;
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
    const fixed = [name, ...kept].join(';') + ':' + decoded;
    if (strict) {
      try {
        ICAL.parse.property(fixed, design);
      } catch (err) {
        problems.push(`${bareName(name)} not read (${(err as Error).message.split('\n')[0]})`);
        continue;
      }
    }
    out.push(fixed);
  }
  out.push('END:VCARD');
  return out.join('\r\n') + '\r\n';
}

/** One card as found in a .vcf text: the lines inside it, where it starts, and whether it ended. */
export interface RawCard {
  body: string;
  line: number;
  ended: boolean;
}

const BEGIN = /^[ \t]*(?:[A-Za-z0-9-]+\.)?BEGIN[ \t]*:[ \t]*VCARD[ \t]*$/i;
const END = /^[ \t]*(?:[A-Za-z0-9-]+\.)?END[ \t]*:[ \t]*VCARD[ \t]*$/i;
/** A vCard 2.1 AGENT property whose card follows on the next lines (§2.4.2 of vCard 2.1). */
const AGENT_OPEN = /^(?:[A-Za-z0-9-]+\.)?AGENT[^:]*:[ \t]*$/i;

/**
 * The cards of a .vcf text, so a broken one spoils only itself. BEGIN and END are matched in any
 * case and with a group prefix (RFC 2426 §4's grammar allows `home.begin:vcard`). A card without
 * END:VCARD ends where the next one begins, or with the text. A vCard 2.1 AGENT card nested on its
 * own lines stays out of its card. `outside`: lines with text outside any card.
 */
export function splitVCards(text: string): { cards: RawCard[]; outside: number } {
  const cards: RawCard[] = [];
  let current: { lines: string[]; line: number } | undefined;
  let nested = 0;
  let outside = 0;
  const finish = (ended: boolean): void => {
    if (current) cards.push({ body: current.lines.join('\r\n'), line: current.line, ended });
    current = undefined;
  };
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (BEGIN.test(line)) {
      if (current && AGENT_OPEN.test(current.lines[current.lines.length - 1] ?? '')) nested++;
      else if (current && nested === 0) finish(false);
      if (!current) current = { lines: [], line: i + 1 };
      return;
    }
    if (!current) {
      if (line.trim()) outside++;
    } else if (END.test(line)) {
      if (nested > 0) nested--;
      else finish(true);
    } else if (nested === 0) {
      current.lines.push(line);
    }
  });
  finish(false);
  return { cards, outside };
}
