/**
 * Trying a ring tone on a phone: the `Play:` URI (Cisco developer notes, "Internal URI Features")
 * plays a `.raw` file from the TFTP server, so it names one of the converted ring tones (or a
 * `.raw` file the owner put in the TFTP root).
 */
import path from 'node:path';
import type { AppContext } from '../context.js';
import { normaliseRequestName, resolveStatic } from '../tftp/index.js';
import type { RingEntry } from './lists.js';
import type { Ringtone } from './ringtones.js';
import { stemOf } from './names.js';

/** The ring tones a phone can play right now: display name and `.raw` file name. */
export async function ringtoneFileNames(ctx: AppContext): Promise<RingEntry[]> {
  return (await ctx.media.ringtones.list()).map(({ displayName, fileName }) => ({ displayName, fileName }));
}

/**
 * The `.raw` file to play for a name as people type it: the `.raw` file name, the WAV's file
 * name with or without its extension, or the name the phone shows (any letter case). A `.raw`
 * file in the TFTP root is taken as it is. Otherwise the reason, naming what there is.
 */
export async function ringtoneToPlay(ctx: AppContext, wanted: string): Promise<{ fileName: string } | { problem: string }> {
  const found = await findRingtone(ctx, wanted);
  if ('problem' in found) return found;
  return { fileName: 'ring' in found ? found.ring.fileName : found.fileName };
}

/**
 * The ring tone (or `.raw` file in the TFTP root, as `staticRaw`, its path) a name as people type
 * it stands for; otherwise the reason, naming what there is.
 */
export async function findRingtone(ctx: AppContext, wanted: string): Promise<{ ring: Ringtone } | { fileName: string; staticRaw: string } | { problem: string }> {
  const key = wanted.trim().toLowerCase();
  const rings = await ctx.media.ringtones.list();
  const ring = rings.find((r) => {
    const source = path.basename(r.source);
    return [r.fileName, stemOf(r.fileName), source, stemOf(source), r.displayName].some((n) => n.toLowerCase() === key);
  });
  if (ring) return { ring };
  const name = normaliseRequestName(wanted.trim());
  const resolved = name !== null && /\.raw$/i.test(name) ? await resolveStatic(ctx.config.server.tftp.root, name) : undefined;
  if (name !== null && resolved?.status === 'found') return { fileName: name, staticRaw: resolved.path };
  const offered = rings.map((r) => (r.displayName === stemOf(r.fileName) ? r.fileName : `${r.fileName} (${r.displayName})`));
  return {
    problem:
      offered.length > 0
        ? `no ring tone ${JSON.stringify(wanted)}; the ring tones are: ${offered.join(', ')}`
        : `no ring tone ${JSON.stringify(wanted)}: ${ctx.config.ringtones.folder} holds no WAV file to convert`,
  };
}
