import { createHash, timingSafeEqual } from 'node:crypto';
import type { ResolvedConfig } from '../config/load.js';
import type { Phone } from '../phones/inventory.js';

export interface PushCredentials {
  username: string;
  password: string;
}

/** The credentials a push to this phone carries: the phone's own `push:` (or `defaults.push`), else the global `push:`. */
export function pushCredentials(config: ResolvedConfig, phone: Phone): PushCredentials | undefined {
  const own = phone.push;
  if (own) return { username: own.username, password: own.password };
  return config.push ? { username: config.push.username, password: config.push.password } : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Constant-time string comparison: both sides are hashed first, so the comparison takes the same
 * time whatever the lengths and wherever the first difference is.
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Both the user name and the password match (both compared, whatever the first result). */
export function credentialsMatch(given: PushCredentials, expected: PushCredentials): boolean {
  const user = sameSecret(given.username, expected.username);
  const password = sameSecret(given.password, expected.password);
  return user && password;
}
