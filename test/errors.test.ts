import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import * as errors from '../src/errors.js';

const ROOT = path.join(import.meta.dirname, '..');

/** One of each error class, as its callers make it. */
const SAMPLES: Error[] = [
  new errors.ConfigError('ciscophone.yaml', [{ path: 'phones[0].mac', message: 'not a MAC address' }]),
  new errors.BodyTooLargeError('the feed', 32 * 1024 * 1024),
  new errors.XmlLimitError('too many items'),
  new errors.WavError('not a RIFF/WAVE file'),
  new errors.DavError('authentication failed', 401),
  new errors.PictureError('not a picture', 'logo.png'),
  new errors.DataFolderInUseError('/var/lib/ciscophone', 4242),
  new errors.UnreadableContentError('not a vCard file'),
  new errors.ImageInputError('image: not a PNG or JPEG picture'),
  new errors.UsageError('--http-port must be a port number (0-65535), not "x"'),
  new errors.PhoneExistsError('phones[0] already has the MAC 001122334455'),
  new errors.PhoneNotFoundError('no phone with the MAC 001122334455'),
  new errors.ConfigReadOnlyError('the built-in demo configuration cannot be changed'),
  new errors.AnnounceSourceError('no ring tone "bell"'),
  new errors.SpeechUnavailableError('espeak-ng is not installed'),
];

test('every error class has its own code and is named after itself', () => {
  const classes = Object.entries(errors).filter(([, value]) => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error);
  assert.equal(SAMPLES.length, classes.length, 'a sample of every class');
  const codes = new Set<string>();
  for (const err of SAMPLES) {
    const code = (err as { code?: unknown }).code;
    assert.equal(typeof code, 'string', `${err.name} has a code`);
    assert.ok(!codes.has(code as string), `${String(code)} is used once`);
    codes.add(code as string);
    assert.ok(errors.hasCode(err, code as errors.ErrorCode));
    assert.equal(err.name, err.constructor.name);
  }
  assert.equal(errors.hasCode(new Error('ERR_BODY_TOO_LARGE'), 'ERR_BODY_TOO_LARGE'), false, 'the message is not the code');
});

test('no error class is declared outside src/errors.ts', async () => {
  const found: string[] = [];
  for (const dir of ['src', 'services']) {
    for (const entry of await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = path.relative(ROOT, path.join(entry.parentPath, entry.name));
      if (file === path.join('src', 'errors.ts')) continue;
      if (/\bclass \w+ extends \w*Error\b/.test(await readFile(path.join(ROOT, file), 'utf8'))) found.push(file);
    }
  }
  assert.deepEqual(found, []);
});
