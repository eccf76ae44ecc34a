/**
 * Every error class of ciscophone, each with a `code` (as fastify's `lib/errors.js` keeps its own):
 * callers and logs tell failures apart by `code` (or the class), never by the words of the message,
 * which are written for people and may change.
 */
import { formatProblem, type ConfigProblem } from './config/problems.js';

/** Every code an error of ours carries. */
export type ErrorCode =
  | 'CISCOPHONE_CONFIG_INVALID'
  | 'ERR_BODY_TOO_LARGE'
  | 'CISCOPHONE_XML_LIMIT'
  | 'CISCOPHONE_WAV_UNREADABLE'
  | 'CISCOPHONE_DAV_REQUEST_FAILED'
  | 'CISCOPHONE_PICTURE_UNREADABLE'
  | 'CISCOPHONE_DATA_FOLDER_IN_USE'
  | 'CONTENT_UNREADABLE'
  | 'CISCOPHONE_IMAGE_INPUT'
  | 'CISCOPHONE_USAGE'
  | 'CISCOPHONE_PHONE_EXISTS'
  | 'CISCOPHONE_PHONE_NOT_FOUND'
  | 'CISCOPHONE_CONFIG_READ_ONLY'
  | 'CISCOPHONE_ANNOUNCE_SOURCE'
  | 'CISCOPHONE_ESPEAK_MISSING';

/**
 * An error class that carries nothing but its message: named `name`, with `code` (fastify's
 * `createError`). Classes with fields of their own are written out below.
 */
function codedError<C extends ErrorCode>(name: string, code: C) {
  const made = class extends Error {
    override name = name;
    readonly code: C = code;
  };
  Object.defineProperty(made, 'name', { value: name });
  return made;
}

/** Whether `err` is one of ours with this code. */
export function hasCode(err: unknown, code: ErrorCode): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/** A config file with problems: every one of them, with its path, for `check`, the start and the web page. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = 'CISCOPHONE_CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${file}: ${problems.length} problem(s)\n${problems.map(formatProblem).join('\n')}`);
  }
}

/** A body larger than its limit (counted on decoded bytes, `net/bounded-body.ts`). */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  readonly code = 'ERR_BODY_TOO_LARGE';
  constructor(
    /** What was being read ("the feed", "the picture", "the CardDAV answer"). */
    readonly what: string,
    readonly limit: number,
  ) {
    super(`${what} is larger than ${describeBytes(limit)}; refused`);
  }
}

/** 32 MB, 512 kB, 900 bytes. */
function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

/** A phone object that breaks a limit its builder cannot fix by cutting (`xml/limits.ts`). */
export const XmlLimitError = codedError('XmlLimitError', 'CISCOPHONE_XML_LIMIT');
export type XmlLimitError = InstanceType<typeof XmlLimitError>;

/** A WAV file that cannot be read as a ring tone. */
export const WavError = codedError('WavError', 'CISCOPHONE_WAV_UNREADABLE');
export type WavError = InstanceType<typeof WavError>;

/** An HTTP failure of a DAV request: the status, and a short reason fit for a status line. */
export class DavError extends Error {
  override name = 'DavError';
  readonly code = 'CISCOPHONE_DAV_REQUEST_FAILED';
  constructor(
    message: string,
    /** HTTP status, or undefined for network failures and timeouts. */
    readonly status?: number,
    /** Start of the response body (for `valid-sync-token` and similar preconditions). */
    readonly body = '',
  ) {
    super(message);
  }
}

/** A picture that cannot be decoded or fitted (idle screens, backgrounds, pushes). */
export class PictureError extends Error {
  override name = 'PictureError';
  readonly code = 'CISCOPHONE_PICTURE_UNREADABLE';

  /** `picture`: which picture (a file name, …) when the caller told. */
  constructor(message: string, readonly picture?: string) {
    super(message);
  }
}

/** Another ciscophone process holds the data folder (`data/instance-lock.ts`). */
export class DataFolderInUseError extends Error {
  override name = 'DataFolderInUseError';
  readonly code = 'CISCOPHONE_DATA_FOLDER_IN_USE';

  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the data folder ${dir} is in use by another ciscophone (process ${pid}): stop that one, ` +
        'or give this one its own folder (server.dataDir)',
    );
  }
}

/** Content that is not what the source promises (a feed that is not iCalendar, a file without a card). */
export const UnreadableContentError = codedError('UnreadableContentError', 'CONTENT_UNREADABLE');
export type UnreadableContentError = InstanceType<typeof UnreadableContentError>;

/** A bad picture given by the caller of a push (the API answers 400 with the message). */
export const ImageInputError = codedError('ImageInputError', 'CISCOPHONE_IMAGE_INPUT');
export type ImageInputError = InstanceType<typeof ImageInputError>;

/** A command-line argument ciscophone cannot use (the CLI prints the message and exits 2 or 1). */
export const UsageError = codedError('UsageError', 'CISCOPHONE_USAGE');
export type UsageError = InstanceType<typeof UsageError>;

/** Adding a phone whose MAC the config already has (the API answers 409). */
export const PhoneExistsError = codedError('PhoneExistsError', 'CISCOPHONE_PHONE_EXISTS');
export type PhoneExistsError = InstanceType<typeof PhoneExistsError>;

/** Editing or removing a phone the config does not have (the API answers 404). */
export const PhoneNotFoundError = codedError('PhoneNotFoundError', 'CISCOPHONE_PHONE_NOT_FOUND');
export type PhoneNotFoundError = InstanceType<typeof PhoneNotFoundError>;

/** The config cannot be changed: the built-in demo, or a file that cannot be written (the API answers 409). */
export const ConfigReadOnlyError = codedError('ConfigReadOnlyError', 'CISCOPHONE_CONFIG_READ_ONLY');
export type ConfigReadOnlyError = InstanceType<typeof ConfigReadOnlyError>;

/** Sound for an announcement that cannot be had: an unreadable WAV, an unknown ring tone, empty or failed speech. */
export const AnnounceSourceError = codedError('AnnounceSourceError', 'CISCOPHONE_ANNOUNCE_SOURCE');

/** Text to speak, but no `espeak-ng` on the PATH. */
export const SpeechUnavailableError = codedError('SpeechUnavailableError', 'CISCOPHONE_ESPEAK_MISSING');
