import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { macFromDeviceName } from '../config/mac.js';
import { queryOf } from '../http/phone-query.js';
import { ringtoneFileNames } from '../media/index.js';
import { deviceConfigFile } from '../phones/families.js';
import { FALLBACK_MODEL, getModel, isModelId } from '../phones/models.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { renderVirtualFile } from '../provisioning/virtual-files.js';
import { pushToPhones, type PushAction } from '../push/index.js';
import { startReply, stopReply } from '../announce/routes.js';
import { SAY_TEXT_MAX } from '../announce/audio.js';
import { blockedMessage } from '../failure-throttle.js';
import { decideAccess } from './access.js';
import { firstHeader, OWNER_HEADERS, originProblem, sendOwnerRefusal } from './owner-guard.js';
import { clientAddress } from '../http/client-address.js';
import { isPreviewRequest } from '../http/preview-marker.js';
import { MAX_STREAMS, MAX_STREAMS_PER_CLIENT, StreamSlots } from './stream-slots.js';
import { forwardEvents, sseSink } from './events.js';
import { health } from './health.js';
import { phoneEditRoutes } from './phone-edit-routes.js';
import { modelRows, phoneRows } from './phones.js';
import { fetchAsPhone, previewPathProblem } from './preview.js';
import { scrubSecrets, secretValues } from './secrets.js';
import { defaultTimeZone } from '../config/time-zone.js';
import { perConfig } from '../config/per-config.js';
import { lenientBodies } from '../body-validators.js';

/** Static files of the page (HTML, CSS, plain JS modules; no build step). */
export const WEB_ASSETS = path.join(PACKAGE_ROOT, 'assets', 'web');
const HEARTBEAT_MS = 15_000;
const owner = { audience: 'owner' } as const;

/** The schema of an action's body: `phone` and these fields, nothing else. */
function phoneBody(properties: Record<string, object>) {
  return {
    body: { type: 'object', required: ['phone'], additionalProperties: false, properties: { phone: { type: 'string', minLength: 1, maxLength: 64 }, ...properties } },
  };
}

