/**
 * The in-memory phone book every phone request is answered from: one row per number, search keys
 * folded in advance (case, accents, German umlaut spelling, keypad digits), and a number → name
 * map for caller-ID lookup.
 */
import type { Contact } from './contact.js';
import type { Dialer } from './dialing.js';
import { createSlicer } from '../sources/slices.js';
import { fold, foldGerman, keyOf, t9, words } from './text.js';

/** One number of one contact, as a phone lists it. */
export interface Hit {
  name: string;
  /** Number type or custom label. */
  type: string;
  /** What the phone dials. */
  dial: string;
  /** Id of the source it came from. */
  source: string;
}

/**
 * Searchable text of every row (or number) in one string, one line each, with the start offset
 * of each line: a prefix search is then a few indexOf calls over one string, not a loop over rows.
 */
class Haystack {
  private readonly text: string;
  private readonly starts: Int32Array;

  constructor(lines: readonly string[]) {
    this.text = lines.join('\n');
    this.starts = new Int32Array(lines.length);
    let offset = 0;
    lines.forEach((line, i) => {
      this.starts[i] = offset;
      offset += line.length + 1;
    });
  }

  /** Marks every line containing `needle`. */
  mark(needle: string, marks: Uint8Array): void {
    for (let at = this.text.indexOf(needle); at >= 0; ) {
      const line = this.lineAt(at);
      marks[line] = 1;
      const next = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
      at = this.text.indexOf(needle, next);
    }
  }

  private lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

export interface SourceContacts {
  source: string;
  contacts: readonly Contact[];
}

/** The keypad groups of Browse, in keypad order. */
export const BROWSE_GROUPS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Longest query that is looked at; anything longer cannot be typed on a phone anyway. */
export const MAX_QUERY = 64;

/** Longest the event loop is held by one slice of building the index (ContactIndex.inSlices). */
export const INDEX_SLICE_MS = 10;

/**
 * Rows (contacts) and their numbers are kept column by column: only what search and the screens
 * use (name, source, keypad group; type, dial string), no Contact objects and no source text.
 */
export class ContactIndex {
  /** Per row (contact), sorted by name. */
  private readonly rowName: string[] = [];
  private readonly rowSource: string[] = [];
  /** Keypad group of the first letter ('2'…'9', or '1' for digits and others). */
  private readonly rowGroup: string[] = [];
  /** Index of the row's first number; one more entry at the end so row r owns [r, r+1). */
  private readonly rowFirst: Int32Array;
  /** Per number. */
  private readonly numberRow: Int32Array;
  /** Number type or custom label. */
  private readonly numberType: string[] = [];
  private readonly numberDial: string[] = [];
  /** ' word word …' of every name form per row: prefix tests with ' ' + term. */
  private readonly names: Haystack;
  private readonly keypad: Haystack;
  /** The digits of each number as written, as dialled and as E.164. */
  private readonly digits: Haystack;
  private readonly byKey: Map<string, string>;

  /** Built at once. */
  static of(sources: readonly SourceContacts[], dialer: Dialer): ContactIndex {
    const byKey = new Map<string, string>();
    return new ContactIndex([...preparedRows(sources, dialer, byKey)], byKey);
  }

  /**
   * Built in slices of `sliceMs` (INDEX_SLICE_MS), the event loop free between them: a large phone book
   * (10,000 contacts take ~0.4 s to index) does not hold up TFTP transfers and phone requests.
   */
  static async inSlices(sources: readonly SourceContacts[], dialer: Dialer, sliceMs = INDEX_SLICE_MS): Promise<ContactIndex> {
    const byKey = new Map<string, string>();
    const prepared: PreparedRow[] = [];
    const slice = createSlicer(sliceMs);
    for (const row of preparedRows(sources, dialer, byKey)) {
      prepared.push(row);
      await slice();
    }
    return new ContactIndex(prepared, byKey);
  }

  private constructor(prepared: PreparedRow[], byKey: Map<string, string>) {
    this.byKey = byKey;
    prepared.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
    this.rowFirst = new Int32Array(prepared.length + 1);
    this.numberRow = new Int32Array(prepared.reduce((sum, p) => sum + p.dials.length, 0));
    const digitLines: string[] = [];
    prepared.forEach((p, i) => {
      this.rowName.push(p.name);
      this.rowSource.push(p.source);
      this.rowGroup.push(keyOf(p.sort.replace(/[^a-z0-9]/g, '')[0] ?? '') ?? '1');
      this.rowFirst[i] = this.numberDial.length;
      this.numberRow.fill(i, this.numberDial.length, this.numberDial.length + p.dials.length);
      this.numberType.push(...p.types);
      this.numberDial.push(...p.dials);
      digitLines.push(...p.digits);
    });
    this.rowFirst[prepared.length] = this.numberDial.length;
    this.names = new Haystack(prepared.map((p) => p.names));
    this.keypad = new Haystack(prepared.map((p) => p.keypad));
    this.digits = new Haystack(digitLines);
  }

  /** Number of contacts (with at least one dialable number) per source. */
  count(source?: string): number {
    return source === undefined ? this.rowName.length : this.rowSource.filter((s) => s === source).length;
  }

