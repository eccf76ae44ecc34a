/**
 * The client's address as it was when the request arrived. Node forgets a socket's remote
 * address once the socket closes, so a client that hangs up before its answer would otherwise be
 * recorded with no address (and erase its phone's known one). Hooks that run after the answer
 * read this instead of `request.ip`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { normaliseAddress } from '../tftp/clients.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's address when the request arrived (read it with clientAddress). */
    addressAtStart: string | undefined;
  }
}

/** Records every request's client address first thing (IPv4-mapped IPv6 given as plain IPv4). */
export function rememberClientAddress(app: FastifyInstance): void {
  app.decorateRequest('addressAtStart', undefined);
  app.addHook('onRequest', (request, _reply, done) => {
    request.addressAtStart = socketAddress(request.raw.socket);
    done();
  });
}

/** A connection's client address (IPv4-mapped IPv6 as plain IPv4); undefined once the socket is gone. */
export function socketAddress(socket: Socket): string | undefined {
  const ip = socket.remoteAddress;
  return ip === undefined ? undefined : normaliseAddress(ip);
}

/** The address recorded at the request's start; undefined only if the socket was gone already. */
export function clientAddress(request: FastifyRequest): string | undefined {
  return request.addressAtStart ?? socketAddress(request.raw.socket);
}
