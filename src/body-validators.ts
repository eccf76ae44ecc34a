/**
 * Validators for request bodies (the owner page's actions, the push and announce APIs) that load
 * Ajv and compile a route's schema with that route's first request, not at start: done at start,
 * those few schemas took about 0.3 s and 17 MB (bench/RESULTS.md, "Memory and start").
 */
import { createRequire } from 'node:module';
import type { Ajv, Options } from 'ajv';
import type { FastifySchemaValidationError } from 'fastify';

const require = createRequire(import.meta.url);

/** What fastify calls: true, or false with the reasons in `errors`. */
export interface BodyCheck {
  (data: unknown): boolean;
  errors?: FastifySchemaValidationError[] | null;
}

/** A fastify `validatorCompiler`: every validator it hands out compiles its schema when first called. */
function compiledOnFirstUse(options: Options): (route: { schema: object }) => BodyCheck {
  let ajv: Ajv | undefined;
  return ({ schema }) => {
    let check: BodyCheck | undefined;
    const validate: BodyCheck = (data) => {
      ajv ??= new (require('ajv') as typeof import('ajv')).Ajv(options);
      check ??= ajv.compile(schema) as BodyCheck;
      const ok = check(data);
      validate.errors = check.errors;
      return ok;
    };
    return validate;
  };
}

/** Fastify's own defaults (@fastify/ajv-compiler): types coerced, defaults filled in, unknown properties dropped. */
export const lenientBodies = compiledOnFirstUse({ coerceTypes: 'array', useDefaults: true, removeAdditional: true, allErrors: false });

/** Unknown properties refused, nothing coerced: a typo such as `txt` gets a clear 400. */
export const strictBodies = compiledOnFirstUse({ allErrors: false, coerceTypes: false, useDefaults: false, removeAdditional: false });
