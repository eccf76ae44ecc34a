/**
 * Time limits of the HTTP servers (phone services and the owner's page, provisioning port 6970),
 * so a client that connects and sends nothing, or sends slowly, does not hold a socket for ever.
 * Node checks them every 30 s (`connectionsCheckingInterval`), so a cut comes up to that late.
 * Live-event streams are not cut: the request of a stream has long been received.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

/** To receive the request headers. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** To receive a whole request, body included (a base64 picture for `POST /api/push` on a slow link). */
export const REQUEST_TIMEOUT_MS = 60_000;
/** An idle kept-alive connection is closed after this. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * The HTTP server of an app, with these limits: Fastify's `serverFactory` (a server made there
 * gets none of Fastify's own timeout options, so every limit is set here, in one place).
 */
export function limitedServer(handler: RequestListener<typeof IncomingMessage, typeof ServerResponse>): Server {
  const server = createServer(handler);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}
