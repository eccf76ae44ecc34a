import { Type, type Static, type TObject, type TString, type TUnion, type TUnsafe } from '@sinclair/typebox';
import { LANGUAGES } from '../../i18n/messages.js';

/** A filesystem path; relative values are resolved against the config file's folder. */
export function PathString(description: string, defaultValue?: string): TString {
  return Type.String({ minLength: 1, description, 'x-path': true, ...(defaultValue !== undefined ? { default: defaultValue } : {}) });
}

/** A duration: seconds as a number, or a string such as `90s`, `5m`, `1h`. */
export const Duration = Type.Union(
  [Type.Number({ minimum: 1 }), Type.String({ pattern: '^[0-9]+(s|m|h)$' })],
  { description: 'Seconds, or a number with s, m or h (`30s`, `5m`, `1h`)' },
);

/** A secret: never logged, masked on the web page. `${VAR}` takes it from the environment. */
export function Secret(description: string, options: { maxLength?: number } = {}): TString {
  return Type.String({ description, 'x-secret': true, ...options });
}

/** One of a few strings; validation errors then list the allowed values. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { default?: T[number]; description?: string } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** Objects told apart by their `type` property (Ajv's discriminator gives one clear error per mistake). */
export function Tagged<T extends TObject[]>(branches: [...T]): TUnsafe<Static<TUnion<T>>> {
  return Type.Unsafe<Static<TUnion<T>>>({
    type: 'object',
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: branches,
  });
}

export const Language = StringEnum(LANGUAGES, { description: 'Language of every text a phone shows' });
