/**
 * What a push asks a phone to do, checked once for every caller (CLI, API, web page): show a text,
 * a page or a picture, dial a number, play a sound; several of these may go together in one
 * CiscoIPPhoneExecute (Cisco developer notes: at most one http URL plus two internal URIs).
 */
import { urlKind, urlProblem } from '../xml/url.js';

export interface PushAction {
  /** A message shown as a CiscoIPPhoneText page. */
  text?: string;
  /** Title of the text or picture page. */
  title?: string;
  /** An http(s) page the phone opens. */
  url?: string;
  /** A picture (PNG or JPEG bytes), scaled to each model's display. */
  image?: Buffer;
  /** A number the phone dials (the `Dial:` URI). */
  dial?: string;
  /** A µ-law .raw file on the TFTP server the phone plays (the `Play:` URI, synchronous). */
  play?: string;
  /** An RTP stream the phone starts or stops receiving (`RTPRx:`, `RTPMRx:`; announcements only). */
  rtp?: string;
}

// Cisco developer notes, "Internal URI Features": Dial takes 0-9 # * A B C D and ',' (a one-second pause).
const DIAL = /^[0-9#*A-D,]{1,32}$/;
// Same notes: Play names a file on the TFTP server; a relative path without ':' or '..'.
const PLAY = /^(?!.*\.\.)[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*\.raw$/;
// Same notes: RTPRx:<ip>:<port>[:<volume 0-100>], RTPMRx:<multicast ip>:<port>[:<volume>], and their Stop.
const RTP = /^RTPM?Rx:(?:Stop|\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}(?::\d{1,3})?)$/;
export const TEXT_MAX = 4000;
export const TITLE_MAX = 32;

/** A number as people write it (`0171 234-5678`) reduced to what `Dial:` accepts. */
export function dialDigits(number: string): string {
  return number.replace(/[\s\-./()]/g, '').toUpperCase();
}

/** Why the action cannot be pushed (one clear sentence), or undefined when it is fine. */
export function pushActionProblem(action: PushAction): string | undefined {
  const screens = (['text', 'url', 'image'] as const).filter((k) => action[k] !== undefined);
  if (screens.length === 0 && action.dial === undefined && action.play === undefined && action.rtp === undefined) {
    return 'nothing to push: give text, url, image, dial or play';
  }
  if (action.rtp !== undefined && !RTP.test(action.rtp)) return 'rtp: RTPRx:<ip>:<port>[:<volume>], RTPMRx:… or RTPRx:Stop';
  if (screens.length > 1) return `only one of text, url and image per push (got ${screens.join(', ')})`;
  if (action.title !== undefined && action.text === undefined && action.image === undefined) return 'title goes with text or image';
  if (action.text !== undefined && action.text.trim() === '') return 'text is empty';
  if (action.text !== undefined && action.text.length > TEXT_MAX) return `text longer than ${TEXT_MAX} characters`;
  if (action.title !== undefined && action.title.length > TITLE_MAX) return `title longer than ${TITLE_MAX} characters`;
  if (action.url !== undefined) {
    const problem = urlProblem(action.url);
    if (problem) return `url: ${problem}`;
    if (urlKind(action.url) !== 'http') return 'url must be an http(s) URL';
  }
  if (action.dial !== undefined && !DIAL.test(dialDigits(action.dial))) {
    return 'dial: a number of at most 32 characters 0-9 * # A-D and , (pause)';
  }
  if (action.play !== undefined && !PLAY.test(action.play)) {
    return 'play: the name of a .raw file on the TFTP server, e.g. chime.raw';
  }
  if (action.image !== undefined && !isPngOrJpeg(action.image)) return 'image: not a PNG or JPEG picture';
  return undefined;
}

export function isPngOrJpeg(bytes: Buffer): boolean {
  const png = bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  return png || jpeg;
}
