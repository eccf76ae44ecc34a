/**
 * Announcements: sound streamed to the phones' speakers. Each phone is pushed `RTPRx:` (this
 * server's address, an even port 20480–32768, the volume; Cisco developer notes, "Internal URI
 * Features") through the checked push path, then the stream is sent to the phone's push address;
 * at the end, or on stop, `RTPRx:Stop`. With `announce.multicast` one stream goes to the group and
 * each phone is pushed `RTPMRx:`. One announcement per phone at a time: a new one takes the phone
 * over, the old stream stops going to it.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { DEFAULT_ANNOUNCE_MAX_S } from './limits.js';
import { lanIPv4 } from '../config/lan-address.js';
import type { AppContext } from '../context.js';
import { AnnounceSourceError } from '../errors.js';
import type { Language } from '../i18n/messages.js';
import type { Phone } from '../phones/inventory.js';
import { phoneAddress, pushToPhones, resolveTargets, type PushResult, type PushTargets } from '../push/push.js';
import { announceAudio, type AnnounceAudio, type AnnounceSource } from './audio.js';
import { SAMPLE_RATE } from './rtp.js';
import { RtpSender, type Destination } from './sender.js';

/** Cisco developer notes: the port a phone receives on is even, 20480–32768. */
export const RTP_PORT_MIN = 20480;
export const RTP_PORT_MAX = 32768;
/** What an announcement id looks like (16 hex digits, random). */
export const ANNOUNCEMENT_ID = /^[0-9a-f]{16}$/;
/** Announcements kept findable by id after they end (for DELETE and the page). */
const MAX_FINISHED = 50;

export interface AnnounceRequest {
  phones: PushTargets;
  source: AnnounceSource;
  /** 0–100; the phone's own volume when absent. */
  volume?: number;
}

export interface AnnouncePhoneResult extends PushResult {
  /** The port the phone was told to receive on. */
  port?: number;
}

export interface AnnounceStarted {
  id: string;
  /** Length of the stream in ms. */
  durationMs: number;
  /** The sound was longer than `announce.maxSeconds` and was cut. */
  cut: boolean;
  multicast?: string;
  results: AnnouncePhoneResult[];
}

interface Listener {
  phone: Phone;
  destination: Destination;
  sender: RtpSender;
  /** `RTPRx:Stop` or `RTPMRx:Stop`. */
  stopUri: string;
}

interface Announcement {
  id: string;
  senders: RtpSender[];
  /** Phones receiving it now, by SEP name. */
  listeners: Map<string, Listener>;
  finished: Promise<void>;
}

/** Even port in 20480–32768 not in `taken`. */
function freePort(taken: Set<number>): number {
  for (;;) {
    const port = RTP_PORT_MIN + 2 * randomInt(0, (RTP_PORT_MAX - RTP_PORT_MIN) / 2 + 1);
    if (!taken.has(port)) return port;
  }
}

/** The address the phones see this server at: the host of `server.publicUrl` when it is an IPv4 address. */
export function serverIPv4(ctx: AppContext): string {
  const host = new URL(ctx.config.server.publicUrl).hostname;
  return isIPv4(host) ? host : lanIPv4();
}

function parseGroup(value: string): Destination {
  const [host, port] = value.split(':');
  return { host: host!, port: Number(port) };
}

export class Announcements {
  private readonly active = new Map<string, Announcement>();
  /** Which announcement each phone (SEP name) is receiving. */
  private readonly byPhone = new Map<string, Announcement>();
  private readonly finishedIds: string[] = [];

  constructor(private readonly ctx: AppContext) {}

  /** The longest announcement in samples (`announce.maxSeconds`). */
  get maxSamples(): number {
    return (this.ctx.config.announce?.maxSeconds ?? DEFAULT_ANNOUNCE_MAX_S) * SAMPLE_RATE;
  }

