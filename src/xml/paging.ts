/** Splitting long lists into phone-sized pages (callers page, builders never drop). */

export interface Page<T> {
  items: T[];
  /** 1-based page number actually shown (the requested one clamped into range). */
  page: number;
  /** Number of pages, at least 1 (an empty list is one empty page). */
  pages: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

/** One page of `items`. `page` is 1-based; anything out of range (or not a number) is clamped. */
export function paginate<T>(items: readonly T[], pageSize: number, page: number): Page<T> {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`page size must be a positive integer, got ${pageSize}`);
  }
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const wanted = Number.isFinite(page) ? Math.trunc(page) : 1;
  const current = Math.min(pages, Math.max(1, wanted));
  const start = (current - 1) * pageSize;
  return {
    items: items.slice(start, start + pageSize),
    page: current,
    pages,
    hasPrevious: current > 1,
    hasNext: current < pages,
  };
}
