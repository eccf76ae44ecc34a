/**
 * Pushing to phones: the one entry point the CLI, the API and the web page call. For each target
 * phone it picks the object to send, posts it, and reports what the phone said.
 */
import type { AppContext } from '../context.js';
import { urlForPhone } from '../http/phone-reply.js';
import type { Phone } from '../phones/inventory.js';
import { encodeBody } from '../xml/charset.js';
import { serialize, type ExecuteItem, type PhoneObject } from '../xml/objects.js';
import { dialDigits, pushActionProblem, type PushAction } from './action.js';
import { executeBody, postExecute, parseAddress, type ExecuteOutcome, type PhoneAddress } from './client.js';
import { pushCredentials } from './credentials.js';
import { pictureForModel } from './image.js';
import type { PushObjectStore, StoredObject } from './object-store.js';
import { PictureError } from '../errors.js';

/**
 * Cisco developer notes: old firmware takes at most 512 bytes per push (newer 40 KB). Measured on
 * the POST body as it goes over the wire (`XML=` and the percent-encoded object), the larger figure.
 */
export const PUSH_OBJECT_LIMIT = 512;
/** `push.timeout` when the config does not say. */
export const DEFAULT_TIMEOUT_S = 10;
/** Cisco developer notes, "Internal URI Features": `Play:` answers only after playback ends. */
const PLAY_EXTRA_MS = 30_000;

export type PushStatus =
  | 'ok'
  | 'wrong-credentials'
  | 'phone-error'
  | 'bad-reply'
  | 'timeout'
  | 'unreachable'
  | 'unsupported'
  | 'needs-server'
  | 'too-large'
  | 'no-address'
  | 'not-configured'
  | 'unknown-phone'
  | 'invalid'
  | 'error';

export interface PushResult {
  /** The phone as it was asked for (label, SEP… or MAC). */
  target: string;
  /** `SEP…` of a known phone. */
  name?: string;
  label?: string;
  /** Where the push went (`host:port`). */
  address?: string;
  ok: boolean;
  status: PushStatus;
  /** One line for people. */
  message: string;
  /** The phone's CiscoIPPhoneResponse items. */
  items?: { status: number; data: string; url: string }[];
}

/** `"all"`, a label, `SEP…`, a MAC, or a list of those. */
export type PushTargets = string | readonly string[];

/**
 * Pushes `action` to every target phone in parallel; one result per phone, in target order.
 * `action` may be made for each phone (announcements tell each phone its own port).
 */
export async function pushToPhones(ctx: AppContext, targets: PushTargets, actionFor: PushAction | ((phone: Phone) => PushAction)): Promise<PushResult[]> {
  const resolved = resolveTargets(ctx, targets);
  const pictures = new Map<string, Promise<Buffer>>();
  const results = await Promise.all(
    resolved.map(async ({ target, phone }) => {
      if (!phone) return result(target, undefined, 'unknown-phone', `no phone "${target}" in the config`);
      const action = typeof actionFor === 'function' ? actionFor(phone) : actionFor;
      const problem = pushActionProblem(action);
      if (problem) return result(target, phone, 'invalid', problem);
      try {
        return await pushToPhone(ctx, target, phone, action, pictures);
      } catch (err) {
        if (err instanceof PictureError) return result(target, phone, 'invalid', `image: ${err.message}`);
        ctx.log.error({ err, phone: phone.name }, 'push failed');
        return result(target, phone, 'error', (err as Error).message);
      }
    }),
  );
  for (const r of results) {
    ctx.log[r.ok ? 'info' : 'warn']({ phone: r.name ?? r.target, address: r.address, status: r.status }, r.ok ? 'push delivered' : `push failed: ${r.message}`);
  }
  return results;
}

/** The phones `targets` names (each once), with the name as asked; no phone for an unknown name. */
export function resolveTargets(ctx: AppContext, targets: PushTargets): { target: string; phone?: Phone }[] {
  const list = typeof targets === 'string' ? [targets] : [...targets];
  const out: { target: string; phone?: Phone }[] = [];
  const seen = new Set<string>();
  for (const target of list) {
    const phones = target.toLowerCase() === 'all' ? ctx.inventory.phones : [ctx.inventory.find(target)];
    for (const phone of phones) {
      if (phone && seen.has(phone.name)) continue;
      if (phone) seen.add(phone.name);
      out.push({ target: target.toLowerCase() === 'all' ? (phone?.label ?? phone?.name ?? target) : target, ...(phone ? { phone } : {}) });
    }
  }
  return out;
}

