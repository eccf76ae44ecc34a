/**
 * Live events for the owner's page as server-sent events: TFTP transfers (start, progress, end),
 * misses and refusals, and every phone fetch from the activity log. A new client first gets the
 * transfers running now; listeners go away when the client does.
 */
import type { ServerResponse } from 'node:http';
import type { AppContext } from '../context.js';
import type { TftpServer, TransferEndEvent, TransferProgressEvent, TransferStartEvent } from '../tftp/index.js';

export interface RunningTransfer {
  id: number;
  file: string;
  ip: string;
  size: number;
  bytes: number;
  blksize: number;
  startedAt: string;
}

export interface EventSink {
  send(event: string, data: unknown): void;
  /** A comment line (ignored by EventSource): the heartbeat. */
  comment(text: string): void;
  close(): void;
}

/**
 * The transfers a TFTP server is running, followed from its events from the start (one per
 * server instance, created with the context), so a page opened mid-transfer sees them at once.
 */
export class RunningTransfers {
  private readonly running = new Map<number, RunningTransfer>();

  constructor(tftp: TftpServer | undefined, clock: () => Date) {
    tftp?.on('transfer-start', (e) => {
      this.running.set(e.id, { id: e.id, file: e.file, ip: e.client.address, size: e.size, bytes: 0, blksize: e.blksize, startedAt: clock().toISOString() });
    });
    tftp?.on('transfer-progress', (e) => {
      const t = this.running.get(e.id);
      if (t) t.bytes = e.bytes;
    });
    tftp?.on('transfer-end', (e) => this.running.delete(e.id));
  }

  list(): RunningTransfer[] {
    return [...this.running.values()];
  }
}

/** An SSE stream on a raw response: `event:` + one JSON `data:` line per message. */
export function sseSink(raw: ServerResponse): EventSink {
  raw.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    // The socket serves this stream only: closed with it, so a shutdown never waits on a kept-alive one.
    Connection: 'close',
    'X-Accel-Buffering': 'no',
  });
  raw.write('retry: 2000\n\n');
  return {
    send(event, data) {
      if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment(text) {
      if (!raw.writableEnded) raw.write(`: ${text}\n\n`);
    },
    close() {
      if (!raw.writableEnded) raw.end();
    },
  };
}

/**
 * Forwards the context's events to `sink` until the returned function is called. `scrub` blanks
 * secrets out of every payload; a comment line every `heartbeatMs` keeps proxies from closing.
 */
export function forwardEvents(ctx: AppContext, sink: EventSink, scrub: <T>(v: T) => T, heartbeatMs: number): () => void {
  const send = (event: string, data: unknown): void => sink.send(event, scrub(data));
  const tftp = ctx.tftp;
  send('hello', { transfers: ctx.transfers.list(), tftp: tftp?.address() != null });

  const onStart = (e: TransferStartEvent): void =>
    send('transfer-start', { id: e.id, file: e.file, ip: e.client.address, size: e.size, blksize: e.blksize, startedAt: ctx.clock().toISOString() });
  const onProgress = (e: TransferProgressEvent): void => send('transfer-progress', e);
  const onEnd = (e: TransferEndEvent): void => send('transfer-end', e);
  const onMiss = (e: { file: string; client: { address: string } }): void => send('miss', { file: e.file, ip: e.client.address });
  const onDenied = (e: { file: string; client: { address: string }; reason: string }): void =>
    send('denied', { file: e.file, ip: e.client.address, reason: e.reason });
  const onFetch = (phone: { name: string }, fetch: object): void => send('fetch', { name: phone.name, fetch });

  tftp?.on('transfer-start', onStart);
  tftp?.on('transfer-progress', onProgress);
  tftp?.on('transfer-end', onEnd);
  tftp?.on('miss', onMiss);
  tftp?.on('denied', onDenied);
  ctx.activity.on('fetch', onFetch);
  const timer = setInterval(() => sink.comment('heartbeat'), heartbeatMs);
  timer.unref();

  return () => {
    clearInterval(timer);
    tftp?.off('transfer-start', onStart);
    tftp?.off('transfer-progress', onProgress);
    tftp?.off('transfer-end', onEnd);
    tftp?.off('miss', onMiss);
    tftp?.off('denied', onDenied);
    ctx.activity.off('fetch', onFetch);
  };
}
