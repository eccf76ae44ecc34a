import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppContext } from './context.js';
import { coreText } from './i18n/core-messages.js';
import { idleRoutes } from './idle/routes.js';
import { maskUrl } from './logger.js';
import { pushRoutes } from './push/routes.js';
import { announceRoutes } from './announce/routes.js';
import { isPreviewRequest } from './http/preview-marker.js';
import { webRoutes } from './web/routes.js';
import { clientAddress, rememberClientAddress, socketAddress } from './http/client-address.js';
import { writeCanonicalHeaderNames } from './http/header-case.js';
import { identifyPhone, type PhoneView } from './http/identify.js';
import { parsePhoneQuery } from './http/phone-query.js';
import { limitedServer } from './http/server-timeouts.js';
import { requestRecorder } from './http/request-record.js';
import { sendPhoneText } from './http/phone-reply.js';
import { discoverServices, type ServiceDefinition } from './http/services.js';
import { servicesMenu } from './http/services-menu.js';
import './http/types.js';
import { perConfig } from './config/per-config.js';
import { defaultTimeZone as configuredTimeZone } from './config/time-zone.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes for people and programs (web page, JSON API) answer errors in JSON, not as phone screens. */
    audience?: 'owner';
  }
}

export interface AppOptions {
  /** The phone services to mount (default: those found in services/). */
  services?: ServiceDefinition[];
}

/** The HTTP side: phone services, the Services menu, the idle screen, push and the owner's page. */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const record = requestRecorder(ctx);
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    // One line per request is written by our own record (phone, path, status, ms).
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request (a pino child per phone request costs more than the route):
    // a request's lines carry its phone and path instead of a request id.
    childLoggerFactory: (logger) => logger,
    routerOptions: { maxParamLength: 256, querystringParser: parsePhoneQuery },
    bodyLimit: 1024 * 1024,
    // A request a route has answered before, and whose answer is still current, is answered
    // from ctx.keptReplies before routing (src/http/kept-replies.ts), and recorded the same way.
    serverFactory: (handler) =>
      limitedServer((req, res) => {
        const started = performance.now();
        const kept = ctx.keptReplies.answer(req, res);
        if (!kept) return handler(req, res);
        record({
          name: kept.view.name,
          model: kept.view.caps.id,
          ip: socketAddress(req.socket),
          method: 'GET',
          url: req.url!,
          status: kept.status,
          ms: Math.round(performance.now() - started),
          byPhone: true,
        });
      }),
  });
  app.decorate('ctx', ctx);
  app.decorateRequest('phone', null as unknown as PhoneView);

  rememberClientAddress(app);
  const defaultTimeZone = perConfig(() => ctx.config, () => configuredTimeZone(ctx.config));
  app.addHook('onRequest', (request, reply, done) => {
    if (!isOwnerRequest(request)) writeCanonicalHeaderNames(reply.raw);
    request.phone = identifyPhone(
      { query: (request.query ?? {}) as Record<string, unknown>, headers: request.headers },
      ctx.inventory,
      defaultTimeZone(),
    );
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    record({
      name: request.phone?.name,
      model: request.phone?.caps.id,
      ip: clientAddress(request),
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      // The web page's screen preview is not the phone itself: it must not move its address.
      byPhone: !request.routeOptions.config?.audience && !isPreviewRequest(request.headers),
    });
    done();
  });

  app.setErrorHandler((error: FastifyError, request, reply) => answerError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    if (isOwnerRequest(request)) return reply.code(404).send({ error: 'not found' });
    const view = request.phone;
    // 200 + a Text screen, like every other error: a 404 shows only the phone's own "HTTP Error".
    return sendPhoneText(request, reply, coreText(view.language, 'errorTitle'), coreText(view.language, 'notFound'));
  });

  const services = options.services ?? (await discoverServices());
  await app.register(servicesMenu(services));
  for (const service of services) await app.register(service.plugin);
  await app.register(idleRoutes);
  await app.register(pushRoutes);
  await app.register(announceRoutes);
  await app.register(webRoutes);
  return app;
}

function isOwnerRequest(request: FastifyRequest): boolean {
  return request.routeOptions.config?.audience === 'owner' || request.url.startsWith('/api/');
}

/** Any error inside a handler: logged with its request, shown to a phone as a short text in its language. */
function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error, path: maskUrl(request.url), phone: request.phone?.name }, 'handler failed');
  else request.log.warn({ path: maskUrl(request.url), phone: request.phone?.name, status, reason: error.message }, 'bad request');
  if (isOwnerRequest(request)) return reply.code(status).send({ error: status === 500 ? 'internal error' : error.message });
  const view = request.phone;
  // A phone shows 200 + a text object; an HTTP error code would only show "HTTP Error [8]".
  return sendPhoneText(request, reply, coreText(view.language, 'errorTitle'), coreText(view.language, 'errorText'));
}