function result(target: string, phone: Phone | undefined, status: PushStatus, message: string, extra: Partial<PushResult> = {}): PushResult {
  return {
    target,
    ...(phone ? { name: phone.name, ...(phone.label ? { label: phone.label } : {}) } : {}),
    ...extra,
    ok: status === 'ok',
    status,
    message,
  };
}

/**
 * `phones[].ip`, else the address holding the phone's config lock: never an address learnt from
 * a service request or another file, which any host can send (the push carries its credentials).
 */
export function phoneAddress(ctx: AppContext, phone: Phone): PhoneAddress | undefined {
  const value = phone.ip ?? ctx.configLocks.get(phone.name)?.address;
  return value ? parseAddress(value) : undefined;
}

type Plan = { object: PhoneObject } | { status: PushStatus; message: string };

/**
 * The object posted to this phone. Pushes are small (512 bytes on old firmware, Cisco developer
 * notes), so anything but a small Execute is kept in the object store and the phone is pushed an
 * Execute that makes it fetch it. Without a store (the CLI on its own) a short text is posted as
 * it is. 7940/7960 SIP firmware has no Execute (Cisco SIP IP Phone Administrator Guide), so only
 * a short text can reach them.
 */
async function plan(ctx: AppContext, phone: Phone, action: PushAction, pictures: Map<string, Promise<Buffer>>): Promise<Plan> {
  const store = ctx.pushObjects.served ? ctx.pushObjects : undefined;
  const caps = phone.caps;
  const textObject: PhoneObject | undefined =
    action.text !== undefined ? { kind: 'Text', ...(action.title !== undefined ? { title: action.title } : {}), text: action.text } : undefined;
  const onlyText = textObject && action.dial === undefined && action.play === undefined && action.rtp === undefined;
  if (!caps.objects.has('Execute')) {
    if (onlyText) return { object: textObject };
    return { status: 'unsupported', message: `the ${caps.id} (SIP firmware) takes no Execute; only a short text can be pushed to it` };
  }
  if (onlyText && !store && fits(textObject, phone)) return { object: textObject };

  const items: ExecuteItem[] = [];
  if (textObject || action.image) {
    if (!store) {
      const what = !textObject ? 'a picture' : onlyText ? `a text too long for one ${PUSH_OBJECT_LIMIT}-byte push` : 'a text together with dial or play';
      return { status: 'needs-server', message: `${what} needs the running server to serve it` };
    }
    const screen = textObject ?? (await picturePage(ctx, store, phone, action, pictures));
    items.push({ url: storedUrl(ctx, store, phone, { kind: 'object', object: screen }), priority: 0 });
  }
  if (action.url !== undefined) items.push({ url: action.url, priority: 0 });
  if (action.dial !== undefined) items.push({ url: `Dial:${dialDigits(action.dial)}` });
  if (action.play !== undefined) items.push({ url: `Play:${action.play}` });
  if (action.rtp !== undefined) items.push({ url: action.rtp });
  return { object: { kind: 'Execute', items } };
}

async function picturePage(ctx: AppContext, store: PushObjectStore, phone: Phone, action: PushAction, pictures: Map<string, Promise<Buffer>>): Promise<PhoneObject> {
  const caps = phone.caps;
  const key = `${caps.display.width}x${caps.display.height}:${caps.display.color}`;
  let png = pictures.get(key);
  if (!png) {
    png = pictureForModel(action.image!, caps);
    pictures.set(key, png);
  }
  const url = storedUrl(ctx, store, phone, { kind: 'file', body: await png, contentType: 'image/png' });
  return { kind: 'ImageFile', ...(action.title !== undefined ? { title: action.title } : {}), x: -1, y: -1, url };
}

/** Keeps `value` in the store; the URL this phone fetches it from (carrying its name=). */
function storedUrl(ctx: AppContext, store: PushObjectStore, phone: Phone, value: StoredObject): string {
  const id = store.put(value);
  return urlForPhone(ctx.config.server.publicUrl, { name: phone.name, language: phone.language }, `/push/object/${id}`);
}

function encoded(object: PhoneObject, phone: Phone): Buffer {
  return encodeBody(serialize(object, phone.caps.charset), phone.caps.charset);
}

