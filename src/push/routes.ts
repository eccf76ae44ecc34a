import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { blockedMessage } from '../failure-throttle.js';
import { sendPhoneObject } from '../http/phone-reply.js';
import { pushActionProblem, type PushAction } from './action.js';
import { authQuery, decideAuthentication } from './authenticate.js';
import { apiGuard, bodyLimitWithFile, strictBody } from './api-guard.js';
import { IMAGE_MAX_BYTES, readImageInput } from './image.js';
import { OBJECT_ID } from './object-store.js';
import { pushToPhones } from './push.js';
import { ImageInputError } from '../errors.js';
import { pushApiBody } from '../generated/api-bodies.js';
import type { PushApiBody } from './body-schema.js';

/**
 * usecallmanager.nz phone-services: exactly the word, no newline; 69xx choke on extra headers
 * (UPLINX), so only the ones a parser needs. `Connection: close` keeps Node from adding a
 * `Keep-Alive` header; the phone asks once per push.
 */
function answerPhone(reply: FastifyReply, status: number, word: string): void {
  const body = Buffer.from(word, 'ascii');
  reply.hijack();
  reply.raw.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': body.length, Connection: 'close' });
  reply.raw.end(body);
}

/** `GET /authenticate` (authenticationURL), `GET /push/object/:id` and `POST /api/push`. */
export const pushRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const store = ctx.pushObjects;
  store.served = true;

  app.get('/authenticate', async (request, reply) => {
    // A throttled address is refused without checking (and without a line per attempt).
    if (ctx.throttle.isBlocked(request.ip)) return answerPhone(reply, 200, 'UNAUTHORIZED');
    const query = authQuery(request.url);
    const decision = decideAuthentication(ctx, query);
    if (decision.answer !== 'AUTHORIZED') {
      const user = query.UserID;
      request.log.warn(
        { phone: decision.device, ip: request.ip, user: typeof user === 'string' ? user.slice(0, 40) : undefined, reason: decision.reason },
        'push authentication refused',
      );
      if (ctx.throttle.fail(request.ip)) request.log.warn({ ip: request.ip }, blockedMessage(request.ip, 'push credentials'));
    }
    answerPhone(reply, 200, decision.answer);
  });

  app.get<{ Params: { id: string } }>('/push/object/:id', async (request, reply) => {
    const stored = OBJECT_ID.test(request.params.id) ? store.get(request.params.id) : undefined;
    if (!stored) return reply.callNotFound();
    if (stored.kind === 'object') return sendPhoneObject(request, reply, stored.object, { transient: true });
    return reply.type(stored.contentType).header('Content-Length', stored.body.length).send(stored.body);
  });

  app.post<{ Body: PushApiBody }>(
    '/api/push',
    {
      config: { audience: 'owner' },
      bodyLimit: bodyLimitWithFile(IMAGE_MAX_BYTES),
      schema: { body: pushApiBody },
      ...strictBody,
      onRequest: apiGuard(ctx, 'push API'),
    },
    async (request, reply) => {
      const { phone, image, ...rest } = request.body;
      let action: PushAction = rest;
      if (image !== undefined) {
        try {
          action = { ...rest, image: await readImageInput(image) };
        } catch (err) {
          if (err instanceof ImageInputError) return reply.code(400).send({ error: err.message });
          throw err;
        }
      }
      const problem = pushActionProblem(action);
      if (problem) return reply.code(400).send({ error: problem });
      const results = await pushToPhones(ctx, phone, action);
      return reply.send({ ok: results.length > 0 && results.every((r) => r.ok), results });
    },
  );
};
