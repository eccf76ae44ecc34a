import path from 'node:path';

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  discriminator?: { propertyName: string };
  const?: unknown;
  'x-path'?: boolean;
}

/** The branch of a union that describes this value (by its discriminator, else the first object branch). */
function branchFor(node: SchemaNode, value: unknown): SchemaNode | undefined {
  const branches = node.oneOf ?? node.anyOf;
  if (!branches) return node;
  const tag = node.discriminator?.propertyName;
  if (tag && value && typeof value === 'object') {
    const wanted = (value as Record<string, unknown>)[tag];
    return branches.find((b) => b.properties?.[tag]?.const === wanted);
  }
  return branches.find((b) => b.type === typeof value || (b.type === 'object' && typeof value === 'object'));
}

/** Resolves, in place, every value whose schema is marked `x-path` against `baseDir`. */
export function resolvePaths(schema: SchemaNode, value: unknown, baseDir: string): unknown {
  const node = branchFor(schema, value);
  if (!node) return value;
  if (node['x-path'] && typeof value === 'string') return path.resolve(baseDir, value);
  if (Array.isArray(value) && node.items) {
    return value.map((v) => resolvePaths(node.items!, v, baseDir));
  }
  if (value && typeof value === 'object' && node.properties) {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(node.properties)) {
      if (key in record) record[key] = resolvePaths(child, record[key], baseDir);
    }
  }
  return value;
}
