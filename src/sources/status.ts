/** Health of one directory or calendar source, for the web page and `ciscophone directory status`. */
export interface SourceStatus {
  name: string;
  type: string;
  /** Contacts or events currently served from this source. */
  count: number;
  state: 'ok' | 'error' | 'pending';
  lastSync?: string;
  lastError?: string;
  /**
   * Items of the source that could not be read when it was last read (broken cards, unreadable
   * events): they are left out, the rest is served. `count` covers all, `items` lists the first
   * few as "where: why" lines.
   */
  skipped: { count: number; items: string[] };
}
