/**
 * The phones list of the owner's page: every configured phone and every unknown device that asked
 * (activity log), with what it last fetched. Fields are picked one by one: no password can slip in.
 */
import type { Fetch } from '../activity/activity-log.js';
import type { AppContext } from '../context.js';
import { addressOf } from '../provisioning/config-lock.js';
import { familyOf } from '../phones/families.js';
import { MOST_ITEMS, OBJECT_CHILDREN } from '../xml/limits.js';
import { MODELS, type ModelCaps } from '../phones/models.js';
import { modelsForFirmware } from '../provisioning/firmware.js';

export interface PhoneRow {
  name: string;
  known: boolean;
  label?: string;
  mac?: string;
  model?: string;
  modelName?: string;
  language?: string;
  /** IANA zone the phone's clock shows. */
  timeZone?: string;
  /** Line numbers (extensions) only. */
  lines: string[];
  /** The lines as the edit form shows them (no password: an edit without one keeps the file's). */
  lineFields?: { number: string; authName?: string; displayName?: string }[];
  /** A phone not in the config: the models the firmware files it asked for belong to. */
  modelGuess?: string[];
  ip?: string;
  /** Where its password-bearing config file goes: its `ip:` (fixed) or the address that took its lock. */
  configFor?: { address: string; fixed: boolean; since?: string };
  lastTftp?: Fetch;
  lastHttp?: Fetch;
  firmware?: string;
  /** The firmware the config pins for it (`loadInformation`), if any. */
  loadInformation?: string;
}

export function phoneRows(ctx: AppContext): PhoneRow[] {
  const rows: PhoneRow[] = ctx.inventory.phones.map((phone) => {
    const seen = ctx.activity.get(phone.name);
    return {
      name: phone.name,
      known: true,
      ...(phone.label ? { label: phone.label } : {}),
      mac: phone.mac,
      model: phone.caps.id,
      modelName: phone.caps.modelName,
      language: phone.language,
      timeZone: phone.timeZone,
      lines: phone.lines.map((l) => l.number),
      lineFields: phone.lines.map(({ number, authName, displayName }) => ({
        number,
        ...(authName !== undefined ? { authName } : {}),
        ...(displayName !== undefined ? { displayName } : {}),
      })),
      ...configForField(ctx, phone),
      ...activityFields(seen),
      ...(phone.loadInformation ? { loadInformation: phone.loadInformation } : {}),
    };
  });
  const known = new Set(rows.map((r) => r.name));
  for (const seen of ctx.activity.all()) {
    if (known.has(seen.name)) continue;
    const guess = seen.firmware ? modelsForFirmware(seen.firmware, MODELS.values()).map((m) => m.id) : [];
    rows.push({
      name: seen.name,
      known: false,
      ...(seen.model ? { model: seen.model } : {}),
      ...(guess.length > 0 ? { modelGuess: guess } : {}),
      lines: [],
      ...activityFields(seen),
    });
  }
  return rows;
}

function configForField(ctx: AppContext, phone: AppContext['inventory']['phones'][number]): Partial<PhoneRow> {
  const fixed = phone.ip ? addressOf(phone.ip) : undefined;
  if (fixed) return { configFor: { address: fixed, fixed: true } };
  const lock = ctx.configLocks.get(phone.name);
  return lock ? { configFor: { address: lock.address, fixed: false, since: lock.since } } : {};
}

function activityFields(seen: ReturnType<AppContext['activity']['get']>): Partial<PhoneRow> {
  if (!seen) return {};
  return {
    ip: seen.ip,
    ...(seen.lastTftp ? { lastTftp: seen.lastTftp } : {}),
    ...(seen.lastHttp ? { lastHttp: seen.lastHttp } : {}),
    ...(seen.firmware ? { firmware: seen.firmware } : {}),
  };
}

/** What the screen emulator needs to know about a model. */
export interface ModelRow {
  id: string;
  modelName: string;
  display: ModelCaps['display'];
  cipPane: ModelCaps['cipPane'];
  objects: string[];
  customSoftKeys: boolean;
  /** 7940/7960 run the old XML parser (the updated one came with firmware 8.3(2)). */
  updatedParser: boolean;
  softKeys: ModelCaps['softKeys'];
  charset: string;
  /** The children each object may have (what the phone's parser accepts), from `xml/limits.ts`. */
  children: typeof OBJECT_CHILDREN;
  /** The most items one object may carry, by kind. */
  most: typeof MOST_ITEMS;
}

export function modelRows(): ModelRow[] {
  return [...MODELS.values()].map((caps) => ({
    id: caps.id,
    modelName: caps.modelName,
    display: caps.display,
    cipPane: caps.cipPane,
    objects: [...caps.objects],
    customSoftKeys: caps.customSoftKeys,
    updatedParser: familyOf(caps).updatedParser,
    softKeys: caps.softKeys,
    charset: caps.charset,
    children: OBJECT_CHILDREN,
    most: MOST_ITEMS,
  }));
}
