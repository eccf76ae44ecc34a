/** Health of one directory or calendar source, for the web page and `ciscophone directory status`. */
export interface SourceStatus {
  name: string;
  type: string;
  /** Contacts or events currently served from this source. */
  count: number;
  state: 'ok' | 'error' | 'pending';
  lastSync?: string;
  lastError?: string;
}
