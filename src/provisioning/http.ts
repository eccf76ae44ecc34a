/**
 * The provisioning files over HTTP (`server.provisioningHttp.port`, 6970 by default: newer
 * firmware tries it before TFTP). Same names, same normalisation, same case-insensitive lookup and
 * the same bytes as TFTP: the rendered files first, then the static root through @fastify/static.
 */
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { realpath } from 'node:fs/promises';
import { relative } from 'node:path';
import type { AppContext } from '../context.js';
import { writeCanonicalHeaderNames } from '../http/header-case.js';
import { clientFromRemote, createAllowList, normaliseAddress, normaliseRequestName, resolveStatic, type VirtualFileProvider } from '../tftp/index.js';
import { clientAddress, rememberClientAddress } from '../http/client-address.js';
import { limitedServer } from '../http/server-timeouts.js';
import { recordFetch, reportMissingFirmware } from './fetch-log.js';

const CONTENT_TYPES: Record<string, string> = {
  '.xml': 'text/xml', // RFC 7303 §3.2: the XML declaration names the charset (ISO-8859-1 for the ring and image lists)
  '.cnf': 'text/plain; charset=iso-8859-1',
  '.txt': 'text/plain; charset=iso-8859-1',
};

function contentType(name: string): string {
  const ext = /\.[^.]+$/.exec(name)?.[0]?.toLowerCase() ?? '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

function decodePath(url: string): string | null {
  try {
    return decodeURIComponent(url.split('?')[0]!);
  } catch {
    return null;
  }
}

export async function provisioningHttpApp(ctx: AppContext, providers: VirtualFileProvider[], root: string): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log.child({ component: 'provisioning-http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    serverFactory: limitedServer,
  });
  // The root may not exist yet; lookups then find nothing, as over TFTP.
  const realRoot = await realpath(root).catch(() => root);
  await app.register(fastifyStatic, { root: realRoot, serve: false });

  rememberClientAddress(app);
  // `server.tftp.allow` guards the files, whichever port they are fetched from.
  const allow = ctx.config.server.tftp.allow ?? [];
  const isAllowed = allow.length > 0 ? createAllowList(allow) : null;
  app.addHook('onRequest', async (request, reply) => {
    writeCanonicalHeaderNames(reply.raw);
    if (isAllowed === null || isAllowed(request.ip)) return;
    request.log.warn({ client: normaliseAddress(request.ip), url: request.url }, 'provisioning request denied: address not in server.tftp.allow');
    return reply.code(403).type('text/plain').send('Access violation\n');
  });

  app.addHook('onResponse', async (request, reply) => {
    const path = decodePath(request.url);
    const ip = clientAddress(request);
    if (path === null || ip === undefined) return;
    // Refused requests (allow-list, a phone's config lock, bad names) are not recorded, as over TFTP:
    // they come from a host that may not have the file, so they are no fetch of that phone.
    if (reply.statusCode === 403) return;
    const status = reply.statusCode < 300 ? 'ok' : reply.statusCode === 404 ? 'missing' : 'error';
    recordFetch(ctx, { via: 'http', ip, path: normaliseRequestName(path) ?? path, status });
    if (status === 'missing') await reportMissingFirmware(ctx, normaliseRequestName(path) ?? path, ip);
  });

  app.get('/*', async (request, reply) => {
    const raw = decodePath(request.url);
    const name = raw === null ? null : normaliseRequestName(raw);
    if (name === null) return reply.code(403).type('text/plain').send('Access violation\n');
    const client = clientFromRemote({ address: request.ip, port: request.socket.remotePort ?? 0 });
    for (const provider of providers) {
      const file = await provider.resolve(name, client);
      if (!file) continue;
      try {
        if (file.lockedTo !== undefined && normaliseAddress(file.lockedTo) !== client.address) {
          request.log.warn({ file: name, client: client.address, lockedTo: file.lockedTo }, 'provisioning file locked to another address (server.tftp.lockConfigToIp)');
          return reply.code(403).type('text/plain').send('Access violation\n');
        }
        const body = Buffer.from(await file.read(0, file.size));
        return reply.type(contentType(name)).send(body);
      } finally {
        await file.close?.();
      }
    }
    const found = await resolveStatic(realRoot, name);
    if (found.status === 'missing') return reply.code(404).type('text/plain').send('File not found\n');
    if (found.status === 'denied') return reply.code(403).type('text/plain').send('Access violation\n');
    return reply.sendFile(relative(realRoot, found.path), realRoot);
  });
  return app;
}
