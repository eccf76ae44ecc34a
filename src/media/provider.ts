/**
 * Ring tones and backgrounds as virtual TFTP files (usecallmanager.nz ring-tones and background-images):
 * `Ringlist.xml` / `DistinctiveRingList.xml` in every spelling the phones use, `RINGLIST.DAT`
 * for 7940/7960, the `.raw` files at the root, and `Desktops/<W>x<H>x<D>/List.xml` with its PNGs.
 * Nothing is answered when the folder holds no usable file, so a hand-made file in the TFTP
 * root still applies.
 */
import path from 'node:path';
import type { AppContext } from '../context.js';
import { bufferFile, type TftpFile, type VirtualFileProvider } from '../tftp/index.js';
import { parseDesktopDir } from './background-render.js';
import { BackgroundLibrary } from './backgrounds.js';
import { imageListXml, ringListDat, ringListXml } from './lists.js';
import { RingtoneLibrary, type Ringtone } from './ringtones.js';

/** Ring list names, lower-cased: CUCM, CME, Linux setups and the 7940 SCCP spelling. */
const RING_LIST_NAMES = new Set(['ringlist.xml', 'distinctiveringlist.xml', 'distinctiverlist.xml']);
const RING_LIST_DAT = 'ringlist.dat';

export interface MediaLibraries {
  ringtones: RingtoneLibrary;
  backgrounds: BackgroundLibrary;
}

const libraries = new WeakMap<AppContext, MediaLibraries>();

/** The ring-tone and background libraries of one context (one per context, shared by every caller). */
export function mediaLibraries(ctx: AppContext): MediaLibraries {
  let libs = libraries.get(ctx);
  if (!libs) {
    const log = ctx.log.child({ component: 'media' });
    const cacheDir = path.join(ctx.config.server.dataDir, 'media');
    libs = {
      ringtones: new RingtoneLibrary({
        folder: ctx.config.ringtones.folder,
        names: ctx.config.ringtones.names ?? {},
        cacheDir: path.join(cacheDir, 'ringtones'),
        log,
      }),
      backgrounds: new BackgroundLibrary({ folder: ctx.config.backgrounds.folder, cacheDir: path.join(cacheDir, 'backgrounds'), log }),
    };
    libraries.set(ctx, libs);
  }
  return libs;
}

export function mediaProvider(ctx: AppContext): VirtualFileProvider {
  const { ringtones, backgrounds } = mediaLibraries(ctx);
  return {
    async resolve(name) {
      const lower = name.toLowerCase();
      if (RING_LIST_NAMES.has(lower)) return nonEmpty(await ringtones.list(), ringListXml);
      if (lower === RING_LIST_DAT) return nonEmpty(await ringtones.list(), ringListDat);
      if (lower.endsWith('.raw') && !lower.includes('/')) {
        const ring = await ringtones.find(lower);
        return ring ? bufferFile(ring.raw) : null;
      }
      const parts = name.split('/');
      if (parts.length !== 3 || parts[0]!.toLowerCase() !== 'desktops') return null;
      const spec = parseDesktopDir(parts[1]!);
      if (!spec) return null;
      const file = parts[2]!;
      if (file.toLowerCase() === 'list.xml') {
        const entries = await backgrounds.entries(spec);
        return entries.length > 0 ? bufferFile(imageListXml(entries)) : null;
      }
      if (!file.toLowerCase().endsWith('.png')) return null;
      const png = await backgrounds.file(spec, file);
      return png ? bufferFile(png) : null;
    },
  };
}

function nonEmpty(rings: Ringtone[], build: (rings: Ringtone[]) => Buffer): TftpFile | null {
  return rings.length > 0 ? bufferFile(build(rings)) : null;
}
