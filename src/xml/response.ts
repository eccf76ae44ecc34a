/**
 * Reading what a phone answers to a push (CiscoIPPhoneResponse or CiscoIPPhoneError, Cisco
 * developer notes). Phones have been seen to send duplicated XML declarations, raw '&' and
 * `encoding=""` (comments in Cisco's CUAE SendExecute), so this reads the elements and attributes
 * it needs with a tolerant scanner instead of an XML parser.
 */

export type PhoneReply =
  | { kind: 'Response'; items: { status: number; data: string; url: string }[] }
  | { kind: 'Error'; number: number; message: string }
  | { kind: 'Unknown'; body: string };

const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+))/g;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6}));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the entities it recognises and leaves anything else (a raw '&') as it stands. */
function decodeEntities(s: string): string {
  return s.replace(ENTITY, (whole, name?: string, dec?: string, hex?: string) => {
    if (name) return NAMED[name] ?? whole;
    const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Attributes of one start tag, keyed by lower-cased name (phones are not consistent). */
function attributes(tagBody: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tagBody.matchAll(ATTRIBUTE)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

function toInt(value: string | undefined): number {
  const n = Number.parseInt((value ?? '').trim(), 10);
  return Number.isNaN(n) ? -1 : n;
}

// A start tag whose attribute values may contain '>' (quoted values are skipped over as a whole).
function startTags(body: string, name: string): RegExpMatchArray[] {
  return [...body.matchAll(new RegExp(`<${name}\\b((?:"[^"]*"|'[^']*'|[^'">])*)>`, 'gi'))];
}

/**
 * The phone's reply as a Response (one item per ResponseItem, Status -1 when unreadable), an Error
 * (Number and the optional message text), or Unknown with the body as received.
 */
export function parsePhoneReply(body: string): PhoneReply {
  const text = String(body ?? '');
  if (/<CiscoIPPhoneResponse\b/i.test(text)) {
    const items = startTags(text, 'ResponseItem').map((m) => {
      const attrs = attributes((m[1] ?? '').replace(/\/\s*$/, ''));
      return { status: toInt(attrs.get('status')), data: attrs.get('data') ?? '', url: attrs.get('url') ?? '' };
    });
    return { kind: 'Response', items };
  }
  const error = startTags(text, 'CiscoIPPhoneError')[0];
  if (error) {
    const tag = error[1] ?? '';
    const selfClosing = /\/\s*$/.test(tag);
    const attrs = attributes(tag.replace(/\/\s*$/, ''));
    const after = text.slice((error.index ?? 0) + error[0].length);
    const end = after.search(/<\/CiscoIPPhoneError\s*>/i);
    const message = selfClosing ? '' : decodeEntities((end < 0 ? after : after.slice(0, end)).replace(/<[^>]*>/g, '')).trim();
    return { kind: 'Error', number: toInt(attrs.get('number')), message };
  }
  return { kind: 'Unknown', body: text };
}
