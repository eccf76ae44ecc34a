/**
 * Ring tones and backgrounds as virtual TFTP files (usecallmanager.nz ring-tones and background-images):
 * `Ringlist.xml` / `DistinctiveRingList.xml` in every spelling the phones use, `RINGLIST.DAT`
 * for 7940/7960, the `.raw` files at the root, and `Desktops/<W>x<H>x<D>/List.xml` with its PNGs.
 * Nothing is answered when the folder holds no usable file, so a hand-made file in the TFTP
 * root still applies.
 */
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { AppContext } from '../context.js';
import type { DataFolder } from '../data/data-folder.js';
import type { Inventory } from '../phones/inventory.js';
import type { Logger } from '../logger.js';
import { bufferFile, type VirtualFileProvider } from '../tftp/index.js';
import { parseDesktopDir } from './background-render.js';
import { BackgroundLibrary, desktopDirs } from './backgrounds.js';
import { imageListXml, ringListDat, ringListXml } from './lists.js';
import { RingtoneLibrary, type Ringtone } from './ringtones.js';

/** Ring list names, lower-cased: CUCM, CME, Linux setups and the 7940 SCCP spelling. */
const RING_LIST_NAMES = new Set(['ringlist.xml', 'distinctiveringlist.xml', 'distinctiverlist.xml']);
const RING_LIST_DAT = 'ringlist.dat';

export interface MediaLibraries {
  ringtones: RingtoneLibrary;
  backgrounds: BackgroundLibrary;
}

/** The ring-tone and background libraries of one server instance (created by its context). */
export function createMediaLibraries(config: ResolvedConfig, inventory: Inventory, data: DataFolder, log: Logger): MediaLibraries {
  const cacheDir = path.join(config.server.dataDir, 'media');
  return {
    ringtones: new RingtoneLibrary({
      folder: config.ringtones.folder,
      names: config.ringtones.names ?? {},
      data,
      cacheDir: path.join(cacheDir, 'ringtones'),
      log,
    }),
    backgrounds: new BackgroundLibrary({
      folder: config.backgrounds.folder,
      dirs: desktopDirs(inventory.phones.map((p) => p.caps)),
      data,
      cacheDir: path.join(cacheDir, 'backgrounds'),
      log,
    }),
  };
}

/** A rendered media file: its bytes and the type an HTTP client is told. */
export interface MediaFile {
  kind: 'file';
  body: Buffer;
  contentType: string;
}

const LIST_TYPE = 'text/xml; charset=iso-8859-1';
const DAT_TYPE = 'text/plain; charset=iso-8859-1';
// RFC 2046 §4.3: audio/basic is 8 kHz single-channel µ-law, exactly the ring-tone format.
const RAW_TYPE = 'audio/basic';
const PNG_TYPE = 'image/png';

/**
 * The media file for a request name (already normalised), or null when the name is not one of
 * ours. One function serves TFTP, the provisioning HTTP port and `ciscophone render`.
 */
export async function renderMediaFile(ctx: AppContext, name: string): Promise<MediaFile | null> {
  const { ringtones, backgrounds } = ctx.media;
  const lower = name.toLowerCase();
  if (RING_LIST_NAMES.has(lower)) return nonEmpty(await ringtones.list(), ringListXml, LIST_TYPE);
  if (lower === RING_LIST_DAT) return nonEmpty(await ringtones.list(), ringListDat, DAT_TYPE);
  if (lower.endsWith('.raw') && !lower.includes('/')) {
    const ring = await ringtones.find(lower);
    return ring ? { kind: 'file', body: ring.raw, contentType: RAW_TYPE } : null;
  }
  const parts = name.split('/');
  if (parts.length !== 3 || parts[0]!.toLowerCase() !== 'desktops') return null;
  const spec = parseDesktopDir(parts[1]!);
  if (!spec) return null;
  const file = parts[2]!;
  if (file.toLowerCase() === 'list.xml') {
    const entries = await backgrounds.entries(spec);
    return entries.length > 0 ? { kind: 'file', body: imageListXml(entries), contentType: LIST_TYPE } : null;
  }
  if (!file.toLowerCase().endsWith('.png')) return null;
  const png = await backgrounds.file(spec, file);
  return png ? { kind: 'file', body: png, contentType: PNG_TYPE } : null;
}

export function mediaProvider(ctx: AppContext): VirtualFileProvider {
  return {
    async resolve(name) {
      const file = await renderMediaFile(ctx, name);
      return file ? bufferFile(file.body) : null;
    },
  };
}

function nonEmpty(rings: Ringtone[], build: (rings: Ringtone[]) => Buffer, contentType: string): MediaFile | null {
  return rings.length > 0 ? { kind: 'file', body: build(rings), contentType } : null;
}
