/**
 * Time limits of the HTTP servers (phone services and the owner's page, provisioning port 6970),
 * so a client that connects and sends nothing, or sends slowly, does not hold a socket for ever.
 * Node checks them every 30 s (`connectionsCheckingInterval`), so a cut comes up to that late.
 * Live-event streams are not cut: the request of a stream has long been received.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/** To receive the request headers. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** To receive a whole request, body included (a base64 picture for `POST /api/push` on a slow link). */
export const REQUEST_TIMEOUT_MS = 60_000;
/** An idle kept-alive connection is closed after this. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/** Options for `Fastify()`. */
export const SERVER_TIMEOUTS: Pick<FastifyServerOptions, 'requestTimeout' | 'keepAliveTimeout'> = {
  requestTimeout: REQUEST_TIMEOUT_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
};

/** The one limit Fastify takes no option for. */
export function limitHeaderTime(app: FastifyInstance): void {
  app.server.headersTimeout = HEADERS_TIMEOUT_MS;
}
