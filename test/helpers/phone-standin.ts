/**
 * Test helper: a stand-in for a Cisco phone's push side (Cisco developer notes; usecallmanager.nz
 * cgi-execute), on a free loopback port. It takes `POST /CGI/Execute`, decodes the `XML=` field,
 * asks the server's authenticationURL about the Basic credentials (`UserID`, `Password`,
 * `devicename`) and, when the answer is exactly `AUTHORIZED`, runs the object: an http URL in an
 * Execute is fetched (and the PNG of a fetched ImageFile too) and the bodies recorded; internal
 * URIs are recorded; a pushed display object is recorded as shown. It answers CiscoIPPhoneResponse,
 * or as told: Error 4, 401, a malformed reply, no answer at all, or a redirect to a result page.
 * Told `RTPRx:<ip>:<port>` (or `RTPMRx:<group>:<port>`), it listens for RTP on that port (joining
 * the group on loopback) before it answers, and records every packet until `RTPRx:Stop`.
 *
 * Also `startPushServer`: our HTTP app on a free loopback port with stand-in phones in its config.
 */
import dgram from 'node:dgram';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo, Socket } from 'node:net';
import { Writable } from 'node:stream';
import { XMLParser } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load.js';
import { createContext, type AppContext } from '../../src/context.js';
import { buildApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';

export type StandInMode = 'phone' | 'error4' | '401' | 'malformed' | 'silent' | 'redirect';

export interface StandInOptions {
  /** `SEP…` sent as devicename to the authenticationURL. */
  deviceName: string;
  /** The authenticationURL (may be set after start, once the server listens). */
  authUrl?: string;
  mode?: StandInMode;
  /** How a refused push is answered: 200 + Error 4 (7970) or HTTP 401 (7940/7960). */
  refusal?: 'error4' | '401';
  /** x-CiscoIPPhoneModelName sent when fetching URLs. */
  modelName?: string;
}

export interface ReceivedPush {
  headers: http.IncomingHttpHeaders;
  /** The raw request body. */
  body: string;
  /** The decoded object. */
  xml: string;
  credentials?: { username: string; password: string };
  /** What the authenticationURL answered (body), when it was asked. */
  authAnswer?: string;
}

/** One RTP stream the stand-in was told to receive. */
export interface RtpReception {
  uri: string;
  port: number;
  /** Each datagram with its arrival time (performance.now(), ms). */
  packets: { at: number; data: Buffer }[];
  /** The URI that stopped it (`RTPRx:Stop`), once pushed. */
  stoppedBy?: string;
}

export interface Fetched {
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
}

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'ExecuteItem' });

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** `application/x-www-form-urlencoded` field value as bytes (percent escapes and '+'). */
function formField(body: string, name: string): Buffer | undefined {
  for (const pair of body.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq) !== name) continue;
    const value = pair.slice(eq + 1).replace(/\+/g, ' ');
    const bytes: number[] = [];
    for (let i = 0; i < value.length; i++) {
      if (value[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
        bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(value.charCodeAt(i) & 0xff);
    }
    return Buffer.from(bytes);
  }
  return undefined;
}

function decodeXml(bytes: Buffer): string {
  const head = bytes.subarray(0, 100).toString('latin1');
  return /encoding="ISO-8859-1"/i.test(head) ? bytes.toString('latin1') : bytes.toString('utf8');
}

