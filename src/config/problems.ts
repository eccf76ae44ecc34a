export interface ConfigProblem {
  /** Where, as a user reads it: `phones[1].mac`. Empty for the whole file. */
  path: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** ['phones', 1, 'mac'] → `phones[1].mac` */
export function formatPath(segments: readonly (string | number)[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' || /^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

/** A JSON pointer (`/phones/1/mac`) as a user-facing path. */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return formatPath(pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));
}
