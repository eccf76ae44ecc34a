/**
 * The one query-string parser for phone URLs. Phones append their own parameters to the URLs we
 * give them (QueryStringParam of an Input, the authenticationURL's UserID/Password/devicename),
 * and some firmware appends with `?` even when the URL already has a query
 * (`/directory/results?name=SEP…?q=2`): a `?` that starts a `key=` pair is read as `&`.
 * `+` is a space (application/x-www-form-urlencoded, WHATWG URL §5.1), as phones send it.
 */

export type PhoneQuery = Record<string, string | string[]>;

/** `?` in front of a parameter name followed by `=`: the phone's appended query. */
const APPENDED = /\?(?=[A-Za-z_][A-Za-z0-9_.-]*=)/g;

/** Parses the part after the first `?` of a URL; repeated names give arrays, as Fastify's default parser does. */
export function parsePhoneQuery(queryString: string): PhoneQuery {
  const out: PhoneQuery = Object.create(null) as PhoneQuery;
  for (const [key, value] of new URLSearchParams(queryString.replace(APPENDED, '&'))) {
    const seen = out[key];
    if (seen === undefined) out[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[key] = [seen, value];
  }
  return out;
}

/** The query of a request URL (path and query as the request line has them). */
export function queryOf(url: string): PhoneQuery {
  const at = url.indexOf('?');
  return parsePhoneQuery(at < 0 ? '' : url.slice(at + 1));
}
