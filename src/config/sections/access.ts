import { Type } from '@sinclair/typebox';
import { Secret } from './common.js';

export const PushSection = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    password: Secret('Credentials the phones accept pushes with (checked at /authenticate)'),
    timeout: Type.Optional(Type.Integer({ minimum: 1, default: 10, description: 'Seconds to wait for a phone' })),
  },
  { additionalProperties: false },
);

export const ApiSection = Type.Object(
  { token: Secret('Bearer token for POST /api/push; the API is off without one') },
  { additionalProperties: false },
);

export const AdminSection = Type.Object(
  {
    username: Type.String({ default: 'admin' }),
    password: Type.Optional(Secret('Web page password; without one the page answers on loopback only')),
  },
  { default: {}, additionalProperties: false },
);
