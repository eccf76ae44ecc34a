import { EventEmitter } from 'node:events';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Via = 'tftp' | 'http';

export interface Fetch {
  at: string;
  via: Via;
  ip: string;
  path: string;
  status: 'ok' | 'missing' | 'denied' | 'error';
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

/** Remembers each phone's last TFTP and HTTP fetch; survives restarts through a small JSON file. */
export class ActivityLog extends EventEmitter<ActivityEvents> {
  private readonly phones = new Map<string, PhoneActivity>();
  private readonly nameByIp = new Map<string, string>();
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string | undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {
    super();
  }

  static fileIn(dataDir: string): string {
    return path.join(dataDir, 'activity.json');
  }

  async load(): Promise<void> {
    if (!this.file) return;
    try {
      const saved = JSON.parse(await readFile(this.file, 'utf8')) as PhoneActivity[];
      for (const p of saved) {
        this.phones.set(p.name, p);
        this.nameByIp.set(p.ip, p.name);
      }
    } catch {
      // No file yet, or an unreadable one: start empty, the next fetch rewrites it.
    }
  }

  record(entry: FetchRecord): void {
    const name = entry.name ?? deviceNameInPath(entry.path) ?? this.nameByIp.get(entry.ip);
    if (!name) return;
    const fetch: Fetch = { at: this.clock().toISOString(), via: entry.via, ip: entry.ip, path: entry.path, status: entry.status };
    const phone = this.phones.get(name) ?? { name, ip: entry.ip };
    phone.ip = entry.ip;
    if (entry.model) phone.model = entry.model;
    if (entry.via === 'tftp') phone.lastTftp = fetch;
    else phone.lastHttp = fetch;
    if (/\.(loads|sbn|sb2|bin)$/i.test(entry.path)) phone.firmware = entry.path;
    this.phones.set(name, phone);
    this.nameByIp.set(entry.ip, name);
    this.emit('fetch', phone, fetch);
    this.scheduleSave();
  }

  all(): PhoneActivity[] {
    return [...this.phones.values()];
  }

  get(name: string): PhoneActivity | undefined {
    return this.phones.get(name);
  }

  /** The phone that made the latest fetch from `ip` (an address can pass to another phone). */
  nameAt(ip: string): string | undefined {
    return this.nameByIp.get(ip);
  }

  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(this.all(), null, 1));
    await rename(tmp, this.file);
  }

  private scheduleSave(): void {
    if (!this.file || this.saveTimer) return;
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