/** Bytes of the POST body that carries this object. */
function postedSize(object: PhoneObject, phone: Phone): number {
  return executeBody(encoded(object, phone)).length;
}

function fits(object: PhoneObject, phone: Phone): boolean {
  return postedSize(object, phone) <= PUSH_OBJECT_LIMIT;
}

async function pushToPhone(ctx: AppContext, target: string, phone: Phone, action: PushAction, pictures: Map<string, Promise<Buffer>>): Promise<PushResult> {
  const credentials = pushCredentials(ctx.config, phone);
  if (!credentials) return result(target, phone, 'not-configured', 'no push credentials: set push.username and push.password');
  const address = phoneAddress(ctx, phone);
  if (!address) return result(target, phone, 'no-address', `no address for ${phone.name}: set its ip: in the config (or let the phone fetch its config file once, which locks it to that address)`);
  const where = { address: address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}` };
  const planned = await plan(ctx, phone, action, pictures);
  if ('status' in planned) return result(target, phone, planned.status, planned.message, where);
  const size = postedSize(planned.object, phone);
  if (size > PUSH_OBJECT_LIMIT) {
    const hint = planned.object.kind === 'Execute' ? 'shorten the URL' : 'shorten the text';
    return result(target, phone, 'too-large', `the push is ${size} bytes URL-encoded; old firmware takes ${PUSH_OBJECT_LIMIT} (${hint})`, where);
  }
  const timeoutMs = (ctx.config.push?.timeout ?? DEFAULT_TIMEOUT_S) * 1000 + (action.play !== undefined ? PLAY_EXTRA_MS : 0);
  const outcome = await postExecute({ address, object: encoded(planned.object, phone), credentials, timeoutMs });
  return describe(target, phone, outcome, timeoutMs, where);
}

const ERROR_MEANINGS: Record<number, string> = {
  1: 'the phone could not parse the object',
  2: 'the phone could not build its response',
  3: 'internal file error on the phone',
  4: 'wrong credentials (or the phone\'s authenticationURL does not reach this server)',
  6: 'the phone refused the request (Expect: 100-continue)',
};

function describe(target: string, phone: Phone, outcome: ExecuteOutcome, timeoutMs: number, where: { address: string }): PushResult {
  switch (outcome.kind) {
    case 'timeout':
      return result(target, phone, 'timeout', `no answer within ${Math.round(timeoutMs / 1000)} s`, where);
    case 'unreachable':
      return result(target, phone, 'unreachable', `cannot reach the phone (${outcome.message})`, where);
    case 'unauthorized':
      return result(target, phone, 'wrong-credentials', 'wrong credentials (HTTP 401)', where);
    case 'http-error':
      return result(target, phone, 'phone-error', `the phone answered HTTP ${outcome.httpStatus}`, where);
    case 'reply': {
      const reply = outcome.reply;
      if (reply.kind === 'Error') {
        // Cisco developer notes (CiscoIPPhoneError): Error 4 is the phone's refusal of the credentials.
        const status = reply.number === 4 ? 'wrong-credentials' : 'phone-error';
        const meaning = ERROR_MEANINGS[reply.number] ?? 'error';
        return result(target, phone, status, `CiscoIPPhoneError ${reply.number}: ${meaning}${reply.message ? ` (${reply.message})` : ''}`, where);
      }
      if (reply.kind === 'Unknown') {
        const snippet = reply.body.replace(/\s+/g, ' ').trim().slice(0, 80);
        return result(target, phone, 'bad-reply', `unexpected reply${snippet ? `: ${snippet}` : ' (empty)'}`, where);
      }
      // Cisco developer notes (CiscoIPPhoneResponse): Status 0 is success; one ResponseItem per
      // ExecuteItem, in any order.
      const failed = reply.items.filter((i) => i.status !== 0);
      const extra = { ...where, items: reply.items };
      if (reply.items.length > 0 && failed.length === 0) return result(target, phone, 'ok', 'delivered', extra);
      if (reply.items.length === 0) return result(target, phone, 'bad-reply', 'the phone answered with no ResponseItem', extra);
      return result(target, phone, 'phone-error', failed.map((i) => `${i.url || 'item'}: ${i.data || 'failed'} (status ${i.status})`).join('; '), extra);
    }
  }
}