  /**
   * Search as typed on a phone: every word must match. Letters match the start of a first, last,
   * organisation or nickname word, ignoring case and accents (`mül`, `mul`, `muel`). Digits match
   * anywhere in a number, and also names typed the keypad way (`6855` → Müller). Contacts found
   * by name come first, then those found by a number only.
   */
  search(query: string, options: { source?: string; limit?: number } = {}): Hit[] {
    const terms = [...new Set(words(fold(query.slice(0, MAX_QUERY))))];
    if (terms.length === 0) return [];
    const limit = options.limit ?? 1000;
    // Per term: rows whose names match, and numbers that contain it.
    const byName = terms.map((term) => {
      const marks = new Uint8Array(this.rowName.length);
      this.names.mark(` ${term}`, marks);
      if (/^[0-9]+$/.test(term)) this.keypad.mark(` ${term}`, marks);
      return marks;
    });
    const byNumber = terms.map((term) => {
      const marks = new Uint8Array(this.numberDial.length);
      if (/^[0-9]+$/.test(term)) this.digits.mark(term, marks);
      return marks;
    });
    const named: Hit[] = [];
    const numbered: Hit[] = [];
    for (let r = 0; r < this.rowName.length; r++) {
      if (options.source !== undefined && this.rowSource[r] !== options.source) continue;
      for (let n = this.rowFirst[r]!; n < this.rowFirst[r + 1]!; n++) {
        let ok = true;
        let nameOnly = true;
        for (let t = 0; t < terms.length && ok; t++) {
          if (byName[t]![r]) continue;
          nameOnly = false;
          ok = byNumber[t]![n] === 1;
        }
        if (!ok) continue;
        (nameOnly ? named : numbered).push(this.hit(n));
        if (named.length + numbered.length >= limit) return [...named, ...numbered];
      }
    }
    return [...named, ...numbered];
  }

  /** Every number of the contacts whose name starts in a keypad group ('2' = A, B, C; '1' = digits and others). */
  browse(group: string, options: { source?: string } = {}): Hit[] {
    const hits: Hit[] = [];
    for (let r = 0; r < this.rowName.length; r++) {
      if (this.rowGroup[r] !== group || (options.source !== undefined && this.rowSource[r] !== options.source)) continue;
      for (let n = this.rowFirst[r]!; n < this.rowFirst[r + 1]!; n++) hits.push(this.hit(n));
    }
    return hits;
  }

  /** Contacts per keypad group. */
  groupSizes(options: { source?: string } = {}): Map<string, number> {
    const sizes = new Map<string, number>();
    this.rowGroup.forEach((group, r) => {
      if (options.source === undefined || this.rowSource[r] === options.source) sizes.set(group, (sizes.get(group) ?? 0) + 1);
    });
    return sizes;
  }

  /** The contact a number belongs to, whatever way it is written (`+49 89 1`, `0891`, `0049891`). */
  lookup(key: string | undefined): string | undefined {
    return key ? this.byKey.get(key) : undefined;
  }

  private hit(n: number): Hit {
    const r = this.numberRow[n]!;
    return { name: this.rowName[r]!, type: this.numberType[n]!, dial: this.numberDial[n]!, source: this.rowSource[r]! };
  }
}

/** What one contact adds to the index, before the rows are sorted. */
interface PreparedRow {
  name: string;
  source: string;
  sort: string;
  names: string;
  keypad: string;
  types: string[];
  dials: string[];
  digits: string[];
}

/** Each contact with a dialable number, its search keys folded; its numbers' keys go to `byKey` (first name wins). */
function* preparedRows(sources: readonly SourceContacts[], dialer: Dialer, byKey: Map<string, string>): Generator<PreparedRow> {
  for (const { source, contacts } of sources) {
    for (const contact of contacts) {
      const types: string[] = [];
      const dials: string[] = [];
      const digits: string[] = [];
      for (const n of contact.numbers) {
        const { dial, key = '' } = dialer.forms(n.number);
        // CiscoIPPhoneDirectory (Cisco's XSD and developer notes): Telephone holds at most 32
        // characters and is dialled as given.
        if (!dial || dial.length > 32) continue;
        for (const k of [key, dial]) if (k && !byKey.has(k)) byKey.set(k, contact.name);
        types.push(n.type);
        dials.push(dial);
        digits.push([n.number, dial, key].map((x) => x.replace(/[^0-9]/g, '')).join(' '));
      }
      if (dials.length === 0) continue;
      const parts = [contact.name, contact.first, contact.last, contact.org, contact.nickname].filter((p): p is string => !!p);
      // O'Brien and Karl-Heinz are also found as obrien and karlheinz.
      const tokens = [...new Set(parts.flatMap((p) => [fold(p), foldGerman(p)].flatMap((f) => [...words(f), ...words(f.replace(/['’`-]/g, ''))])))];
      yield { name: contact.name, source, sort: fold(contact.name), names: ` ${tokens.join(' ')}`, keypad: ` ${tokens.map(t9).join(' ')}`, types, dials, digits };
    }
  }
}
