/**
 * Which rendered file a request name stands for, and its bytes. One function serves TFTP, the
 * provisioning HTTP port and `ciscophone render`, so all three always agree. Names match without
 * regard to case, as the static root does.
 */
import type { AppContext } from '../context.js';
import { deviceName } from '../config/mac.js';
import type { Phone } from '../phones/inventory.js';
import { familyOf } from '../phones/families.js';
import { MODELS, type ModelCaps } from '../phones/models.js';
import { renderDialplan } from './dialplan.js';
import { newestLoad, rootFileNames, universalLoader } from './firmware.js';
import { phoneUrls } from './phone-urls.js';
import { renderSepConfig } from './sep-config.js';
import { renderOs79xx, renderSipDefault, renderSipPhone } from './sip-79x0.js';
import { renderSccpConversion, renderXmlDefault } from './xml-default.js';
import { defaultTimeZone } from '../config/time-zone.js';

/** The dial plan's name on the server, as `<dialTemplate>` and `dial_template` give it. */
export const DIALPLAN_FILE = 'dialplan.xml';

export type VirtualFile =
  | {
      kind: 'file';
      body: Buffer;
      contentType: string;
      /** The inventory phone the file belongs to. */
      phone?: Phone;
      /** Holds SIP passwords (subject to `server.tftp.lockConfigToIp`). */
      secret: boolean;
    }
  /** A per-device name (`SEP<MAC>.cnf.xml`, `SIP<MAC>.cnf`) of a MAC missing from the inventory. */
  | { kind: 'unknown-phone'; mac: string };

export interface RenderOptions {
  /** Replace passwords with asterisks (for showing a file to a person). */
  mask?: boolean;
}

const SEP_CONFIG = /^SEP([0-9A-F]{12})\.cnf\.xml$/i;
const SIP_CONFIG = /^SIP([0-9A-F]{12})\.cnf$/i;
/**
 * Trust lists (and signed variants of anything, including `SEP….cnf.xml.sgn`): phones ask for
 * them first and carry on after "file not found". A trust list we did not mean to serve could tie
 * a phone to a foreign certificate, and an unsecured phone (deviceSecurityMode 1) fetches the plain
 * `.cnf.xml` next, so nothing is rendered for these names; only a file the owner put in the root is served.
 */
const NEVER_RENDERED = /^(?:(?:CTL|ITL)(?:SEP[0-9A-F]{12}|File)\.tlv|.*\.sgn)$/i;

const XML = 'text/xml; charset=utf-8';
const TEXT = 'text/plain; charset=iso-8859-1';

function file(body: Buffer | string, contentType: string, extra: { phone?: Phone; secret?: boolean } = {}): VirtualFile {
  return {
    kind: 'file',
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    contentType,
    ...(extra.phone ? { phone: extra.phone } : {}),
    secret: extra.secret ?? false,
  };
}

/** Whether `name` is never rendered (trust lists, signed files): decided without any I/O. */
export function isNeverRendered(name: string): boolean {
  return NEVER_RENDERED.test(name);
}

/** The firmware a model should run: the config's `loadInformation`, else the newest `.loads` in the root. */
async function loadFor(ctx: AppContext, caps: ModelCaps, configured: string | undefined, names?: string[]): Promise<string | undefined> {
  if (configured) return configured;
  return newestLoad(names ?? (await rootFileNames(ctx.config.server.tftp.root)), caps);
}

/**
 * The image of a model whose family shares one (7940/7960): `phone`'s configured load, else one
 * configured for any phone of the family, else the newest of its `.loads` in the root.
 */
async function familyImage(ctx: AppContext, caps: ModelCaps, phone?: Phone): Promise<string | undefined> {
  const configured =
    phone?.loadInformation ?? ctx.inventory.phones.find((p) => p.caps.family === caps.family && p.loadInformation)?.loadInformation;
  return loadFor(ctx, caps, configured);
}

/** The model of the flat-file family (7940/7960): SIPDefault.cnf and OS79XX.TXT name its image. */
const FLAT_MODEL = [...MODELS.values()].find((caps) => familyOf(caps).configFormat === 'flat')!;

async function xmlDefault(ctx: AppContext): Promise<string> {
  const names = await rootFileNames(ctx.config.server.tftp.root);
  const loads: Array<{ caps: ModelCaps; load: string }> = [];
  for (const caps of MODELS.values()) {
    const load = familyOf(caps).sharedImage
      ? await familyImage(ctx, caps)
      : await loadFor(ctx, caps, ctx.inventory.phones.find((p) => p.caps.id === caps.id && p.loadInformation)?.loadInformation, names);
    if (load) loads.push({ caps, load });
  }
  return renderXmlDefault({ pbx: ctx.config.pbx, loads, urls: phoneUrls(ctx.config.server.publicUrl, undefined) });
}

/** The rendered file for a request name (already normalised), or null when the name is not one of ours. */
export async function renderVirtualFile(ctx: AppContext, name: string, options: RenderOptions = {}): Promise<VirtualFile | null> {
  if (name.includes('/') || isNeverRendered(name)) return null;
  const { config } = ctx;
  const sep = SEP_CONFIG.exec(name);
  if (sep) {
    const mac = sep[1]!.toUpperCase();
    const phone = ctx.inventory.byMacAddress(mac);
    if (!phone) return { kind: 'unknown-phone', mac };
    if (familyOf(phone.caps).configFormat === 'flat') {
      // A 7940/7960 that still runs SCCP: the file names the SIP image to convert to.
      const load = await familyImage(ctx, phone.caps, phone);
      return load ? file(renderSccpConversion({ pbx: config.pbx, caps: phone.caps, load }), XML, { phone }) : null;
    }
    const body = renderSepConfig({
      phone,
      pbx: config.pbx,
      urls: phoneUrls(config.server.publicUrl, phone.name),
      loadInformation: await loadFor(ctx, phone.caps, phone.loadInformation),
      dialTemplate: DIALPLAN_FILE,
      ...(options.mask ? { mask: true } : {}),
    });
    return file(body, XML, { phone, secret: true });
  }
  const sip = SIP_CONFIG.exec(name);
  if (sip) {
    const mac = sip[1]!.toUpperCase();
    const phone = ctx.inventory.byMacAddress(mac);
    if (!phone) return { kind: 'unknown-phone', mac };
    if (familyOf(phone.caps).configFormat !== 'flat') return null;
    const body = renderSipPhone({
      phone,
      pbx: config.pbx,
      urls: phoneUrls(config.server.publicUrl, deviceName(mac)),
      imageVersion: await familyImage(ctx, phone.caps, phone),
      ...(options.mask ? { mask: true } : {}),
    });
    return file(body, TEXT, { phone, secret: true });
  }
  switch (name.toLowerCase()) {
    case 'xmldefault.cnf.xml':
      return file(await xmlDefault(ctx), XML);
    case DIALPLAN_FILE:
      return file(renderDialplan(config.dialplan.rules), XML);
    case 'sipdefault.cnf': {
      const timeZone = defaultTimeZone(config);
      return file(renderSipDefault({ defaults: config.defaults, pbx: config.pbx, timeZone, imageVersion: await familyImage(ctx, FLAT_MODEL) }), TEXT);
    }
    case 'os79xx.txt': {
      // The universal loader when it is in the root (what a phone leaving SCCP needs), else the
      // SIP image; without either the owner's own OS79XX.TXT in the root (if any) is served instead.
      const image = universalLoader(await rootFileNames(config.server.tftp.root)) ?? (await familyImage(ctx, FLAT_MODEL));
      return image ? file(renderOs79xx(image), TEXT) : null;
    }
    default:
      return null;
  }
}
