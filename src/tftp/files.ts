/**
 * What the server sends: a `TftpFile` is a size plus random-access reads, so
 * a rendered config can live in memory while firmware is read from disk.
 */
import { open } from 'node:fs/promises';

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
}

/** A file held in memory, the usual result of a virtual provider. */
export function bufferFile(data: Buffer | string, options: { lockedTo?: string } = {}): TftpFile {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, offset + length),
    ...(options.lockedTo !== undefined ? { lockedTo: options.lockedTo } : {}),
  };
}

/**
 * Opens a file on disk for reading at offsets. Resolves null when the path is
 * not a regular file (directories are not files).
 */
export async function openDiskFile(path: string): Promise<TftpFile | null> {
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return null;
    }
    const size = stat.size;
    return {
      size,
      async read(offset, length) {
        const want = Math.max(0, Math.min(length, size - offset));
        const buf = Buffer.allocUnsafe(want);
        let filled = 0;
        while (filled < want) {
          const { bytesRead } = await handle.read(buf, filled, want - filled, offset + filled);
          if (bytesRead === 0) break; // the file shrank while being served
          filled += bytesRead;
        }
        return filled === want ? buf : buf.subarray(0, filled);
      },
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
