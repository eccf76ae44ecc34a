/**
 * Read-only TFTP server (RFC 1350 with the RFC 2347/2348/2349/7440 options).
 *
 * The listener only takes requests; every transfer runs on a new socket bound
 * to the listener's address (its own TID). Names resolve through the virtual
 * file providers first, then the static root.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIPv6 } from 'node:net';
import { realpath } from 'node:fs/promises';
import { bindErrorMessage } from './bind-error.js';
import { clientFromRemote, createAllowList, normaliseAddress, type TftpClient } from './clients.js';
import { FileCache, type FileCacheStats } from './file-cache.js';
import { openDiskFile, type TftpFile } from './files.js';
import { macFromName, normaliseRequestName } from './names.js';
import { netasciiFile } from './netascii.js';
import { negotiateOptions } from './options.js';
import { ErrorCode, Opcode, decodePacket, encodeError, encodeOack, type RequestPacket } from './packet.js';
import { createProgressGate } from './progress.js';
import { resolveStatic } from './static-root.js';
import { Transfer } from './transfer.js';

/** pino-compatible logger subset. */
export interface TftpLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Supplies generated files; `name` is already normalised (relative, `/`-separated). */
export interface VirtualFileProvider {
  resolve(name: string, client: TftpClient): Promise<TftpFile | null> | TftpFile | null;
}

export interface TftpServerOptions {
  /** Address to listen on (IPv4 or IPv6 literal; `0.0.0.0` / `::` for all). */
  host: string;
  /** UDP port; 69 is the standard one, 0 picks a free port. */
  port: number;
  /** Directory served as-is (firmware, ring tones, images). */
  root: string;
  providers?: VirtualFileProvider[];
  /** Largest blksize granted (RFC 2348). Default 1468, which fills a 1500-byte Ethernet frame. */
  maxBlockSize?: number;
  /** Largest windowsize granted (RFC 7440). Default 16. */
  maxWindowSize?: number;
  /** Concurrent transfers in total. Default 64. */
  maxTransfers?: number;
  /** Concurrent transfers per client IP. Default 8. */
  maxPerClient?: number;
  /** Client subnets allowed to request files (CIDR or single addresses); others are ignored. */
  allow?: string[];
  /** Retransmissions before a transfer is given up. Default 5. */
  retries?: number;
  /** First retransmission timeout in ms, doubling on each retry. Default 1000. */
  initialTimeoutMs?: number;
  /** A transfer without progress for this long ends, whatever its timeout. Default 30000 (30 s). */
  silenceLimitMs?: number;
  /** Minimum time between two `transfer-progress` events of one transfer. Default 250 ms. */
  progressIntervalMs?: number;
  /**
   * Bytes of static-root files kept in memory, least recently used out first (files up to
   * 16 MiB each). Default 64 MiB; 0 reads every transfer from disk.
   */
  fileCacheBytes?: number;
  logger?: TftpLogger;
}

export interface TransferStartEvent {
  id: number;
  file: string;
  client: TftpClient;
  size: number;
  blksize: number;
  windowsize: number;
}
export interface TransferProgressEvent {
  id: number;
  bytes: number;
  size: number;
}
export interface TransferEndEvent {
  id: number;
  ok: boolean;
  bytes: number;
  ms: number;
  error?: string;
}
export interface MissEvent {
  file: string;
  client: TftpClient;
  /** MAC parsed from a `SEP<MAC>…` name, if any. */
  mac: string | null;
}
export type DenyReason = 'allow-list' | 'bad-name' | 'outside-root' | 'locked' | 'write' | 'busy';
export interface DeniedEvent {
  file: string;
  client: TftpClient;
  reason: DenyReason;
}

export interface TftpServerEvents {
  'transfer-start': [TransferStartEvent];
  'transfer-progress': [TransferProgressEvent];
  'transfer-end': [TransferEndEvent];
  miss: [MissEvent];
  denied: [DeniedEvent];
}

export interface TftpStats {
  /** Read and write requests received. */
  requests: number;
  /** Transfers completed. */
  served: number;
  notFound: number;
  /** Requests refused (write, bad name, lock, allow-list, busy). */
  denied: number;
  /** Malformed requests, failed or timed-out transfers, internal errors. */
  errors: number;
  /** File bytes acknowledged by clients. */
  bytesSent: number;
  /** Transfers running now. */
  active: number;
  /** Static-root files held in memory. */
  cache: FileCacheStats;
}

