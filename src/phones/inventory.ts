import type { Language } from '../i18n/messages.js';
import type { ResolvedConfig } from '../config/load.js';
import { deviceName, macFromDeviceName } from '../config/mac.js';
import type { PhoneConfig, PhoneSettings } from '../config/schema.js';
import { getModel, type ModelCaps } from './models.js';
import { systemTimeZone } from '../config/time-zone.js';

/** A phone from the inventory with `defaults:` applied: what every feature reads. */
export interface Phone extends Omit<PhoneConfig, keyof PhoneSettings>, PhoneSettings {
  /** `SEP` + MAC, the name the phone uses for its files and that our URLs carry. */
  name: string;
  caps: ModelCaps;
  language: Language;
  timeZone: string;
}

/** The configured phones, looked up by MAC or device name. */
export class Inventory {
  readonly phones: readonly Phone[];
  private readonly byMac: Map<string, Phone>;

  constructor(config: ResolvedConfig) {
    this.phones = config.phones.map((p) => effectivePhone(config, p));
    this.byMac = new Map(this.phones.map((p) => [p.mac, p]));
  }

  byDeviceName(name: string): Phone | undefined {
    const mac = macFromDeviceName(name);
    return mac ? this.byMac.get(mac) : undefined;
  }

  byMacAddress(mac: string): Phone | undefined {
    return this.byMac.get(mac.toUpperCase());
  }

  /** By label (case-insensitive), device name or MAC: how a user names a phone on the command line. */
  find(ref: string): Phone | undefined {
    const lower = ref.toLowerCase();
    return (
      this.phones.find((p) => p.label?.toLowerCase() === lower) ??
      this.byDeviceName(ref) ??
      this.byMacAddress(ref.replace(/[^0-9a-f]/gi, ''))
    );
  }
}

export function effectivePhone(config: ResolvedConfig, phone: PhoneConfig): Phone {
  const merged = { ...config.defaults, ...stripUndefined(phone) } as PhoneConfig & PhoneSettings;
  return {
    ...merged,
    name: deviceName(phone.mac),
    caps: getModel(phone.model),
    language: merged.language ?? 'en',
    timeZone: merged.timeZone ?? systemTimeZone(),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
