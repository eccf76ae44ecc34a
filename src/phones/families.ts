/**
 * The two firmware families of the supported phones, one entry each with everything that differs
 * between them: the objects and headers of their XML services client, the files they provision
 * from, how their firmware files are named, and what their config may hold. Every other module asks
 * this table (through `familyOf`) instead of testing a family's name, as Wazo provd keeps one
 * plugin per phone family.
 *
 * Facts: CiscoIPPhone developer notes ("HTTP Requests and Header Settings", object support per
 * firmware), Cisco SIP IP Phone 7940/7960 administrator guide (SIPDefault.cnf, SIP<MAC>.cnf,
 * `phone_label`, image names), davidc.net "Cisco IP Phone Notes" (request headers).
 */
import type { ObjectKind } from './models.js';

export type FamilyId = '79x0' | '79x1';

export interface Family {
  id: FamilyId;
  /** How messages to the owner name the family. */
  name: string;
  /** CiscoIPPhone objects the firmware shows. */
  objects: readonly ObjectKind[];
  /** PNG-based objects (ImageFile and friends) are understood. */
  png: boolean;
  /** Custom SoftKeyItems are honoured (7940/7960 SIP firmware ignores them). */
  customSoftKeys: boolean;
  /** Preferred charset for XML bodies. */
  charset: 'utf-8' | 'iso-8859-1';
  /** The newer XML parser: a SoftKeyItem without Position, an Input without URL are errors. */
  updatedParser: boolean;
  /** What the phone sends with every services request (the web preview sends the same). */
  request: { sdkVersion: string; accept: string; userAgent: string };
  /**
   * `cnf.xml`: one `SEP<MAC>.cnf.xml` per phone. `flat`: the 7940/7960 key-value files,
   * `SIPDefault.cnf` for all and `SIP<MAC>.cnf` per phone (ISO-8859-1, no escaping: values are checked).
   */
  configFormat: 'cnf.xml' | 'flat';
  /**
   * The image comes from the family, not the model: 7940 and 7960 run the same P0S3 load, so one
   * configured `loadInformation` of either (or the newest P0S3 in the root) serves them all.
   */
  sharedImage: boolean;
  /** Firmware files of a model's image family (`loadPrefix` as in `models.ts`). */
  firmwareFiles(loadPrefix: string): RegExp;
  /** The phone's label: most characters, and whether it may hold spaces. */
  label: { max: number; spaces: boolean };
  /** `cisco`: one of Cisco's zone names in `<timeZone>`; `flat`: offset, abbreviation and DST rule fields. */
  timeZones: 'cisco' | 'flat';
}

const ALL_OBJECTS: readonly ObjectKind[] = [
  'Menu', 'Text', 'Input', 'Directory', 'Image', 'ImageFile', 'GraphicMenu', 'GraphicFileMenu',
  'IconMenu', 'IconFileMenu', 'Status', 'StatusFile', 'Execute',
];

export const FAMILIES: Readonly<Record<FamilyId, Family>> = {
  '79x0': {
    id: '79x0',
    name: '7940/7960',
    // 7940/7960 SIP firmware: CallManager 3.0-level objects only.
    objects: ['Menu', 'Text', 'Input', 'Directory', 'Image', 'GraphicMenu'],
    png: false,
    customSoftKeys: false,
    charset: 'iso-8859-1',
    updatedParser: false,
    // They name their object version and text; newer loads add PNG.
    request: { sdkVersion: '2.0', accept: 'x-CiscoIPPhone/*;version=2.0, text/*', userAgent: 'Allegro-Software-WebClient/3.12' },
    configFormat: 'flat',
    sharedImage: true,
    // The SIP image P0S3… and the universal application loader P003….
    firmwareFiles: () => /^(P0S3|P003)/i,
    // `phone_label` (7940/7960 admin guide): 11 characters, no spaces.
    label: { max: 11, spaces: false },
    timeZones: 'flat',
  },
  '79x1': {
    id: '79x1',
    name: '79x1/79x2/79x5/797x',
    objects: ALL_OBJECTS,
    png: true,
    customSoftKeys: true,
    charset: 'utf-8',
    updatedParser: true,
    request: { sdkVersion: '6.0.2', accept: 'x-CiscoIPPhone/*, text/*,image/png,*/*', userAgent: 'Allegro-Software-WebClient/4.34' },
    configFormat: 'cnf.xml',
    sharedImage: false,
    // `SIP41.….loads`, `term41.default.loads`, `apps41.….sbn`, `jar41sip.….sbn`…: the two digits of `SIP41.`.
    firmwareFiles: (loadPrefix) => new RegExp(`^[a-z]*${/^SIP(\d{2})\.$/.exec(loadPrefix)?.[1] ?? loadPrefix}(sip|sccp)?[.]`, 'i'),
    // The schema's 12.
    label: { max: 12, spaces: true },
    timeZones: 'cisco',
  },
};

/** The family entry of a model (`caps.family`). */
export function familyOf(caps: { family: FamilyId }): Family {
  return FAMILIES[caps.family];
}

/** The per-device config file a phone of this family reads: `SIP<MAC>.cnf` or `SEP<MAC>.cnf.xml`. */
export function deviceConfigFile(caps: { family: FamilyId }, mac: string): string {
  return familyOf(caps).configFormat === 'flat' ? `SIP${mac}.cnf` : `SEP${mac}.cnf.xml`;
}
