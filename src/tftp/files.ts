/**
 * What the server sends: a `TftpFile` is a size plus random-access reads, so
 * a rendered config can live in memory while firmware is read from disk.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { FileCache } from './file-cache.js';

export interface TftpFile {
  /** Size in bytes. */
  readonly size: number;
  /** Reads `length` bytes at `offset`; returns fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Buffer> | Buffer;
  /** Releases what the file holds (an open descriptor); called once when the transfer ends. */
  close?(): Promise<void> | void;
  /**
   * Client IP the file may be served to (e.g. a config carrying SIP passwords,
   * locked to the address the phone last used). Other clients get an access violation.
   */
  readonly lockedTo?: string;
  /** The whole contents, when the file is held in memory: blocks are then sent without reads. */
  readonly bytes?: Buffer;
}

/** A file held in memory, the usual result of a virtual provider. */
export function bufferFile(data: Buffer | string, options: { lockedTo?: string } = {}): TftpFile {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return {
    size: bytes.length,
    bytes,
    read: (offset, length) => bytes.subarray(offset, offset + length),
    ...(options.lockedTo !== undefined ? { lockedTo: options.lockedTo } : {}),
  };
}

/** Reads up to `want` bytes at `offset`; fewer only if the file shrank meanwhile. */
async function readAt(handle: FileHandle, offset: number, want: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(want);
  let filled = 0;
  while (filled < want) {
    const { bytesRead } = await handle.read(buf, filled, want - filled, offset + filled);
    if (bytesRead === 0) break; // the file shrank while being served
    filled += bytesRead;
  }
  return filled === want ? buf : buf.subarray(0, filled);
}

/**
 * Opens a file on disk for reading at offsets. Resolves null when the path is
 * not a regular file (directories are not files). With a `cache`, a file it
 * holds is read whole once and then served from memory.
 */
export async function openDiskFile(path: string, cache?: FileCache): Promise<TftpFile | null> {
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return null;
    }
    const size = stat.size;
    if (cache?.holds(size)) {
      const bytes = await cache.get(stat, () => readAt(handle, 0, size));
      await handle.close();
      return bufferFile(bytes);
    }
    return {
      size,
      read: (offset, length) => readAt(handle, offset, Math.max(0, Math.min(length, size - offset))),
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
