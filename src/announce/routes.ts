/** `POST /api/announce` (start; 202 with the per-phone results and an id) and `DELETE /api/announce/:id`. */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { AnnounceSourceError, SpeechUnavailableError } from '../errors.js';
import { apiGuard, bodyLimitWithFile, strictBody } from '../push/api-guard.js';
import type { PushTargets } from '../push/push.js';
import { announceApiBody } from '../generated/api-bodies.js';
import { ANNOUNCEMENT_ID } from './announcer.js';
import type { AnnounceSource } from './audio.js';
import type { AnnounceApiBody } from './body-schema.js';

/** Largest WAV file `POST /api/announce` takes (decoded from base64). */
export const ANNOUNCE_WAV_MAX_BYTES = 16 * 1024 * 1024;

/** The one sound a body asks for, or why it asks for none or several. */
export function sourceOf(body: { file?: string | Buffer; ringtone?: string; say?: string }): AnnounceSource | { problem: string } {
  const given = (['file', 'ringtone', 'say'] as const).filter((k) => body[k] !== undefined);
  if (given.length !== 1) return { problem: `give exactly one of file, ringtone and say${given.length ? ` (got ${given.join(', ')})` : ''}` };
  if (body.file !== undefined) return { file: typeof body.file === 'string' ? Buffer.from(body.file, 'base64') : body.file };
  return body.ringtone !== undefined ? { ringtone: body.ringtone } : { say: body.say! };
}

export const announceRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const onRequest = apiGuard(ctx, 'announce API');

  app.post<{ Body: AnnounceApiBody }>(
    '/api/announce',
    {
      config: { audience: 'owner' },
      bodyLimit: bodyLimitWithFile(ANNOUNCE_WAV_MAX_BYTES),
      schema: { body: announceApiBody },
      ...strictBody,
      onRequest,
    },
    async (request, reply) => {
      const { phones, volume, ...rest } = request.body;
      return startReply(ctx, reply, phones, rest, volume);
    },
  );

  app.delete<{ Params: { id: string } }>('/api/announce/:id', { config: { audience: 'owner' }, onRequest }, async (request, reply) => stopReply(ctx, reply, request.params.id));
};

/**
 * Starts an announcement and answers for it (the API and the web page): 202 with the per-phone
 * results and the id; 400 for a missing or unusable sound, 503 without espeak-ng.
 */
export async function startReply(
  ctx: AppContext,
  reply: FastifyReply,
  phones: PushTargets,
  sound: { file?: string; ringtone?: string; say?: string },
  volume: number | undefined,
): Promise<FastifyReply> {
  const source = sourceOf(sound);
  if ('problem' in source) return reply.code(400).send({ error: source.problem });
  try {
    const started = await ctx.announcements.start({ phones, source, ...(volume !== undefined ? { volume } : {}) });
    const ok = started.results.length > 0 && started.results.every((r) => r.ok);
    return reply.code(202).send({ ok, ...started });
  } catch (err) {
    if (err instanceof AnnounceSourceError) return reply.code(400).send({ error: err.message, code: err.code });
    if (err instanceof SpeechUnavailableError) return reply.code(503).send({ error: err.message, code: err.code });
    throw err;
  }
}

/** Stops an announcement: 200, or 404 for an id that names none. */
export async function stopReply(ctx: AppContext, reply: FastifyReply, id: string): Promise<FastifyReply> {
  if (!ANNOUNCEMENT_ID.test(id) || !(await ctx.announcements.stop(id))) return reply.code(404).send({ error: `no announcement ${id}` });
  return reply.send({ stopped: true, id });
}
