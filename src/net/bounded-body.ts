/**
 * Response bodies with a size limit on the decoded bytes, counted while they stream in. fetch
 * undoes chunked transfer coding and gzip, deflate or br content coding before the body reaches
 * us, so the count is of what would be held in memory, whatever came over the wire (1 MB of gzip
 * can be 1 GB of text). Past the limit the transfer is cancelled at once: at most the limit plus
 * one chunk is ever held.
 */
import { BodyTooLargeError } from '../errors.js';

/** RFC 9110 §15.3.5, §15.3.6, §15.4.5: statuses that never have a body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * The same response whose body fails with BodyTooLargeError (and cancels the transfer) once more
 * than `maxBytes` decoded bytes arrive; `text()`, `json()`, `arrayBuffer()` then reject with it.
 * Status, headers and URL are kept.
 */
export function limitResponse(res: Response, maxBytes: number, what: string): Response {
  if (!res.body || NULL_BODY.has(res.status)) return res;
  // A declared length describes the wire; without content coding it is also the decoded size.
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  const coded = (res.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
  const upstream = res.body;
  if (!coded && declared > maxBytes) {
    void upstream.cancel().catch(() => undefined);
    const refused = new ReadableStream<Uint8Array>({ start: (c) => c.error(new BodyTooLargeError(what, maxBytes)) });
    return copyOf(res, refused);
  }
  const reader = upstream.getReader();
  let seen = 0;
  const limited = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      seen += value.byteLength;
      if (seen > maxBytes) {
        await reader.cancel().catch(() => undefined);
        controller.error(new BodyTooLargeError(what, maxBytes));
        return;
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return copyOf(res, limited);
}

function copyOf(res: Response, body: ReadableStream<Uint8Array>): Response {
  const copy = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  // Readers (tsdav among them) name results by the response URL, the one after redirects.
  Object.defineProperty(copy, 'url', { value: res.url });
  return copy;
}

/** The body's bytes, at most `maxBytes` of them (BodyTooLargeError beyond). */
export async function readLimited(res: Response, maxBytes: number, what: string): Promise<Buffer> {
  return Buffer.from(await limitResponse(res, maxBytes, what).arrayBuffer());
}

/**
 * The first `maxBytes` bytes of a body as UTF-8 text, the rest cancelled unread (an error page's
 * start, for a status line).
 */
export async function readPrefix(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  try {
    while (seen < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      seen += value.byteLength;
    }
  } catch {
    // A broken error body: what arrived is enough.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
