/**
 * Phone numbers and conference dial-ins in an event's text ("Dial-in: +49 30 1234567, PIN 4711",
 * Zoom/Teams one-tap numbers "+496971049922,,85712345678#", `tel:` links), turned into what a
 * `Dial:` URI sends: the number as the PBX needs it and, for a PIN, a pause (",") before it.
 */
import type { Dialer } from '../contacts/dialing.js';

export interface DialIn {
  /** The number as written in the event. */
  number: string;
  pin?: string;
  /** Digits for `Dial:` — number, then `,,PIN#` when there is a PIN. */
  dial: string;
}

// A public number: + or 0 first, at least 6 digits, written with spaces, dashes, dots, slashes or brackets;
// optionally followed by one-tap pauses and a code (`,,123456#`).
const NUMBER = /(?:tel:)?(?<![\w+/.])((?:\+|0)[0-9](?:[0-9 ()./-]*[0-9])?)((?:,+[0-9]+#?)*)/g;
const PIN = /\b(?:PIN|Passcode|Pass code|Access code|Conference ID|Meeting ID|Participant code|Konferenz-ID|Zugangscode|Teilnehmer-?PIN|Code)\b\s*[:#]?\s*([0-9][0-9 ]{1,20}[0-9])\s*#?/i;

function digits(s: string): string {
  return s.replace(/[^0-9]/g, '');
}

/** The first dial-in found in these texts (title, location, description), if any. */
export function findDialIn(texts: readonly (string | undefined)[], dialer: Dialer): DialIn | undefined {
  for (const text of texts) {
    if (!text) continue;
    for (const m of text.matchAll(NUMBER)) {
      const written = m[1]!.trim();
      if (digits(written).length < 6) continue;
      const number = dialer.dialable(written);
      if (!number) continue;
      const oneTap = m[2] ?? '';
      if (oneTap) return { number: written, dial: `${number}${oneTap}` };
      const pinMatch = PIN.exec(text.slice(m.index! + m[0].length)) ?? PIN.exec(texts.filter(Boolean).join('\n'));
      const pin = pinMatch ? digits(pinMatch[1]!) : undefined;
      return pin ? { number: written, pin, dial: `${number},,${pin}#` } : { number: written, dial: number };
    }
  }
  return undefined;
}