export class PhoneStandIn {
  readonly received: ReceivedPush[] = [];
  readonly fetched: Fetched[] = [];
  /** Internal URIs of pushed Execute objects (Dial:…, Play:…). */
  readonly executed: string[] = [];
  /** Display objects pushed directly. */
  readonly shown: string[] = [];
  /** RTP streams it was told to receive, in order. */
  readonly rtp: RtpReception[] = [];
  private rtpSocket: dgram.Socket | undefined;
  private rtpWaiters: (() => void)[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly results = new Map<string, string>();
  private port = 0;

  constructor(readonly options: StandInOptions) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err.message));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** `127.0.0.1:<port>`, what goes into phones[].ip. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.closeRtp();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('latin1');
    const result = req.method === 'GET' && req.url ? this.results.get(req.url) : undefined;
    if (result !== undefined) return this.sendXml(res, 200, result);
    // Cisco developer notes: the path is case-sensitive.
    if (req.method !== 'POST' || req.url !== '/CGI/Execute') {
      res.writeHead(404).end();
      return;
    }
    const record: ReceivedPush = { headers: req.headers, body, xml: '' };
    this.received.push(record);
    // Expect: 100-continue gets Error 6 (snippets101 .NET push write-up).
    if (req.headers.expect) return this.sendXml(res, 200, '<CiscoIPPhoneError Number="6"/>');
    const field = formField(body, 'XML');
    if (!field) return this.sendXml(res, 200, '<CiscoIPPhoneError Number="1"/>');
    record.xml = decodeXml(field);
    const mode = this.options.mode ?? 'phone';
    if (mode === 'silent') return; // never answers; stop() closes the socket
    if (mode === 'error4') return this.sendXml(res, 200, '<CiscoIPPhoneError Number="4"/>');
    if (mode === '401') {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="phone"' }).end();
      return;
    }
    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (auth) {
      const decoded = Buffer.from(auth[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      record.credentials = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    record.authAnswer = await this.askAuthUrl(record.credentials);
    if (record.authAnswer !== 'AUTHORIZED') {
      if (this.options.refusal === '401') {
        res.writeHead(401).end();
        return;
      }
      return this.sendXml(res, 200, '<CiscoIPPhoneError Number="4"/>');
    }
    const items = await this.run(record.xml);
    const response = `<CiscoIPPhoneResponse>${items.map((i) => `<ResponseItem Status="${i.status}" Data="${escapeAttr(i.data)}" URL="${escapeAttr(i.url)}"/>`).join('')}</CiscoIPPhoneResponse>`;
    if (mode === 'malformed') {
      // As Cisco's CUAE SendExecute saw: duplicated declarations, empty encoding, a raw '&'.
      const raw = response.replace('Data="Success"', 'Data="Success & done"');
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(`<?xml version="1.0" encoding=""?>\n<?xml version="1.0"?>\n${raw}`);
      return;
    }
    if (mode === 'redirect') {
      const path = `/CGI/Result/${this.results.size + 1}`;
      this.results.set(path, response);
      res.writeHead(302, { Location: `http://127.0.0.1:${this.port}${path}` }).end();
      return;
    }
    return this.sendXml(res, 200, response);
  }

  private sendXml(res: http.ServerResponse, status: number, xml: string): void {
    const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${xml}`, 'utf8');
    res.writeHead(status, { 'Content-Type': 'text/xml; charset=UTF-8', 'Content-Length': body.length }).end(body);
  }

  private async askAuthUrl(credentials: ReceivedPush['credentials']): Promise<string> {
    if (!this.options.authUrl) return 'AUTHORIZED'; // usecallmanager.nz: no URL, every push accepted
    const url = new URL(this.options.authUrl);
    url.searchParams.set('UserID', credentials?.username ?? '');
    url.searchParams.set('Password', credentials?.password ?? '');
    url.searchParams.set('devicename', this.options.deviceName);
    const res = await fetch(url);
    return res.text();
  }

  private async run(xml: string): Promise<{ status: number; data: string; url: string }[]> {
    const doc = xmlParser.parse(xml) as Record<string, unknown>;
    const execute = doc.CiscoIPPhoneExecute as { ExecuteItem?: { URL: string }[] } | undefined;
    if (!execute) {
      this.shown.push(xml);
      return [{ status: 0, data: 'Success', url: '' }];
    }
    const out: { status: number; data: string; url: string }[] = [];
    for (const item of execute.ExecuteItem ?? []) {
      if (/^https?:/.test(item.URL)) {
        const fetched = await this.fetch(item.URL);
        // A phone shows a fetched ImageFile by fetching its PNG.
        const image = /<CiscoIPPhoneImageFile\b[\s\S]*?<URL>([^<]+)<\/URL>/.exec(fetched.body.toString('utf8'));
        if (image) await this.fetch(image[1]!.replace(/&amp;/g, '&'));
        out.push({ status: fetched.status === 200 ? 0 : 6, data: fetched.status === 200 ? 'Success' : 'URI not found', url: item.URL });
      } else {
        this.executed.push(item.URL);
        if (/^RTPM?Rx:/.test(item.URL)) await this.receiveRtp(item.URL);
        out.push({ status: 0, data: 'Success', url: item.URL });
      }
    }
    return out;
  }

  /** Resolves once a stream has been stopped by a pushed `…Rx:Stop` (at most `timeoutMs`). */
  async rtpStopped(timeoutMs = 30_000): Promise<RtpReception | undefined> {
    const done = (): boolean => this.rtp.length > 0 && this.rtp.at(-1)!.stoppedBy !== undefined;
    if (!done()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.rtpWaiters.push(() => {
          if (!done()) return;
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.rtp.at(-1);
  }

  private async receiveRtp(uri: string): Promise<void> {
    this.closeRtp();
    if (/^RTPM?Rx:Stop$/.test(uri)) {
      const last = this.rtp.at(-1);
      if (last && last.stoppedBy === undefined) last.stoppedBy = uri;
      for (const wake of this.rtpWaiters) wake();
      return;
    }
    const [kind, host, port] = uri.split(':') as [string, string, string];
    const reception: RtpReception = { uri, port: Number(port), packets: [] };
    this.rtp.push(reception);
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    this.rtpSocket = socket;
    socket.on('message', (data) => reception.packets.push({ at: performance.now(), data }));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(reception.port, kind === 'RTPMRx' ? host : '127.0.0.1', () => resolve());
    });
    if (kind === 'RTPMRx') socket.addMembership(host, '127.0.0.1');
  }

  private closeRtp(): void {
    this.rtpSocket?.close();
    this.rtpSocket = undefined;
  }

  private async fetch(url: string): Promise<Fetched> {
    const res = await fetch(url, { headers: { 'x-CiscoIPPhoneModelName': this.options.modelName ?? 'CP-7941G', 'Accept-Charset': 'utf-8' } });
    const fetched = { url, status: res.status, contentType: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
    this.fetched.push(fetched);
    return fetched;
  }
}

export interface PushServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  /** Every log line, parsed. */
  logs: Record<string, unknown>[];
  /** Every log line as written. */
  logText: () => string;
  close(): Promise<void>;
}

export interface TestPhone {
  mac: string;
  model?: string;
  label?: string;
  ip?: string;
  push?: { username: string; password: string };
}

/**
 * Our HTTP app listening on a free loopback port, with these phones and sections in its config
 * (`server.publicUrl` set to where it listens); stand-ins are pointed at its /authenticate.
 */
export async function startPushServer(
  options: { phones: TestPhone[]; push?: Record<string, unknown>; api?: { token: string }; standIns?: PhoneStandIn[]; config?: Record<string, unknown> },
): Promise<PushServer> {
  const raw = {
    pbx: { host: '127.0.0.1' },
    server: { publicUrl: 'http://127.0.0.1:1', dataDir: '/tmp/ciscophone-push-test-unused' },
    phones: options.phones.map((p) => ({ model: '7941', lines: [{ number: '600' }], ...p })),
    ...(options.push ? { push: options.push } : {}),
    ...(options.api ? { api: options.api } : {}),
    ...options.config,
  };
  const config = parseConfig(JSON.stringify(raw), '/tmp/ciscophone-push-test/ciscophone.yaml', { env: {} });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger('info', sink);
  const ctx = createContext({ config, log, ephemeral: true });
  const app = await buildApp(ctx, { services: [] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  config.server.publicUrl = url;
  for (const standIn of options.standIns ?? []) standIn.options.authUrl = `${url}/authenticate`;
  return {
    app,
    ctx,
    url,
    get logs() {
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    logText: () => lines.join('\n'),
    close: async () => {
      await ctx.announcements.stopAll();
      await app.close();
    },
  };
}

/** A MAC for test phone number `i` (0..255). */
export function testMac(i: number): string {
  return `00805A0000${i.toString(16).toUpperCase().padStart(2, '0')}`;
}
