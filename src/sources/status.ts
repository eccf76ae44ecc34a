/** Health of one directory or calendar source, for the web page and `ciscophone directory status`. */
import { MAX_LISTED_UNREAD } from './unread.js';

export interface SourceStatus {
  name: string;
  type: string;
  /** Contacts or events currently served from this source. */
  count: number;
  /** `warning`: read, but some cards or events were skipped or read only in part (see `warnings`). */
  state: 'ok' | 'warning' | 'error' | 'pending';
  lastSync?: string;
  lastError?: string;
  /** Cards or events of the current data skipped or read only in part. */
  unread?: number;
  /** One line per such item (the first MAX_LISTED_UNREAD): file or resource, item, reason. */
  warnings?: string[];
}

/** The status fields for what a source's current data did not give up (none when all was read). */
export function unreadStatus(unread: readonly string[]): Pick<SourceStatus, 'unread' | 'warnings'> {
  return unread.length ? { unread: unread.length, warnings: unread.slice(0, MAX_LISTED_UNREAD) } : {};
}
