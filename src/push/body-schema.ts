/**
 * The body of `POST /api/push`, for its type; the server reads the JSON copy that
 * scripts/generate.ts writes to src/generated/api-bodies.ts (TypeBox stays
 * out of the started server).
 */
import { Type, type Static } from '@sinclair/typebox';
import { TEXT_MAX, TITLE_MAX } from './action.js';

export const PhoneRef = Type.String({ minLength: 1, maxLength: 64 });

export const PushApiBody = Type.Object(
  {
    phone: Type.Union([PhoneRef, Type.Array(PhoneRef, { minItems: 1, maxItems: 500 })], { description: '"all", a label, SEP…, a MAC, or a list of those' }),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: TEXT_MAX })),
    title: Type.Optional(Type.String({ maxLength: TITLE_MAX })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    dial: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    play: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    image: Type.Optional(Type.String({ minLength: 1, description: 'http(s) URL of a PNG/JPEG, or the picture in base64' })),
  },
  { additionalProperties: false },
);
export type PushApiBody = Static<typeof PushApiBody>;
