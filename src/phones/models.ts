/**
 * What each supported phone model can do: its services-area display, which CiscoIPPhone objects it
 * takes, where the softkeys go, which character set it reads, and the files it asks for over TFTP.
 * One table serves the XML builders, the idle renderer, provisioning and the web preview.
 * Figures from the CiscoIPPhone developer notes (display table 3-2) and working SIP deployments;
 * device-type codes (GE variants included) from Cynjut/SCCP_Manager's XMLDefault.cnf.xml and the
 * chan-sccp device tables. What a model takes from its firmware family is in `families.ts`.
 */
import { FAMILIES, type FamilyId } from './families.js';

export type ModelId =
  | '7940' | '7960'
  | '7941' | '7961' | '7942' | '7962'
  | '7945' | '7965'
  | '7970' | '7971' | '7975';

export const MODEL_IDS: readonly ModelId[] = [
  '7940', '7960', '7941', '7961', '7942', '7962', '7945', '7965', '7970', '7971', '7975',
];

export type ObjectKind =
  | 'Menu' | 'Text' | 'Input' | 'Directory' | 'Image' | 'ImageFile' | 'GraphicMenu'
  | 'GraphicFileMenu' | 'IconMenu' | 'IconFileMenu' | 'Status' | 'StatusFile' | 'Execute';

export interface Display {
  /** Services area in pixels (what XML services may draw on). */
  width: number;
  height: number;
  /** Bits per pixel the panel shows. */
  depth: number;
  color: boolean;
}

export interface ModelCaps {
  id: ModelId;
  /** Manufacturing name as sent in x-CiscoIPPhoneModelName. */
  modelName: string;
  /** Firmware family: '79x0' = 7940/7960 (SIP P0S3 firmware), '79x1' = everything with cnf.xml (`families.ts`). */
  family: FamilyId;
  display: Display;
  /** Pixel pane of a CiscoIPPhoneImage (CIP, 2 bits per pixel). */
  cipPane: { width: number; height: number };
  /** PNG-based objects (ImageFile and friends) are understood. */
  png: boolean;
  objects: ReadonlySet<ObjectKind>;
  /** Custom SoftKeyItems are honoured (7940/7960 SIP firmware ignores them). */
  customSoftKeys: boolean;
  /** Softkey positions used for our keys (1-based, left to right). */
  softKeys: { select: number; next: number; exit: number; previous: number };
  /** Preferred charset for XML bodies. */
  charset: 'utf-8' | 'iso-8859-1';
  /** Line/feature buttons beside the display. */
  lineButtons: number;
  /** Background image directory (`Desktops/<dir>`), when the model has backgrounds. */
  backgroundDir?: string;
  /** Firmware image family prefix in `.loads` names, e.g. `SIP41.` for 7941/7961. */
  loadPrefix: string;
  /** Locale jar the phone fetches for its user locale. */
  localeJar?: string;
  /** Cisco device-type code used in `loadInformationNNN` of XMLDefault.cnf.xml. */
  deviceTypeCode: number;
  /** Variants that run the same firmware under their own device-type code (the Gigabit Ethernet `-GE` models). */
  variants: ReadonlyArray<{ name: string; deviceTypeCode: number }>;
}

const KEYS_79XX = { select: 1, next: 2, exit: 3, previous: 4 } as const;

interface Row {
  id: ModelId;
  family: FamilyId;
  display: Display;
  lineButtons: number;
  backgroundDir?: string;
  loadPrefix: string;
  localeJar?: string;
  deviceTypeCode: number;
  variants?: ReadonlyArray<{ name: string; deviceTypeCode: number }>;
}

const GREY_79X1: Display = { width: 298, height: 144, depth: 4, color: false };

