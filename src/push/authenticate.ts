/**
 * The authenticationURL (usecallmanager.nz phone-services and its services' authentication.py):
 * before it runs a pushed object, a phone asks this server whether the Basic credentials it was
 * given are good, sending `UserID`, `Password` and `devicename` (SEP<MAC>) as query parameters.
 */
import type { AppContext } from '../context.js';
import { credentialsMatch, pushCredentials } from './credentials.js';

/**
 * usecallmanager.nz phone-services: the phone grants the push only on exactly `AUTHORIZED`.
 * UCM-SVC answers `ERROR` for a device it does not know; this server answers it `UNAUTHORIZED`
 * like wrong credentials, so a guess tells nothing about which MACs are configured.
 */
export type AuthAnswer = 'AUTHORIZED' | 'UNAUTHORIZED';

export interface AuthQuery {
  UserID?: unknown;
  Password?: unknown;
  devicename?: unknown;
}

export interface AuthDecision {
  answer: AuthAnswer;
  /** Why it was refused, for the log (never a secret). */
  reason?: string;
  /** The device name as asked for, shortened for the log. */
  device?: string;
}

/** Compared against when no credentials apply (the result is then never used): only for the time it takes. */
const NO_CREDENTIALS = { username: '\u0000', password: '\u0000' };

const AUTH_KEYS = ['UserID', 'Password', 'devicename'] as const;

/**
 * The three parameters from a request URL. Our authenticationURL carries `?name=SEP…` and the
 * phone appends its own query, which may arrive as `?name=SEP…?UserID=…`: a '?' in front of one
 * of the three names is read as '&'. A name given twice counts as missing.
 */
export function authQuery(url: string): AuthQuery {
  const at = url.indexOf('?');
  const query = at < 0 ? '' : url.slice(at + 1).replace(/\?(?=(?:UserID|Password|devicename)=)/g, '&');
  const params = new URLSearchParams(query);
  const out: AuthQuery = {};
  for (const key of AUTH_KEYS) {
    const values = params.getAll(key);
    if (values.length === 1) out[key] = values[0];
  }
  return out;
}

function asString(value: unknown): string | undefined {
  if (Array.isArray(value)) return undefined;
  return typeof value === 'string' ? value : undefined;
}

/** What to answer a phone asking about one set of credentials. */
export function decideAuthentication(ctx: Pick<AppContext, 'config' | 'inventory'>, query: AuthQuery): AuthDecision {
  const { config, inventory } = ctx;
  const devicename = asString(query.devicename);
  const device = devicename === undefined ? undefined : devicename.slice(0, 40);
  const phone = devicename ? inventory.byDeviceName(devicename) : undefined;
  const userId = asString(query.UserID);
  const password = asString(query.Password);
  const expected = phone ? pushCredentials(config, phone) : undefined;
  // Compared even when the answer is already known, so an unknown device takes as long as a known one.
  const match = credentialsMatch({ username: userId ?? '', password: password ?? '' }, expected ?? NO_CREDENTIALS);
  if (!phone) return { answer: 'UNAUTHORIZED', reason: devicename ? 'unknown device' : 'no devicename', device };
  if (userId === undefined || password === undefined) return { answer: 'UNAUTHORIZED', reason: 'missing UserID or Password', device: phone.name };
  if (!expected) return { answer: 'UNAUTHORIZED', reason: 'no push credentials configured', device: phone.name };
  return match ? { answer: 'AUTHORIZED', device: phone.name } : { answer: 'UNAUTHORIZED', reason: 'wrong user name or password', device: phone.name };
}
