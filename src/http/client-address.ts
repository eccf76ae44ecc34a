/**
 * The client's address as it was when the request arrived. Node forgets a socket's remote
 * address once the socket closes, so a client that hangs up before its answer would otherwise be
 * recorded with no address (and erase its phone's known one). Hooks that run after the answer
 * read this instead of `request.ip`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normaliseAddress } from '../tftp/clients.js';

const atStart = new WeakMap<FastifyRequest, string>();

/** Records every request's client address first thing (IPv4-mapped IPv6 given as plain IPv4). */
export function rememberClientAddress(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const ip = request.ip;
    if (ip !== undefined) atStart.set(request, normaliseAddress(ip));
  });
}

/** The address recorded at the request's start; undefined only if the socket was gone already. */
export function clientAddress(request: FastifyRequest): string | undefined {
  return atStart.get(request) ?? (request.ip === undefined ? undefined : normaliseAddress(request.ip));
}