/**
 * A transfer whose client stays silent this long ends (its slot is free again). Even a client that
 * never answers the first packet holds a slot no longer, so 64 spoofed requests block nobody for long.
 */
const SILENCE_LIMIT_MS = 30_000;
/** Files from this size on get progress lines in the log at 25/50/75/100 %. */
const LOG_PROGRESS_FROM_BYTES = 1024 * 1024;

/** A request from one client port, from arrival until its transfer ends. */
interface InFlight {
  key: string;
  filename: string;
  transfer: Transfer | null;
}

const silentLogger: TftpLogger = { info() {}, warn() {}, error() {}, debug() {} };

export class TftpServer extends EventEmitter<TftpServerEvents> {
  private readonly logger: TftpLogger;
  private readonly isAllowed: ((address: string) => boolean) | null;
  private readonly limits: Required<
    Pick<TftpServerOptions, 'maxBlockSize' | 'maxWindowSize' | 'maxTransfers' | 'maxPerClient' | 'retries' | 'initialTimeoutMs' | 'silenceLimitMs' | 'progressIntervalMs'>
  >;
  private listener: Socket | null = null;
  private boundAddress = '';
  private closing = false;
  private nextId = 1;
  /** Requests being resolved or transferred. */
  private readonly inFlight = new Set<InFlight>();
  private readonly perClient = new Map<string, number>();
  private readonly transfers = new Map<number, Transfer>();
  private readonly counters = { requests: 0, served: 0, notFound: 0, denied: 0, errors: 0, bytesSent: 0 };
  private readonly fileCache: FileCache;

  constructor(private readonly options: TftpServerOptions) {
    super();
    this.logger = options.logger ?? silentLogger;
    this.isAllowed = options.allow && options.allow.length > 0 ? createAllowList(options.allow) : null;
    this.limits = {
      maxBlockSize: options.maxBlockSize ?? 1468,
      maxWindowSize: options.maxWindowSize ?? 16,
      maxTransfers: options.maxTransfers ?? 64,
      maxPerClient: options.maxPerClient ?? 8,
      retries: options.retries ?? 5,
      initialTimeoutMs: options.initialTimeoutMs ?? 1000,
      silenceLimitMs: options.silenceLimitMs ?? SILENCE_LIMIT_MS,
      progressIntervalMs: options.progressIntervalMs ?? 250,
    };
    this.fileCache = new FileCache(options.fileCacheBytes);
  }

