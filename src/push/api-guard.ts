/**
 * What every bearer-token API route shares (`POST /api/push`, `/api/announce`): the token check
 * with its throttle and the cross-site refusal, and a body validator that refuses unknown fields.
 */
import type { ErrorObject } from 'ajv';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { strictBodies } from '../body-validators.js';
import type { AppContext } from '../context.js';
import { blockedMessage } from '../failure-throttle.js';
import { firstHeader, OWNER_HEADERS, originProblem, sendOwnerRefusal } from '../web/owner-guard.js';
import { sameSecret } from './credentials.js';

function schemaMessage(errors: ErrorObject[]): string {
  const e = errors[0];
  if (!e) return 'invalid body';
  const where = e.instancePath ? `body${e.instancePath.replace(/\//g, '.')}` : 'body';
  if (e.keyword === 'additionalProperties') return `${where}: unknown property "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'required') return `${where}: "${String(e.params.missingProperty)}" is required`;
  if (e.instancePath === '/phone' || e.instancePath === '/phones') return `${where}: a phone name or "all", or a list of them`;
  // A JSON body sent as text/plain (e.g. a rest_command without content_type) arrives as a string.
  if (e.instancePath === '' && e.keyword === 'type') return 'body must be a JSON object sent with Content-Type: application/json';
  return `${where} ${e.message ?? 'is invalid'}`;
}

/**
 * Route options: validate the body with the strict validator and one-line messages. Fastify's own
 * validator drops unknown properties silently; this one refuses them, so a typo such as `txt` gets
 * a clear 400 instead of "nothing to push".
 */
export const strictBody = {
  validatorCompiler: strictBodies,
  schemaErrorFormatter: (errors: unknown) => new Error(schemaMessage(errors as ErrorObject[])),
};

/** Room for the rest of a JSON body beside its base64 file (push picture, announcement WAV). */
const BODY_BESIDE_FILE_BYTES = 64 * 1024;

/** The body limit of an API whose JSON carries a file of up to `fileBytes`, base64-encoded. */
export function bodyLimitWithFile(fileBytes: number): number {
  return Math.ceil((fileBytes * 4) / 3) + BODY_BESIDE_FILE_BYTES;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}

/**
 * The onRequest hook of an API route: `Authorization: Bearer <api.token>` (constant-time), wrong
 * tokens counted per address (429 once blocked), no cross-site browser requests. The token is read
 * from the config in force at each request, so a reload that changes or removes it applies at once;
 * without `api.token` the API does not exist (the not-found handler answers 404).
 */
export function apiGuard(ctx: AppContext, what: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const token = ctx.config.api?.token;
    if (!token) return reply.callNotFound();
    reply.headers(OWNER_HEADERS);
    if (ctx.throttle.isBlocked(request.ip)) return sendOwnerRefusal(request, reply, 429, 'Too many wrong tokens from this address: try again in a minute.');
    const given = bearerToken(request);
    if (given === undefined || !sameSecret(given, token)) {
      request.log.warn({ ip: request.ip }, `${what}: missing or wrong token`);
      if (given !== undefined && ctx.throttle.fail(request.ip)) request.log.warn({ ip: request.ip }, blockedMessage(request.ip, 'API tokens'));
      return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'missing or wrong bearer token' });
    }
    const crossSite = originProblem(request.method, firstHeader(request.headers.origin), request.headers.host);
    if (crossSite) return sendOwnerRefusal(request, reply, 403, crossSite);
    return undefined;
  };
}
