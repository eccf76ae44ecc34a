/**
 * The content-line grammar vCard and iCalendar share (RFC 6350 §3.2-3.3, RFC 5545 §3.1):
 * folded lines, and `name;param=value:value` with colons allowed inside quoted parameter values.
 */

/** Splits a content line at its value colon (colons inside quoted parameter values do not count). */
export function splitContentLine(line: string): [string, string] | undefined {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return [line.slice(0, i), line.slice(i + 1)];
  }
  return undefined;
}

/**
 * Unfolding: a line starting with a space or a TAB continues the one before. Any line ending is
 * accepted; empty lines are dropped first (old Mozilla calendars wrote one inside each folded
 * line). Each logical line comes with the number of its first physical line, for warnings.
 */
export function unfoldLines(text: string): { line: string; at: number }[] {
  const out: { line: string; at: number }[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((physical, i) => {
      if (physical === '') return;
      const last = out[out.length - 1];
      if (last && (physical.startsWith(' ') || physical.startsWith('\t'))) last.line += physical.slice(1);
      else out.push({ line: physical, at: i + 1 });
    });
  return out;
}
