import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Config } from './schema.js';
import { validate } from '../generated/config-validator.js';
import { pointerToPath, type ConfigProblem } from './problems.js';

/** The schema's validator, compiled ahead of time by scripts/generate.ts. */
const check = validate as unknown as ValidateFunction<Config>;

/** What a user should read for one schema error, next to its path. */
function describe(error: ErrorObject): string {
  const value = error.data;
  switch (error.keyword) {
    case 'format':
      return error.params['format'] === 'mac'
        ? `${JSON.stringify(value)} is not a MAC address`
        : `${JSON.stringify(value)} is not a valid ${String(error.params['format'])}`;
    case 'enum':
      return `${JSON.stringify(value)} is not one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'additionalProperties':
      return `unknown key "${String(error.params['additionalProperty'])}"`;
    case 'required':
      return `missing required key "${String(error.params['missingProperty'])}"`;
    case 'discriminator':
      return error.params['error'] === 'mapping'
        ? `type ${JSON.stringify(error.params['tagValue'])} is not known`
        : 'needs a "type"';
    case 'pattern':
      return `${JSON.stringify(value)} does not have the expected form`;
    default:
      return error.message ?? 'is not valid';
  }
}


/**
 * Validates a parsed document against the schema, filling in defaults in place.
 * Returns the problems, one per mistake, each with the path a user can find in the file.
 */
export function validateConfig(document: unknown): { config?: Config; problems: ConfigProblem[] } {
  if (check(document)) return { config: document, problems: [] };
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const error of check.errors ?? []) {
    // A discriminated union reports the branch's own errors; the oneOf summary adds nothing.
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
    const problem = { path: pointerToPath(error.instancePath), message: describe({ ...error, data: valueAt(document, error.instancePath) }) };
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return { problems };
}

function valueAt(document: unknown, pointer: string): unknown {
  let current: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current && typeof current === 'object') current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
}
