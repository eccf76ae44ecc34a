/**
 * The body of `POST /api/announce`, for its type; the server reads the JSON copy that
 * scripts/generate.ts writes to src/generated/api-bodies.ts (TypeBox stays
 * out of the started server).
 */
import { Type, type Static } from '@sinclair/typebox';
import { PhoneRef } from '../push/body-schema.js';
import { SAY_TEXT_MAX } from './audio.js';

export const AnnounceApiBody = Type.Object(
  {
    phones: Type.Union([PhoneRef, Type.Array(PhoneRef, { minItems: 1, maxItems: 500 })], { description: '"all", a label, SEP…, a MAC, or a list of those' }),
    file: Type.Optional(Type.String({ minLength: 1, description: 'a WAV file in base64' })),
    ringtone: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    say: Type.Optional(Type.String({ minLength: 1, maxLength: SAY_TEXT_MAX })),
    volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type AnnounceApiBody = Static<typeof AnnounceApiBody>;
