/**
 * Names the phones see (pure): ring-tone display names of at most 25 characters and safe,
 * unique ASCII file names for the files served at the TFTP root.
 */
import { transliterate } from '../xml/index.js';

/** Ring list limit for DisplayName and FileName (Cisco 7906/7911 admin guide; usecallmanager.nz ring-tones). */
export const RING_NAME_MAX = 25;

/** Letters, digits, `-` and `_` only; accents folded, everything else becomes `_`. */
export function safeStem(name: string): string {
  const ascii = transliterate(name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss');
  const stem = ascii.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[_-]+|[_-]+$/g, '');
  return stem === '' ? 'file' : stem;
}

/**
 * Gives each stem a file name `<stem><ext>` of at most `max` characters that no other entry
 * uses in any letter case (phones and TFTP lookups do not agree on case).
 */
export function uniqueFileNames(stems: readonly string[], ext: string, max: number): string[] {
  const taken = new Set<string>();
  return stems.map((raw) => {
    const stem = safeStem(raw);
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : `-${n}`;
      // A cut can end on a separator (`Turklingel_sehr_lang_`): drop it.
      const head = stem.slice(0, max - ext.length - suffix.length).replace(/(?<=.)[_-]+$/, '');
      const name = `${head}${suffix}${ext}`;
      if (!taken.has(name.toLowerCase())) {
        taken.add(name.toLowerCase());
        return name;
      }
    }
  });
}

/**
 * Shortens a display name to `max` characters: whitespace collapsed, cut at a word boundary
 * when one is near the end, marked with `..` when something was dropped.
 */
export function shortDisplayName(name: string, max = RING_NAME_MAX): string {
  const text = transliterate(name).replace(/\s+/g, ' ').trim() || 'Ring tone';
  if (text.length <= max) return text;
  const room = max - 2;
  const space = text.lastIndexOf(' ', room);
  const head = space >= room / 2 ? text.slice(0, space) : text.slice(0, room);
  return `${head.trimEnd()}..`;
}

/** The file name without its last extension. */
export function stemOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}
