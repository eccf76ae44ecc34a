/**
 * Trying a ring tone on a phone: the `Play:` URI (Cisco developer notes, "Internal URI Features")
 * plays a `.raw` file from the TFTP server, so it names one of the converted ring tones.
 */
import type { AppContext } from '../context.js';
import { mediaLibraries } from './provider.js';
import type { RingEntry } from './lists.js';

/** The ring tones a phone can play right now: display name and `.raw` file name. */
export async function ringtoneFileNames(ctx: AppContext): Promise<RingEntry[]> {
  return (await mediaLibraries(ctx).ringtones.list()).map(({ displayName, fileName }) => ({ displayName, fileName }));
}

/** `Play:<file>.raw` for an Execute item. Throws for a name that is not a plain `.raw` file name. */
export function playUri(fileName: string): string {
  if (!/^[A-Za-z0-9_-]{1,21}\.raw$/.test(fileName)) throw new RangeError(`not a ring tone file name: ${JSON.stringify(fileName)}`);
  return `Play:${fileName}`;
}
