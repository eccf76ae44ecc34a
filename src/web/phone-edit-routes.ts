/**
 * `POST /api/ui/phones`, `PATCH` and `DELETE /api/ui/phones/<MAC>`: phones added, changed and
 * removed in the config file (`config/edit-phones.ts`), then put in force by a reload. Registered
 * inside the web page's plugin: the same owner checks as every `/api/ui/` route.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { phoneEntry, type PhoneChange, type PhoneInput } from '../config/edit-phones.js';
import { ConfigError, hasCode } from '../errors.js';
import { changePhones } from '../reload.js';
import { lenientBodies } from '../body-validators.js';

const owner = { audience: 'owner' } as const;
const text = { type: 'string', maxLength: 200 } as const;
const line = {
  type: 'object',
  required: ['number'],
  additionalProperties: false,
  properties: { number: text, authName: text, displayName: text, password: text },
} as const;
const fields = { model: text, label: text, lines: { type: 'array', maxItems: 8, items: line } } as const;
const addBody = { type: 'object', required: ['mac', 'model', 'lines'], additionalProperties: false, properties: { mac: text, ...fields } } as const;
const editBody = { type: 'object', additionalProperties: false, properties: fields } as const;

export const phoneEditRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;

  /** Applies the change; answers with the phone as the file now has it, or why not. */
  const apply = async (reply: FastifyReply, change: PhoneChange, mac: string, status: number): Promise<unknown> => {
    try {
      const config = await changePhones(ctx, change);
      if (status === 204) return reply.code(204).send();
      return reply.code(status).send(phoneEntry(config, mac));
    } catch (error) {
      if (error instanceof ConfigError) return reply.code(400).send({ error: 'the config would not be valid', problems: error.problems });
      if (hasCode(error, 'CISCOPHONE_PHONE_EXISTS') || hasCode(error, 'CISCOPHONE_CONFIG_READ_ONLY')) return reply.code(409).send({ error: (error as Error).message });
      if (hasCode(error, 'CISCOPHONE_PHONE_NOT_FOUND')) return reply.code(404).send({ error: (error as Error).message });
      throw error;
    }
  };

  app.post<{ Body: PhoneInput }>('/api/ui/phones', { config: owner, validatorCompiler: lenientBodies, schema: { body: addBody } }, async (request, reply) => {
    request.log.info({ mac: request.body.mac }, 'phone added from the web page');
    return apply(reply, { kind: 'add', phone: request.body }, request.body.mac, 201);
  });

  app.patch<{ Params: { mac: string }; Body: Partial<Omit<PhoneInput, 'mac'>> }>(
    '/api/ui/phones/:mac',
    { config: owner, validatorCompiler: lenientBodies, schema: { body: editBody } },
    async (request, reply) => {
      request.log.info({ mac: request.params.mac }, 'phone changed from the web page');
      return apply(reply, { kind: 'edit', mac: request.params.mac, phone: request.body }, request.params.mac, 200);
    },
  );

  app.delete<{ Params: { mac: string } }>('/api/ui/phones/:mac', { config: owner }, async (request, reply) => {
    request.log.info({ mac: request.params.mac }, 'phone removed from the web page');
    return apply(reply, { kind: 'remove', mac: request.params.mac }, request.params.mac, 204);
  });
};
