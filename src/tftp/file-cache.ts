/**
 * Whole files of the static root kept in memory, least recently used out first: the firmware that
 * fifty phones fetch after a power cut is read from disk once and then sent from memory.
 *
 * A file is known by device, inode, size and modification time, so a replaced or rewritten file
 * is read again; requests that arrive while a file is being read wait for that one read.
 */
import { LRUCache } from 'lru-cache';

/** Bytes of file contents the cache holds at most (default). */
export const FILE_CACHE_BYTES = 64 * 1024 * 1024;
/** Files larger than this are never cached; they are read from disk in 256 KiB chunks (default). */
export const FILE_CACHE_MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface FileCacheStats {
  files: number;
  bytes: number;
  hits: number;
  misses: number;
}

export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export class FileCache {
  private readonly lru: LRUCache<string, Buffer> | null;
  private readonly loading = new Map<string, Promise<Buffer>>();
  private hits = 0;
  private misses = 0;

  constructor(
    readonly maxBytes: number = FILE_CACHE_BYTES,
    readonly maxFileBytes: number = Math.min(FILE_CACHE_MAX_FILE_BYTES, maxBytes),
  ) {
    this.lru = maxBytes > 0 ? new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (bytes) => Math.max(1, bytes.length) }) : null;
  }

  /** Whether a file of this size is kept in memory (empty files need no cache). */
  holds(size: number): boolean {
    return this.lru !== null && size > 0 && size <= this.maxFileBytes;
  }

  /** The contents of the file `id` names, from memory or from `read` (called once per identity at a time). */
  async get(id: FileIdentity, read: () => Promise<Buffer>): Promise<Buffer> {
    const key = `${id.dev}:${id.ino}:${id.size}:${id.mtimeMs}`;
    const cached = this.lru?.get(key);
    if (cached) {
      this.hits++;
      return cached;
    }
    const pending = this.loading.get(key);
    if (pending) {
      this.hits++;
      return pending;
    }
    this.misses++;
    const loading = read().then((bytes) => {
      // A file that changed size while being read is served as read but not kept.
      if (bytes.length === id.size) this.lru?.set(key, bytes);
      return bytes;
    });
    this.loading.set(key, loading);
    try {
      return await loading;
    } finally {
      this.loading.delete(key);
    }
  }

  stats(): FileCacheStats {
    return { files: this.lru?.size ?? 0, bytes: this.lru?.calculatedSize ?? 0, hits: this.hits, misses: this.misses };
  }
}
