/**
 * Objects too big for a push (512 bytes on old firmware, Cisco developer notes 7.1(3)), and pictures, wait here for
 * the phone to fetch them: the phone is pushed a small CiscoIPPhoneExecute whose URL points at
 * `/push/object/<id>`. Entries live a few minutes, in memory only.
 */
import { randomBytes } from 'node:crypto';
import type { PhoneObject } from '../xml/objects.js';

export type StoredObject =
  | { kind: 'object'; object: PhoneObject }
  | { kind: 'file'; body: Buffer; contentType: string };

interface Entry {
  value: StoredObject;
  expires: number;
  bytes: number;
}

/** How long a stored object can be fetched: long enough for a phone busy on a call (Priority 1). */
export const OBJECT_LIFETIME_MS = 10 * 60_000;
const MAX_ENTRIES = 1000;
const MAX_BYTES = 64 * 1024 * 1024;

export const OBJECT_ID = /^[A-Za-z0-9_-]{22}$/;

export class PushObjectStore {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /**
   * Whether an HTTP app serves `/push/object/:id` from this store. Without one (the CLI on its
   * own) nothing may be handed out by URL: pushes carry only what fits into the request.
   */
  served = false;

  constructor(private readonly clock: () => Date) {}

  /** Keeps a value and returns its unguessable id (128 random bits). */
  put(value: StoredObject): string {
    this.prune();
    const id = randomBytes(16).toString('base64url');
    const bytes = value.kind === 'file' ? value.body.length : 1024;
    this.entries.set(id, { value, expires: this.clock().getTime() + OBJECT_LIFETIME_MS, bytes });
    this.bytes += bytes;
    // Oldest first (a Map keeps insertion order) when the store is full.
    for (const [oldId] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.remove(oldId);
    }
    return id;
  }

  get(id: string): StoredObject | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expires <= this.clock().getTime()) {
      this.remove(id);
      return undefined;
    }
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(): void {
    const now = this.clock().getTime();
    for (const [id, entry] of this.entries) if (entry.expires <= now) this.remove(id);
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(id);
  }
}