  /** Binds the listener. Rejects with a one-line, actionable message if that fails. */
  async start(): Promise<{ address: string; port: number }> {
    if (this.listener) throw new Error('TFTP server already started');
    try {
      await realpath(this.options.root);
    } catch {
      throw new Error(`TFTP root ${this.options.root} does not exist - create it or change the configured root`);
    }
    const { host, port } = this.options;
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        socket.close();
        reject(Object.assign(new Error(bindErrorMessage(err, host, port)), { code: err.code }));
      };
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        resolve();
      });
    });
    socket.on('error', (err) => this.logger.error({ err: err.message }, 'tftp listener error'));
    socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    this.listener = socket;
    this.closing = false;
    const address = socket.address();
    this.boundAddress = address.address;
    this.logger.info({ address: address.address, port: address.port, root: this.options.root }, 'tftp listening');
    return { address: address.address, port: address.port };
  }

  /** Closes the listener and aborts running transfers. */
  async stop(): Promise<void> {
    this.closing = true;
    const listener = this.listener;
    this.listener = null;
    const running = [...this.transfers.values()];
    for (const transfer of running) transfer.abort('server shutting down');
    await Promise.all(running.map((t) => t.done));
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  stats(): TftpStats {
    return { ...this.counters, active: this.transfers.size, cache: this.fileCache.stats() };
  }

  /** Where the listener is bound (port 0 in the options picks a free one), or null when stopped. */
  address(): { address: string; port: number } | null {
    if (!this.listener) return null;
    const { address, port } = this.listener.address();
    return { address, port };
  }

  private onDatagram(msg: Buffer, rinfo: RemoteInfo): void {
    try {
      this.handleDatagram(msg, rinfo);
    } catch (err) {
      this.counters.errors++;
      this.logger.error({ err: (err as Error).message }, 'tftp request failed');
    }
  }

  private handleDatagram(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.closing) return;
    const client = clientFromRemote(rinfo);
    const packet = decodePacket(msg);
    const file = packet.op === 'RRQ' || packet.op === 'WRQ' ? packet.filename : '';
    if (this.isAllowed && !this.isAllowed(client.address)) {
      // Not on the allow-list: no answer at all.
      this.deny(file, client, 'allow-list');
      return;
    }
    switch (packet.op) {
      case 'RRQ':
        this.counters.requests++;
        void this.handleRead(packet, rinfo, client);
        return;
      case 'WRQ':
        // RFC 1350 §5: this server is read-only; uploads are an access violation.
        this.counters.requests++;
        this.deny(file, client, 'write');
        this.reply(rinfo, ErrorCode.ACCESS_VIOLATION, 'Access violation: read-only server');
        return;
      case 'INVALID':
        // Requests that cannot be parsed and unknown opcodes: RFC 1350 ERROR 4.
        if (packet.opcode === null || packet.opcode === Opcode.RRQ || packet.opcode === Opcode.WRQ || packet.opcode > Opcode.OACK || packet.opcode === 0) {
          this.counters.errors++;
          this.logger.debug({ client: client.address, reason: packet.reason }, 'tftp malformed packet');
          this.reply(rinfo, ErrorCode.ILLEGAL_OPERATION, 'Illegal TFTP operation');
        }
        return;
      default:
        // DATA / ACK / ERROR / OACK belong to a transfer's own port: ignore here.
        return;
    }
  }

  private async handleRead(request: RequestPacket, rinfo: RemoteInfo, client: TftpClient): Promise<void> {
    const file = request.filename;
    // RFC 1350 §5: netascii and octet; the obsolete mail mode is not offered.
    if (request.mode !== 'octet' && request.mode !== 'netascii') {
      this.counters.errors++;
      this.reply(rinfo, ErrorCode.ILLEGAL_OPERATION, `Unsupported transfer mode "${request.mode}"`);
      return;
    }
    const key = `${rinfo.address}|${rinfo.port}`;
    for (const entry of this.inFlight) {
      // The client repeated its RRQ before hearing from us: one transfer is enough.
      if (entry.key === key && entry.filename === file && !entry.transfer?.confirmed) return;
    }
    const active = this.inFlight.size;
    const mine = this.perClient.get(client.address) ?? 0;
    if (active >= this.limits.maxTransfers || mine >= this.limits.maxPerClient) {
      this.deny(file, client, 'busy');
      this.reply(rinfo, ErrorCode.NOT_DEFINED, 'Server busy, try again later');
      return;
    }
    const entry: InFlight = { key, filename: file, transfer: null };
    this.inFlight.add(entry);
    this.perClient.set(client.address, mine + 1);
    try {
      await this.serve(request, rinfo, client, entry);
    } catch (err) {
      this.counters.errors++;
      this.logger.error({ file, client: client.address, err: (err as Error).message }, 'tftp request failed');
      this.reply(rinfo, ErrorCode.NOT_DEFINED, 'Internal server error');
    } finally {
      this.inFlight.delete(entry);
      const left = (this.perClient.get(client.address) ?? 1) - 1;
      if (left > 0) this.perClient.set(client.address, left);
      else this.perClient.delete(client.address);
    }
  }

  private async serve(request: RequestPacket, rinfo: RemoteInfo, client: TftpClient, entry: InFlight): Promise<void> {
    const raw = request.filename;
    const name = normaliseRequestName(raw);
    if (name === null) {
      this.deny(raw, client, 'bad-name');
      this.reply(rinfo, ErrorCode.ACCESS_VIOLATION, 'Access violation');
      return;
    }
    const found = await this.lookup(name, client);
    if (found === 'missing') {
      this.counters.notFound++;
      const mac = macFromName(name);
      this.logger.info({ file: name, client: client.address, ...(mac ? { mac } : {}) }, 'tftp file not found');
      this.emit('miss', { file: name, client, mac });
      this.reply(rinfo, ErrorCode.FILE_NOT_FOUND, 'File not found');
      return;
    }
    if (found === 'denied') {
      this.deny(name, client, 'outside-root');
      this.reply(rinfo, ErrorCode.ACCESS_VIOLATION, 'Access violation');
      return;
    }
    let source = found;
    let handedOver = false;
    try {
      if (source.lockedTo !== undefined && normaliseAddress(source.lockedTo) !== client.address) {
        this.deny(name, client, 'locked', { lockedTo: source.lockedTo });
        this.reply(rinfo, ErrorCode.ACCESS_VIOLATION, 'Access violation');
        return;
      }
      // Converted block by block as it is sent: memory per transfer stays one window.
      if (request.mode === 'netascii') source = await netasciiFile(source);
      const negotiated = negotiateOptions(request.options, source.size, this.limits);
      if (this.closing) return;
      const socket = await this.openTransferSocket(rinfo);
      if (this.closing) {
        socket.close();
        return;
      }
      handedOver = true;
      await this.runTransfer(name, client, rinfo, source, socket, negotiated, entry);
    } finally {
      if (!handedOver) await source.close?.();
    }
  }

  /** Virtual providers first, then the static root. */
  private async lookup(name: string, client: TftpClient): Promise<TftpFile | 'missing' | 'denied'> {
    for (const provider of this.options.providers ?? []) {
      const file = await provider.resolve(name, client);
      if (file) return file;
    }
    const found = await resolveStatic(this.options.root, name);
    if (found.status !== 'found') return found.status;
    return (await openDiskFile(found.path, this.fileCache)) ?? 'missing';
  }

  /**
   * A new socket per transfer, bound to the listener's address (RFC 1350 §4: a
   * new TID) and connected to the client, so the kernel already discards
   * datagrams from any other address or port.
   */
  private async openTransferSocket(peer: RemoteInfo): Promise<Socket> {
    const socket = createSocket(isIPv6(this.boundAddress) ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, this.boundAddress, () => {
          socket.connect(peer.port, peer.address, () => {
            socket.off('error', reject);
            resolve();
          });
        });
      });
    } catch (err) {
      socket.close();
      throw err;
    }
    return socket;
  }

  private async runTransfer(
    name: string,
    client: TftpClient,
    rinfo: RemoteInfo,
    file: TftpFile,
    socket: Socket,
    negotiated: ReturnType<typeof negotiateOptions>,
    entry: InFlight,
  ): Promise<void> {
    const id = this.nextId++;
    const size = file.size;
    const started = Date.now();
    const gate = createProgressGate(size, this.limits.progressIntervalMs, started);
    let reported = 0;
    const transfer = new Transfer({
      socket,
      peer: { address: rinfo.address, port: rinfo.port },
      file,
      blksize: negotiated.blksize,
      windowsize: negotiated.windowsize,
      oack: negotiated.accepted.length > 0 ? encodeOack(negotiated.accepted) : null,
      timeoutMs: negotiated.timeoutMs ?? this.limits.initialTimeoutMs,
      retries: this.limits.retries,
      silenceLimitMs: this.limits.silenceLimitMs,
      onProgress: (bytes) => {
        this.counters.bytesSent += bytes - reported;
        reported = bytes;
        const step = gate.next(bytes, Date.now());
        if (step.report) this.emit('transfer-progress', { id, bytes, size });
        if (step.quarter !== null && size >= LOG_PROGRESS_FROM_BYTES) {
          this.logger.info({ id, file: name, client: client.address, percent: step.quarter * 25 }, 'tftp progress');
        }
      },
    });
    entry.transfer = transfer;
    this.transfers.set(id, transfer);
    this.emit('transfer-start', { id, file: name, client, size, blksize: negotiated.blksize, windowsize: negotiated.windowsize });
    this.logger.debug({ id, file: name, client: client.address, size, options: Object.fromEntries(negotiated.accepted) }, 'tftp transfer start');
    const result = await transfer.start();
    this.transfers.delete(id);
    const ms = Date.now() - started;
    if (result.ok) {
      this.counters.served++;
      this.logger.info({ id, file: name, client: client.address, bytes: result.bytes, ms }, 'tftp sent');
    } else {
      this.counters.errors++;
      this.logger.warn({ id, file: name, client: client.address, bytes: result.bytes, ms, error: result.error }, 'tftp transfer failed');
    }
    this.emit('transfer-end', { id, ok: result.ok, bytes: result.bytes, ms, ...(result.error !== undefined ? { error: result.error } : {}) });
  }

  private deny(file: string, client: TftpClient, reason: DenyReason, detail: object = {}): void {
    this.counters.denied++;
    this.logger.warn({ file, client: client.address, reason, ...detail }, 'tftp request denied');
    this.emit('denied', { file, client, reason });
  }

  /** Answers a request from the listener socket (refusals need no transfer socket). */
  private reply(rinfo: RemoteInfo, code: number, message: string): void {
    const listener = this.listener;
    if (!listener) return;
    listener.send(encodeError(code, message), rinfo.port, rinfo.address, () => undefined);
  }
}
