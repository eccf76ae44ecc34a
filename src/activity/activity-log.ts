import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';

export type Via = 'tftp' | 'http';

export interface Fetch {
  at: string;
  via: Via;
  ip: string;
  path: string;
  status: 'ok' | 'missing' | 'error';
}

/** What one phone (known or not) last fetched, and from where. */
export interface PhoneActivity {
  name: string;
  /** Where its last request of any kind came from (shown only: pushes and locks never read it). */
  ip: string;
  model?: string;
  lastTftp?: Fetch;
  lastHttp?: Fetch;
  /** The last firmware file (`.loads`/`.sbn`) it asked for. */
  firmware?: string;
}

export interface FetchRecord {
  via: Via;
  ip: string;
  path: string;
  status: Fetch['status'];
  /** Device name when the request says it (`?name=SEP…`, `SEP….cnf.xml`); else found by IP. */
  name?: string;
  model?: string;
}

interface ActivityEvents {
  fetch: [PhoneActivity, Fetch];
}

const DEVICE_IN_FILE = /(?:^|\/)(?:CTL|ITL)?(?:SEP|SIP)([0-9A-F]{12})\./i;

/**
 * Devices not in the config that are remembered (the most recently seen ones): anyone can name
 * any MAC in a request, so this list, the JSON file and the web page's list stay this size.
 */
export const UNKNOWN_DEVICES_MAX = 200;
/** Addresses whose phone is remembered (for requests that name no device), most recent first. */
export const ADDRESSES_MAX = 2000;
/** A longer requested path is stored cut to this length. */
export const PATH_MAX_CHARS = 200;

export interface ActivityLogOptions {
  /** Where the log is kept between restarts; undefined keeps it in memory only. */
  file?: string | undefined;
  clock?: () => Date;
  /** Configured phones are always kept; every other device goes to the bounded list. */
  isConfigured?: (name: string) => boolean;
  /** Writes the saved file (atomically); without it the log is not saved. */
  save?: (file: string, text: string) => Promise<void>;
}

/** Remembers each phone's last TFTP and HTTP fetch; survives restarts through a small JSON file. */
export class ActivityLog extends EventEmitter<ActivityEvents> {
  private readonly configured = new Map<string, PhoneActivity>();
  private readonly unknown = new LRUCache<string, PhoneActivity>({ max: UNKNOWN_DEVICES_MAX });
  private readonly nameByIp = new LRUCache<string, string>({ max: ADDRESSES_MAX });
  private readonly file: string | undefined;
  private readonly clock: () => Date;
  private readonly isConfigured: (name: string) => boolean;
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(options: ActivityLogOptions = {}) {
    super();
    this.file = options.file;
    this.clock = options.clock ?? (() => new Date());
    this.isConfigured = options.isConfigured ?? (() => false);
    this.save = options.save;
  }

  private readonly save: ((file: string, text: string) => Promise<void>) | undefined;

  static fileIn(dataDir: string): string {
    return path.join(dataDir, 'activity.json');
  }

  async load(): Promise<void> {
    if (!this.file) return;
    try {
      // Saved least recently seen first, so the bounds keep the most recent ones.
      const saved = JSON.parse(await readFile(this.file, 'utf8')) as PhoneActivity[];
      for (const p of saved) {
        this.keep(p);
        this.nameByIp.set(p.ip, p.name);
      }
    } catch {
      // No file yet, or an unreadable one: start empty, the next fetch rewrites it.
    }
  }

  record(entry: FetchRecord): void {
    const name = entry.name ?? deviceNameInPath(entry.path) ?? this.nameByIp.get(entry.ip);
    if (!name) return;
    const fetch: Fetch = { at: this.clock().toISOString(), via: entry.via, ip: entry.ip, path: entry.path.slice(0, PATH_MAX_CHARS), status: entry.status };
    const phone = this.get(name) ?? { name, ip: entry.ip };
    phone.ip = entry.ip;
    if (entry.model) phone.model = entry.model;
    if (entry.via === 'tftp') phone.lastTftp = fetch;
    else phone.lastHttp = fetch;
    if (/\.(loads|sbn|sb2|bin)$/i.test(entry.path)) phone.firmware = fetch.path;
    this.keep(phone);
    this.nameByIp.set(entry.ip, name);
    this.emit('fetch', phone, fetch);
    this.scheduleSave();
  }

  /** Configured phones, then the other devices least recently seen first (at most UNKNOWN_DEVICES_MAX). */
  all(): PhoneActivity[] {
    return [...this.configured.values(), ...[...this.unknown.values()].reverse()];
  }

  get(name: string): PhoneActivity | undefined {
    return this.configured.get(name) ?? this.unknown.peek(name);
  }

  /** Stores a phone: configured ones always, others in the bounded list as the most recent one. */
  private keep(phone: PhoneActivity): void {
    // A reload can add or remove a phone: its entry moves between the two lists, never in both.
    if (this.isConfigured(phone.name)) {
      this.unknown.delete(phone.name);
      this.configured.set(phone.name, phone);
    } else {
      this.configured.delete(phone.name);
      this.unknown.set(phone.name, phone);
    }
  }

  /** The phone that made the latest fetch from `ip` (an address can pass to another phone). */
  nameAt(ip: string): string | undefined {
    return this.nameByIp.peek(ip);
  }

  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file || !this.save) return;
    await this.save(this.file, JSON.stringify(this.all(), null, 1));
  }

  private scheduleSave(): void {
    if (!this.file || !this.save || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.flush().catch(() => undefined);
    }, 2000);
    this.saveTimer.unref();
  }
}

export function deviceNameInPath(file: string): string | undefined {
  const m = DEVICE_IN_FILE.exec(file);
  return m ? `SEP${m[1]!.toUpperCase()}` : undefined;
}