const ROWS: readonly Row[] = [
  { id: '7940', family: '79x0', display: { width: 133, height: 65, depth: 2, color: false }, lineButtons: 2, loadPrefix: 'P0S3', deviceTypeCode: 8 },
  { id: '7960', family: '79x0', display: { width: 133, height: 65, depth: 2, color: false }, lineButtons: 6, loadPrefix: 'P0S3', deviceTypeCode: 7 },
  { id: '7941', family: '79x1', display: GREY_79X1, lineButtons: 2, backgroundDir: '320x196x4', loadPrefix: 'SIP41.', localeJar: 'mk-sip.jar', deviceTypeCode: 115, variants: [{ name: '7941G-GE', deviceTypeCode: 309 }] },
  { id: '7961', family: '79x1', display: GREY_79X1, lineButtons: 6, backgroundDir: '320x196x4', loadPrefix: 'SIP41.', localeJar: 'mk-sip.jar', deviceTypeCode: 30018, variants: [{ name: '7961G-GE', deviceTypeCode: 308 }] },
  { id: '7942', family: '79x1', display: GREY_79X1, lineButtons: 2, backgroundDir: '320x196x4', loadPrefix: 'SIP42.', localeJar: 'mk-sip.jar', deviceTypeCode: 434 },
  { id: '7962', family: '79x1', display: GREY_79X1, lineButtons: 6, backgroundDir: '320x196x4', loadPrefix: 'SIP42.', localeJar: 'mk-sip.jar', deviceTypeCode: 404 },
  { id: '7945', family: '79x1', display: { width: 298, height: 156, depth: 16, color: true }, lineButtons: 2, backgroundDir: '320x212x16', loadPrefix: 'SIP45.', localeJar: 'be-sip.jar', deviceTypeCode: 435 },
  { id: '7965', family: '79x1', display: { width: 298, height: 156, depth: 16, color: true }, lineButtons: 6, backgroundDir: '320x212x16', loadPrefix: 'SIP45.', localeJar: 'be-sip.jar', deviceTypeCode: 436 },
  { id: '7970', family: '79x1', display: { width: 298, height: 168, depth: 12, color: true }, lineButtons: 8, backgroundDir: '320x212x12', loadPrefix: 'SIP70.', localeJar: 'td-sip.jar', deviceTypeCode: 30006 },
  { id: '7971', family: '79x1', display: { width: 298, height: 168, depth: 12, color: true }, lineButtons: 8, backgroundDir: '320x212x12', loadPrefix: 'SIP70.', localeJar: 'td-sip.jar', deviceTypeCode: 119 },
  { id: '7975', family: '79x1', display: { width: 298, height: 168, depth: 16, color: true }, lineButtons: 8, backgroundDir: '320x216x16', loadPrefix: 'SIP75.', localeJar: 'td-sip.jar', deviceTypeCode: 437 },
];

function capsOf(row: Row): ModelCaps {
  const family = FAMILIES[row.family];
  return {
    id: row.id,
    modelName: `CP-${row.id}G`,
    family: row.family,
    display: row.display,
    cipPane: { width: 133, height: 65 },
    png: family.png,
    objects: new Set(family.objects),
    customSoftKeys: family.customSoftKeys,
    softKeys: KEYS_79XX,
    charset: family.charset,
    lineButtons: row.lineButtons,
    ...(row.backgroundDir ? { backgroundDir: row.backgroundDir } : {}),
    loadPrefix: row.loadPrefix,
    ...(row.localeJar ? { localeJar: row.localeJar } : {}),
    deviceTypeCode: row.deviceTypeCode,
    variants: row.variants ?? [],
  };
}

export const MODELS: ReadonlyMap<ModelId, ModelCaps> = new Map(ROWS.map((r) => [r.id, capsOf(r)]));

/** The model assumed when a request tells us nothing: the most limited one. */
export const FALLBACK_MODEL: ModelCaps = MODELS.get('7940')!;

export function isModelId(value: string): value is ModelId {
  return MODELS.has(value as ModelId);
}

export function getModel(id: ModelId): ModelCaps {
  return MODELS.get(id)!;
}
