/**
 * Requests the page's screen preview sends to the app itself carry a header with a random value
 * of this process, so they are not taken for a phone's own contact (activity log, push address).
 */
import { randomBytes } from 'node:crypto';

const HEADER = 'x-ciscophone-preview';
const TOKEN = randomBytes(16).toString('hex');

export function previewMarker(): Record<string, string> {
  return { [HEADER]: TOKEN };
}

export function isPreviewRequest(headers: Record<string, string | string[] | undefined>): boolean {
  return headers[HEADER] === TOKEN;
}
