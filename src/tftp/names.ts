/**
 * Request-name normalisation (pure).
 *
 * Phones ask for `/mk-sip.jar`, `Desktops\320x196x4\List.xml` and the like, so
 * a leading `/` is dropped and `\` is read as `/`. Anything that could leave
 * the served tree (`..`, drive letters, control characters) is refused.
 */

/**
 * Turns a raw RRQ file name into a relative, `/`-separated path, or returns
 * null if the name must be refused (access violation).
 */
export function normaliseRequestName(raw: string): string | null {
  // NUL and other control characters never belong in a file name.
  if (raw === '' || /[\x00-\x1f\x7f]/.test(raw)) return null;
  const slashed = raw.replace(/\\/g, '/');
  // Windows drive paths (`C:/...`, `c:foo`) are absolute elsewhere: refuse.
  if (/^[A-Za-z]:/.test(slashed)) return null;
  const segments: string[] = [];
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return null;
    segments.push(segment);
  }
  return segments.length === 0 ? null : segments.join('/');
}

/** The MAC address in a `SEP<MAC>…`, `CTLSEP<MAC>…` or `ITLSEP<MAC>…` name, for logging misses. */
export function macFromName(name: string): string | null {
  const match = /(?:^|\/)(?:CTL|ITL)?SEP([0-9A-F]{12})\b/i.exec(name);
  return match ? match[1]!.toUpperCase() : null;
}
