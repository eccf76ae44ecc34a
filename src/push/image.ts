/** Pictures for a push: read from a URL or base64 text, then fitted to a model's services area. */
import type { ModelCaps } from '../phones/models.js';
import { decodeImage, loadSharp } from '../render/decode.js';
import { preparePicture } from '../render/picture.js';
import { readLimited } from '../net/bounded-body.js';
import { isPngOrJpeg } from './action.js';
import { BodyTooLargeError, ImageInputError } from '../errors.js';

/** Most bytes of a pushed picture (base64 decoded, or fetched and decoded from gzip/deflate/br). */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

/**
 * The bytes of a picture given as an http(s) URL (fetched by the server, e.g. a door camera's
 * snapshot), a `data:image/...;base64,` URL, or plain base64.
 */
export async function readImageInput(value: string): Promise<Buffer> {
  const bytes = /^https?:\/\//i.test(value) ? await fetchImage(value) : decodeBase64(value);
  if (!isPngOrJpeg(bytes)) throw new ImageInputError('image: not a PNG or JPEG picture');
  // Decoded once here, so a damaged picture is one clear 400 rather than a failure per phone.
  try {
    await (await decodeImage(bytes, { failOn: 'error' })).stats();
  } catch (err) {
    throw new ImageInputError(`image: the picture cannot be read (${(err as Error).message.split('\n')[0]})`);
  }
  return bytes;
}

function decodeBase64(value: string): Buffer {
  const data = value.replace(/^data:image\/(?:png|jpeg|jpg);base64,/i, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(data) || data.length === 0) throw new ImageInputError('image: neither an http(s) URL nor base64 data');
  return Buffer.from(data, 'base64');
}

async function fetchImage(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (err) {
    throw new ImageInputError(`image: cannot fetch ${url} (${(err as Error).cause ? String((err as { cause: Error }).cause.message) : (err as Error).message})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new ImageInputError(`image: ${url} answered HTTP ${response.status}`);
  }
  // Counted while it streams, after any gzip/deflate/br decoding: a small compressed body cannot
  // turn into a huge one in memory.
  try {
    return await readLimited(response, IMAGE_MAX_BYTES, 'image: the picture');
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new ImageInputError(err.message);
    throw new ImageInputError(`image: cannot fetch ${url} (${(err as Error).message})`);
  }
}

/**
 * A PNG that fits the model's services area (Table 3-2 of Cisco's developer notes 7.1(3)), keeping
 * the aspect ratio, on white; grey for models without a colour display. The phone centres it
 * (ImageFile LocationX/Y -1).
 */
export async function pictureForModel(picture: Buffer, caps: ModelCaps): Promise<Buffer> {
  const { width, height } = caps.display;
  const raw = await preparePicture(picture, { width, height }, '#ffffff');
  const sharp = await loadSharp();
  let pipeline = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } });
  if (!caps.display.color) pipeline = pipeline.grayscale();
  return pipeline.png({ compressionLevel: 9 }).toBuffer();
}
