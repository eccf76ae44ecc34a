/** The time zone used where neither a phone nor `defaults:` names one: this machine's own. */
import type { ResolvedConfig } from './load.js';

/** This machine's IANA time zone (Intl's resolved zone; UTC when the system has none). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `defaults.timeZone`, else this machine's zone: the zone of a phone that names none. */
export function defaultTimeZone(config: Pick<ResolvedConfig, 'defaults'>): string {
  return config.defaults.timeZone ?? systemTimeZone();
}
