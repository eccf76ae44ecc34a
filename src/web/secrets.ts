/**
 * The config's secrets (every value whose schema is marked `x-secret`: SIP, DAV, push, API and
 * admin passwords and tokens), and a scrubber that blanks them out of anything the page is sent.
 */
import { configSchema } from '../generated/config-validator.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  'x-secret'?: boolean;
}

export const REDACTED = '***';
/** Shorter values could match ordinary text (a line number); they are still never sent as fields. */
const MIN_SCRUB_LENGTH = 4;

function collect(node: SchemaNode, value: unknown, found: Set<string>): void {
  if (node['x-secret'] && typeof value === 'string' && value !== '') found.add(value);
  // Unions: every branch that describes an object may hold the secret.
  for (const branch of node.oneOf ?? node.anyOf ?? []) collect(branch, value, found);
  if (Array.isArray(value) && node.items) for (const v of value) collect(node.items, v, found);
  if (value && typeof value === 'object' && !Array.isArray(value) && node.properties) {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(node.properties)) if (key in record) collect(child, record[key], found);
  }
}

/** Every secret value of a config, longest first (so a secret containing another is blanked whole). */
export function secretValues(config: unknown): string[] {
  const found = new Set<string>();
  collect(configSchema as unknown as SchemaNode, config, found);
  return [...found].sort((a, b) => b.length - a.length);
}

/** A copy of `value` with every secret (of at least 4 characters) in any string replaced by `***`. */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const long = secrets.filter((s) => s.length >= MIN_SCRUB_LENGTH);
  if (long.length === 0) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return long.reduce((text, s) => text.split(s).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, scrub(x)]));
    }
    return v;
  };
  return scrub(value) as T;
}
