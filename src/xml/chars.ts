/**
 * Characters XML 1.0 cannot carry (§2.2, production Char): C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF and surrogates that are not part of a pair. One such character in a contact's name
 * or an event's title makes a whole document unreadable (XML Error [4] on a phone, a failed SVG
 * render for the idle picture), so every text is passed through `xmlCharsOnly` before it is written
 * into XML, SVG or Pango markup.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without the characters XML 1.0 forbids (everything else is kept as it is). */
export function xmlCharsOnly(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}