  /**
   * Prepares the sound (AnnounceSourceError, SpeechUnavailableError), pushes every phone and
   * starts the stream to those that took the push; resolves once the pushes are answered.
   */
  async start(request: AnnounceRequest): Promise<AnnounceStarted> {
    const { source, volume } = request;
    if (volume !== undefined && (!Number.isInteger(volume) || volume < 0 || volume > 100)) throw new AnnounceSourceError('volume: a whole number 0-100');
    const phones = resolveTargets(this.ctx, request.phones).flatMap((r) => (r.phone ? [r.phone] : []));
    const multicast = this.ctx.config.announce?.multicast;
    const group = multicast ? parseGroup(multicast) : undefined;
    // One sound per language spoken; a file or a ring tone is the same for every phone.
    const soundKey = (phone: Phone): Language => ('say' in source ? phone.language : 'en');
    const keys = [...new Set(phones.map(soundKey))];
    if (group && keys.length > 1) {
      throw new AnnounceSourceError('spoken text in several languages needs a stream per language: with announce.multicast, announce to the phones of one language at a time');
    }
    const audio = new Map<Language, AnnounceAudio>();
    for (const key of keys) audio.set(key, await announceAudio(this.ctx, source, key, this.maxSamples));
    // The multicast group carries one announcement at a time: the one before ends first.
    if (group) await this.stopAll();

    const id = randomBytes(8).toString('hex');
    const announcement: Announcement = { id, senders: [], listeners: new Map(), finished: Promise.resolve() };
    const senders = new Map<Language, RtpSender>();
    const server = serverIPv4(this.ctx);
    const vol = volume === undefined ? '' : `:${volume}`;
    const ports = new Map<string, number>();
    const results: AnnouncePhoneResult[] = await pushToPhones(this.ctx, request.phones, (phone) => {
      this.release(phone);
      if (group) return { rtp: `RTPMRx:${group.host}:${group.port}${vol}` };
      const port = freePort(new Set(ports.values()));
      ports.set(phone.name, port);
      return { rtp: `RTPRx:${server}:${port}${vol}` };
    });
    for (const [i, result] of results.entries()) {
      const port = result.name ? ports.get(result.name) : undefined;
      if (port !== undefined) results[i] = { ...result, port };
      const phone = result.ok && result.name ? this.ctx.inventory.byDeviceName(result.name) : undefined;
      const address = phone && phoneAddress(this.ctx, phone);
      if (!phone || !address) continue;
      const key = soundKey(phone);
      let sender = senders.get(key);
      if (!sender) senders.set(key, (sender = new RtpSender(audio.get(key)!.mulaw)));
      const destination = group ?? { host: address.host, port: port! };
      sender.add(destination);
      this.release(phone); // an announcement started meanwhile for this phone
      announcement.listeners.set(phone.name, { phone, destination, sender, stopUri: group ? 'RTPMRx:Stop' : 'RTPRx:Stop' });
      this.byPhone.set(phone.name, announcement);
    }
    announcement.senders = [...senders.values()];
    const durationMs = Math.max(0, ...announcement.senders.map((s) => s.durationMs));
    const cut = [...audio.values()].some((a) => a.cut);
    announcement.finished = Promise.all(announcement.senders.map((s) => s.done)).then(() => this.finish(announcement));
    this.active.set(id, announcement);
    this.ctx.log.info({ announcement: id, phones: announcement.listeners.size, seconds: durationMs / 1000, cut, ...(multicast ? { multicast } : {}) }, 'announcement started');
    for (const sender of announcement.senders) sender.start();
    return { id, durationMs, cut, ...(multicast ? { multicast } : {}), results };
  }

  /** Stops an announcement; false when there is none by that id. Resolves once the phones are told. */
  async stop(id: string): Promise<boolean> {
    const announcement = this.active.get(id);
    if (!announcement) return this.finishedIds.includes(id);
    for (const sender of announcement.senders) sender.stop();
    await announcement.finished;
    return true;
  }

  /** Resolves when the announcement has ended and its phones were told (at once for an unknown id). */
  async ended(id: string): Promise<void> {
    await this.active.get(id)?.finished;
  }

  /** Whether an announcement is streaming now. */
  isRunning(id: string): boolean {
    return this.active.has(id);
  }

  /** Stops every announcement (the server stops). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id)));
  }

  /** Takes `phone` off the announcement it is receiving, without telling it (a new one follows). */
  private release(phone: Phone): void {
    const old = this.byPhone.get(phone.name);
    if (!old) return;
    const listener = old.listeners.get(phone.name);
    old.listeners.delete(phone.name);
    this.byPhone.delete(phone.name);
    if (listener && ![...old.listeners.values()].some((l) => l.sender === listener.sender && sameDestination(l.destination, listener.destination))) {
      listener.sender.remove(listener.destination);
    }
  }

  private async finish(announcement: Announcement): Promise<void> {
    this.active.delete(announcement.id);
    this.finishedIds.push(announcement.id);
    if (this.finishedIds.length > MAX_FINISHED) this.finishedIds.shift();
    const listeners = [...announcement.listeners.values()];
    for (const l of listeners) if (this.byPhone.get(l.phone.name) === announcement) this.byPhone.delete(l.phone.name);
    announcement.listeners.clear();
    await Promise.all(listeners.map((l) => pushToPhones(this.ctx, l.phone.name, { rtp: l.stopUri })));
    this.ctx.log.info({ announcement: announcement.id }, 'announcement ended');
  }
}

function sameDestination(a: Destination, b: Destination): boolean {
  return a.host === b.host && a.port === b.port;
}
