import { macFromDeviceName } from '../config/mac.js';
import { isLanguage, languageFromHeader, type Language } from '../i18n/messages.js';
import type { Inventory, Phone } from '../phones/inventory.js';
import { FALLBACK_MODEL, isModelId, MODELS, getModel, type ModelCaps } from '../phones/models.js';
import type { Charset } from '../xml/charset.js';

/** Who is asking: the phone of a request, as far as the request tells. */
export interface PhoneView {
  /** `SEP…` when the request names a device (every URL we hand a phone carries `name=`). */
  name?: string;
  /** The inventory entry, when the device is configured. */
  phone?: Phone;
  /** `model=` of a preview request (the web page, README pictures) that names no device. */
  previewModel?: string;
  caps: ModelCaps;
  language: Language;
  charset: Charset;
  timeZone: string;
}

export interface RequestFacts {
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

function header(facts: RequestFacts, name: string): string | undefined {
  // Node lower-cases incoming header names, so x-CiscoIPPhoneModelName arrives as x-ciscoipphonemodelname.
  const value = facts.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function queryString(facts: RequestFacts, key: string): string | undefined {
  const value = facts.query[key];
  return typeof value === 'string' && value.length <= 64 ? value : undefined;
}

/** `CP-7941G`, `CP-7941G-GE`, `Cisco CP-7970G` → `7941`, `7970`. */
export function modelFromName(modelName: string | undefined): ModelCaps | undefined {
  const m = modelName ? /79([0-9]{2})/.exec(modelName) : null;
  const id = m ? `79${m[1]}` : undefined;
  return id && isModelId(id) ? getModel(id) : undefined;
}

/** `298, 168, 12, C` / `298,144,3,G` → the model whose services area matches best. */
export function modelFromDisplay(display: string | undefined): ModelCaps | undefined {
  if (!display) return undefined;
  const parts = display.split(',').map((p) => p.trim());
  const [w, h, depth] = parts.slice(0, 3).map(Number);
  const color = parts[3]?.toUpperCase() === 'C';
  if (!w || !h) return undefined;
  const candidates = [...MODELS.values()].filter((m) => m.display.width === w && m.display.height === h);
  return (
    candidates.find((m) => m.display.color === color && m.display.depth === depth) ??
    candidates.find((m) => m.display.color === color) ??
    candidates[0]
  );
}

/** UTF-8 only when the phone prefers it (q=1); otherwise ISO-8859-1, which every phone reads. */
export function charsetFromHeader(acceptCharset: string | undefined): Charset | undefined {
  if (!acceptCharset) return undefined;
  const ranked = acceptCharset.split(',').map((part) => {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)/.exec(p)?.[1]).find(Boolean);
    return { name: name.trim().toLowerCase(), q: q ? Number(q) : 1 };
  });
  const utf8 = ranked.find((r) => r.name === 'utf-8' || r.name === 'utf8');
  const best = Math.max(...ranked.map((r) => r.q));
  return utf8 && utf8.q === best && ranked.indexOf(utf8) === ranked.findIndex((r) => r.q === best) ? 'utf-8' : 'iso-8859-1';
}

/** Views kept per inventory (a phone asks with the same name and headers each time). */
export const IDENTIFY_CACHE_MAX = 1000;
/** Facts longer than this together (a hostile header) are worked out each time, not kept. */
const IDENTIFY_KEY_MAX_CHARS = 512;
/** The request headers a phone is identified by (with the URL's `name`, `model` and `lang`). */
export const IDENTIFYING_HEADERS = ['x-ciscoipphonemodelname', 'x-ciscoipphonedisplay', 'accept-language', 'accept-charset'] as const;
const views = new WeakMap<Inventory, Map<string, PhoneView>>();

/**
 * Identifies the phone of a request: by `name=SEP<MAC>`, else by the x-CiscoIPPhone* headers,
 * else a 7940-safe default. The language comes from the inventory, else Accept-Language.
 */
export function identifyPhone(facts: RequestFacts, inventory: Inventory, defaultTimeZone: string): PhoneView {
  let key = `${defaultTimeZone}|${queryString(facts, 'name') ?? ''}|${queryString(facts, 'model') ?? ''}|${queryString(facts, 'lang') ?? ''}`;
  for (const name of IDENTIFYING_HEADERS) key += `|${header(facts, name) ?? ''}`;
  if (key.length > IDENTIFY_KEY_MAX_CHARS) return workOut(facts, inventory, defaultTimeZone);
  let known = views.get(inventory);
  if (!known) views.set(inventory, (known = new Map()));
  const view = known.get(key);
  if (view) return view;
  const fresh = Object.freeze(workOut(facts, inventory, defaultTimeZone));
  if (known.size >= IDENTIFY_CACHE_MAX) known.clear();
  known.set(key, fresh);
  return fresh;
}

function workOut(facts: RequestFacts, inventory: Inventory, defaultTimeZone: string): PhoneView {
  const rawName = queryString(facts, 'name');
  const mac = rawName ? macFromDeviceName(rawName) : null;
  const name = mac ? `SEP${mac}` : undefined;
  const phone = name ? inventory.byDeviceName(name) : undefined;
  const previewId = queryString(facts, 'model');
  const preview = previewId && isModelId(previewId) ? getModel(previewId) : undefined;
  const caps =
    phone?.caps ??
    modelFromName(header(facts, 'x-CiscoIPPhoneModelName')) ??
    modelFromDisplay(header(facts, 'x-CiscoIPPhoneDisplay')) ??
    preview ??
    FALLBACK_MODEL;
  const lang = queryString(facts, 'lang');
  return {
    ...(name ? { name } : {}),
    ...(phone ? { phone } : {}),
    ...(!name && preview ? { previewModel: preview.id } : {}),
    caps,
    language: phone?.language ?? (lang && isLanguage(lang) ? lang : undefined) ?? languageFromHeader(header(facts, 'accept-language')) ?? 'en',
    charset: charsetFromHeader(header(facts, 'accept-charset')) ?? caps.charset,
    timeZone: phone?.timeZone ?? defaultTimeZone,
  };
}
