/**
 * What provisioning tells the activity log and the owner about each fetch, over TFTP and the
 * provisioning HTTP port alike: the record itself, and a hint when firmware is missing.
 */
import { deviceNameInPath, type FetchRecord } from '../activity/activity-log.js';
import type { AppContext } from '../context.js';
import { MODELS, type ModelCaps } from '../phones/models.js';
import { familyFirmware, isFirmwareName, modelsForFirmware, rootFileNames } from './firmware.js';

/** Records one fetch (a request refused by a phone's config lock is not one: see its callers). */
export function recordFetch(ctx: AppContext, entry: Omit<FetchRecord, 'name' | 'model'>): void {
  const named = deviceNameInPath(entry.path);
  const name = named ?? ctx.activity.nameAt(entry.ip);
  const model = name ? ctx.inventory.byDeviceName(name)?.caps.id : undefined;
  ctx.activity.record({ ...entry, ...(name ? { name } : {}), ...(model ? { model } : {}) });
}

/** The model of whoever asked from `ip`: the inventory's, else what the activity log learnt. */
function modelAtIp(ctx: AppContext, ip: string): { name?: string; caps?: ModelCaps } {
  const name = ctx.activity.nameAt(ip);
  if (!name) return {};
  const phone = ctx.inventory.byDeviceName(name);
  if (phone) return { name, caps: phone.caps };
  const model = ctx.activity.get(name)?.model;
  const caps = model ? [...MODELS.values()].find((m) => m.id === model) : undefined;
  return caps ? { name, caps } : { name };
}

/** ` (asked for by SEP… "Office", model 7941)` for the log message. */
function askedBy(name: string | undefined, label: string | undefined, model: string): string {
  const who = [name, label ? `"${label}"` : undefined].filter(Boolean).join(' ');
  return ` (asked for by ${who ? `${who}, ` : ''}model ${model})`;
}

/**
 * A phone asked for a `.loads`/`.sbn` that is not there (the upgrade stops at that point): one
 * warning with the file, the phone and model that asked, and the firmware of that model that is present.
 */
export async function reportMissingFirmware(ctx: AppContext, file: string, ip: string): Promise<void> {
  if (!isFirmwareName(file)) return;
  const asker = modelAtIp(ctx, ip);
  const families = asker.caps ? [asker.caps] : modelsForFirmware(file, MODELS.values());
  const names = await rootFileNames(ctx.config.server.tftp.root);
  const present = [...new Set(families.flatMap((caps) => familyFirmware(names, caps)))];
  const label = asker.name ? ctx.inventory.byDeviceName(asker.name)?.label : undefined;
  const model = asker.caps?.id ?? (families.map((c) => c.id).join('/') || 'unknown');
  ctx.log.warn(
    {
      file,
      ip,
      ...(asker.name ? { phone: asker.name } : {}),
      ...(label ? { label } : {}),
      model,
      present,
      root: ctx.config.server.tftp.root,
    },
    `firmware file ${file}${askedBy(asker.name, label, model)} is missing from the TFTP root; the upgrade stops here. ` +
      (present.length > 0
        ? `Files of this model present: ${present.join(', ')}. Unpack the complete firmware zip into the root.`
        : 'No firmware of this model is present: unpack the firmware zip into the root.'),
  );
}
