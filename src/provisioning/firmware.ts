/**
 * Firmware in the TFTP root: which `.loads` a model should run when the config names none, and
 * which image files of a model family are present (for the "missing firmware" hint).
 */
import { readdir } from 'node:fs/promises';
import { familyOf } from '../phones/families.js';
import type { ModelCaps } from '../phones/models.js';

const FIRMWARE_FILE = /\.(loads|sbn|sb2|bin)$/i;

/** File names directly in the root (firmware never sits in sub-folders); empty when unreadable. */
export async function rootFileNames(root: string): Promise<string[]> {
  try {
    return (await readdir(root, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Numeric-aware comparison, so `9-4-2SR3` sorts after `9-3-1SR2` and `8-12` after `8-9`. */
function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

/** The newest `<loadPrefix>….loads` among `names`, without its extension (what `<loadInformation>` takes). */
export function newestLoad(names: readonly string[], caps: ModelCaps): string | undefined {
  const prefix = caps.loadPrefix.toLowerCase();
  const loads = names
    .filter((n) => n.toLowerCase().startsWith(prefix) && /\.loads$/i.test(n))
    .map((n) => n.slice(0, -'.loads'.length))
    .sort(compareVersions);
  return loads.at(-1);
}

/**
 * The newest 7940/7960 universal application loader (`P003-08-12-00.bin`/`.sbn`) in the root,
 * without extension: what `OS79XX.TXT` names so a phone on SCCP firmware can move to the SIP image
 * (Cisco SIP IP Phone 7940/7960 admin guide, "Upgrading from SCCP images"; voip-info.org
 * "Firmware issues on 7940 - 7960").
 */
export function universalLoader(names: readonly string[]): string | undefined {
  return names
    .filter((n) => /^P003.*\.(bin|sbn)$/i.test(n))
    .map((n) => n.replace(/\.[^.]+$/, ''))
    .sort(compareVersions)
    .at(-1);
}

/**
 * Firmware files of the model's image family present in the root: `SIP41.….loads`,
 * `term41.default.loads`, `apps41.….sbn`, `jar41sip.….sbn`…; `P0S3…`/`P003…` for 7940/7960.
 */
export function familyFirmware(names: readonly string[], caps: ModelCaps): string[] {
  const pattern = familyOf(caps).firmwareFiles(caps.loadPrefix);
  return names.filter((n) => FIRMWARE_FILE.test(n) && pattern.test(n)).sort();
}

/** The models whose image family a firmware file name belongs to (`SIP41.x.loads` → 7941, 7961). */
export function modelsForFirmware(file: string, models: Iterable<ModelCaps>): ModelCaps[] {
  return [...models].filter((caps) => familyFirmware([file.split('/').pop()!], caps).length > 0);
}

export function isFirmwareName(name: string): boolean {
  return /\.(loads|sbn)$/i.test(name);
}