/** The owner's web page at `/` and its JSON API under `/api/ui/`. */
export const webRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const secrets = perConfig(() => ctx.config, () => secretValues(ctx.config));
  const scrub = <T>(value: T): T => scrubSecrets(value, secrets());
  const streams = new Set<() => void>();
  const slots = new StreamSlots();

  // Every route of this plugin (page, assets, API) sits behind the same door.
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(OWNER_HEADERS);
    const refuse = (status: number, message: string) => sendOwnerRefusal(request, reply, status, message);
    // The screen preview fetches phone pages from the app itself: never an owner route.
    if (isPreviewRequest(request.headers)) return refuse(403, 'The screen preview shows phone pages only.');
    const withPassword = Boolean(ctx.config.admin.password);
    if (withPassword && ctx.throttle.isBlocked(request.ip)) return refuse(429, 'Too many wrong passwords from this address: try again in a minute.');
    const decision = decideAccess(ctx.config.admin, { ip: request.ip, headers: request.headers, publicUrl: ctx.config.server.publicUrl });
    if (!decision.ok) {
      if (decision.wrongPassword && ctx.throttle.fail(request.ip)) request.log.warn({ ip: request.ip }, blockedMessage(request.ip, 'admin passwords'));
      if (decision.status === 401) reply.header('WWW-Authenticate', 'Basic realm="ciscophone", charset="UTF-8"');
      return refuse(decision.status, decision.message);
    }
    const crossSite = originProblem(request.method, firstHeader(request.headers.origin), request.headers.host);
    if (crossSite) return refuse(403, crossSite);
  });
  // Whatever an answer holds, no configured secret leaves in it.
  app.addHook('preSerialization', async (_request, _reply, payload) => scrub(payload));
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  await app.register(fastifyStatic, { root: WEB_ASSETS, prefix: '/ui/', index: false, cacheControl: false });
  app.get('/', { config: owner }, async (_request, reply) => reply.header('Cache-Control', 'no-cache').sendFile('index.html'));

  app.get('/api/ui/phones', { config: owner }, async () => ({
    publicUrl: ctx.config.server.publicUrl,
    // The zone a bare model's preview is drawn in (the same default the phone services use).
    timeZone: defaultTimeZone(ctx.config),
    phones: phoneRows(ctx),
    models: modelRows(),
  }));

  app.get('/api/ui/health', { config: owner }, async () => health(ctx));
  await app.register(phoneEditRoutes);

  app.get<{ Querystring: { path?: string; model?: string } }>('/api/ui/preview', { config: owner }, async (request, reply) => {
    const target = request.query.path ?? '';
    const problem = previewPathProblem(target);
    if (problem) return reply.code(400).send({ error: problem });
    const name = queryOf(target)['name'];
    const phone = typeof name === 'string' && macFromDeviceName(name) ? ctx.inventory.byDeviceName(name) : undefined;
    const model = request.query.model;
    const caps = phone?.caps ?? (model && isModelId(model) ? getModel(model) : FALLBACK_MODEL);
    try {
      return await fetchAsPhone(app, target, caps, phone?.language ?? 'en');
    } catch (err) {
      // What a phone sees when the connection fails (Cisco developer notes, "Troubleshooting").
      request.log.warn({ err: (err as Error).message }, 'preview fetch failed');
      return { status: 0, headers: { contentType: '' }, body: '', encoding: 'text', model: caps.id, failed: true };
    }
  });

  app.get('/api/ui/events', { config: owner }, (request, reply) => {
    const free = slots.take(clientAddress(request) ?? '');
    if (!free) {
      return reply.code(429).send({ error: `too many live-event streams (at most ${MAX_STREAMS_PER_CLIENT} per address, ${MAX_STREAMS} in all): close other tabs of this page` });
    }
    reply.hijack();
    const sink = sseSink(reply.raw);
    const stop = forwardEvents(ctx, sink, scrub, HEARTBEAT_MS);
    const end = (): void => {
      free();
      streams.delete(end);
      stop();
      sink.close();
    };
    streams.add(end);
    request.raw.on('close', end);
  });

  app.get('/api/ui/ringtones', { config: owner }, async () => ({ ringtones: await ringtoneFileNames(ctx) }));

  app.post<{ Body: { phone: string; text?: string; title?: string; play?: string } }>(
    '/api/ui/push',
    {
      config: owner,
      validatorCompiler: lenientBodies,
      schema: phoneBody({
        text: { type: 'string', maxLength: 4000 },
        title: { type: 'string', maxLength: 32 },
        play: { type: 'string', maxLength: 64 },
      }),
    },
    async (request) => {
      const { phone, ...fields } = request.body;
      const action: PushAction = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''));
      return { results: await pushToPhones(ctx, phone, action) };
    },
  );

  app.post<{ Body: { phone: string; ringtone?: string; say?: string; volume?: number } }>(
    '/api/ui/announce',
    {
      config: owner,
      validatorCompiler: lenientBodies,
      schema: phoneBody({
        ringtone: { type: 'string', minLength: 1, maxLength: 128 },
        say: { type: 'string', minLength: 1, maxLength: SAY_TEXT_MAX },
        volume: { type: 'integer', minimum: 0, maximum: 100 },
      }),
    },
    async (request, reply) => {
      const { phone, volume, ...sound } = request.body;
      return startReply(ctx, reply, phone, sound, volume);
    },
  );
  app.delete<{ Params: { id: string } }>('/api/ui/announce/:id', { config: owner }, async (request, reply) => stopReply(ctx, reply, request.params.id));

  // A phone that moved: its next config fetch takes the lock again (from wherever it is now).
  app.delete<{ Params: { name: string } }>('/api/ui/phones/:name/lock', { config: owner }, async (request, reply) => {
    const phone = ctx.inventory.find(request.params.name);
    if (!phone) return reply.code(404).send({ error: 'no such phone in the config' });
    const held = ctx.configLocks.get(phone.name);
    if (!ctx.configLocks.release(phone.name)) return reply.code(404).send({ error: `${phone.name} holds no lock` });
    request.log.info({ phone: phone.name, was: held?.address }, 'config lock released from the web page');
    return { phone: phone.name, released: held?.address };
  });

  app.get<{ Querystring: { phone?: string } }>('/api/ui/config-file', { config: owner }, async (request, reply) => {
    const phone = request.query.phone ? ctx.inventory.find(request.query.phone) : undefined;
    if (!phone) return reply.code(404).send({ error: 'no such phone in the config' });
    const file = deviceConfigFile(phone.caps, phone.mac);
    const rendered = await renderVirtualFile(ctx, file, { mask: true });
    if (!rendered || rendered.kind !== 'file') return reply.code(404).send({ error: `${file} is not rendered` });
    const text = rendered.body.toString(rendered.contentType.includes('iso-8859-1') ? 'latin1' : 'utf8');
    return { phone: phone.name, file, contentType: rendered.contentType, text };
  });
};
