import path from 'node:path';
import type { StoreOptions } from '../contacts/store.js';
import { durationSeconds } from '../config/duration.js';
import type { CalendarSourceConfig } from '../config/schema.js';
import { createDavClient, DavError, type DavClient } from '../dav/index.js';
import type { Phone } from '../phones/inventory.js';
import { unreadStatus, type SourceStatus } from '../sources/status.js';
import { MAX_LISTED_UNREAD, resourceName } from '../sources/unread.js';
import { readSnapshot, snapshotFile, writeSnapshot, type SourceSnapshot } from './cache.js';
import type { Occurrence, PhoneEvent, UpcomingEvent } from './events.js';
import { expandAll, parseEvents, type ParsedEvent } from './expand.js';
import { calendarName, fetchCaldav, fetchIcs } from './fetch.js';
import { startOfDay } from './zones.js';

const DAY = 86_400_000;
/** Occurrences are kept for this span around the moment they were expanded. */
const KEEP_BEFORE = 2 * DAY;
const KEEP_AFTER = 12 * DAY;
/** The span a reader may ask for around "now" without a new expansion (the agenda shows 8 days). */
const NEED_BEFORE = 1 * DAY;
const NEED_AFTER = 10 * DAY;
const REEXPAND_EVERY = 3600_000;
const MAX_BACKOFF_S = 3600;

/** What a phone sees: its time zone and which calendars (by name; all when unset). */
export interface CalendarView {
  timeZone: string;
  calendars?: readonly string[];
  /** A request that names no configured phone: it sees only what every phone's `calendars` admits. */
  everyPhone?: boolean;
}

/** A `calendars` rule as a set of lower-case names; undefined when it shows everything. */
function ruleOf(calendars: readonly string[] | undefined): Set<string> | undefined {
  return calendars?.length ? new Set(calendars.map((c) => c.toLowerCase())) : undefined;
}

/** One configured source at run time. */
class Source {
  snapshot: SourceSnapshot | undefined;
  events: ParsedEvent[] = [];
  /** One line per event of the current data that was skipped or read in part. */
  unread: string[] = [];
  state: SourceStatus['state'] = 'pending';
  lastError: string | undefined;
  failures = 0;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  client: DavClient | undefined;

  constructor(
    readonly config: CalendarSourceConfig,
    readonly name: string,
    readonly file: string,
    readonly key: string,
  ) {}

  get refreshSeconds(): number {
    const fallback = this.config.type === 'caldav' ? 300 : this.config.path ? 60 : 900;
    return durationSeconds(this.config.refresh, fallback);
  }

  get timeoutMs(): number {
    return durationSeconds(this.config.timeout, 10) * 1000;
  }
}

/** Events from every calendar source, expanded and kept current in the background. */
export class CalendarStore {
  private readonly sources: Source[];
  private readonly floatingZone: string;
  /** Every phone's `calendars` rule that restricts anything (phones showing all are left out). */
  private readonly phoneRules: Set<string>[];
  private occurrences: Occurrence[] = [];
  private expandedAround: number | undefined;
  private expandTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private loading: Promise<void> | undefined;

  constructor(private readonly options: StoreOptions) {
    const { config } = options;
    this.floatingZone = config.defaults.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    this.phoneRules = config.phones.map((p) => ruleOf(p.calendars ?? config.defaults.calendars)).filter((r): r is Set<string> => r !== undefined);
    const used = new Set<string>();
    this.sources = config.calendar.sources.map((s, i) => {
      let name = s.name ?? s.type;
      if (used.has(name)) name = `${name}-${i + 1}`;
      used.add(name);
      const identity = JSON.stringify([s.type, s.type === 'caldav' ? [s.url, s.username ?? '', s.calendars ?? []] : [s.path ?? '', s.url ?? '']]);
      const { file, key } = snapshotFile(config.server.dataDir, name, identity);
      return new Source(s, name, file, key);
    });
  }

  /** Loads the last good data from disk, then refreshes every source in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.loadSnapshots();
    for (const source of this.sources) this.schedule(source, 0);
    this.expandTimer = setInterval(() => this.expand(), REEXPAND_EVERY);
    this.expandTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.expandTimer) clearInterval(this.expandTimer);
    for (const source of this.sources) clearTimeout(source.timer);
    await Promise.all(this.sources.map((s) => s.running?.catch(() => undefined)));
  }

  /** Refreshes every source now and waits for the result (the CLI, tests, the web page's button). */
  async refresh(): Promise<void> {
    await this.loadSnapshots();
    await Promise.all(this.sources.map((s) => this.refreshSource(s)));
  }

  status(): SourceStatus[] {
    return this.sources.map((s) => ({
      name: s.name,
      type: s.config.type,
      count: s.events.length,
      state: s.state === 'ok' && s.unread.length > 0 ? 'warning' : s.state,
      ...unreadStatus(s.unread),
      ...(s.snapshot ? { lastSync: s.snapshot.lastSync } : {}),
      ...(s.lastError ? { lastError: s.lastError } : {}),
    }));
  }

  /** The next `count` events that have not ended yet, for the idle screen. Never waits for a source. */
  upcoming(phone: Phone | undefined, count: number): UpcomingEvent[] {
    const now = this.options.clock().getTime();
    return this.between(this.viewOf(phone), now, now + NEED_AFTER)
      .slice(0, Math.max(0, count))
      .map(({ start, end, allDay, title, location }) => ({ start, end, allDay, title, ...(location ? { location } : {}) }));
  }

  /** Events overlapping [from, to) as a phone sees them, sorted: all-day first within a start time. */
  between(view: CalendarView, from: number, to: number): PhoneEvent[] {
    return this.visible(view)
      .map((o) => this.place(o, view.timeZone))
      .filter((e) => e.start.getTime() < to && (e.end.getTime() > from || e.start.getTime() >= from))
      .sort((a, b) => a.start.getTime() - b.start.getTime() || Number(b.allDay) - Number(a.allDay) || a.title.localeCompare(b.title));
  }

  /** One occurrence by its id, as a phone sees it. */
  find(view: CalendarView, id: string): PhoneEvent | undefined {
    const o = this.visible(view).find((x) => x.id === id);
    return o ? this.place(o, view.timeZone) : undefined;
  }

  /**
   * The occurrences of the calendars a view shows (by calendar or source name; all when unset).
   * A view naming no phone gets only those every phone's rule admits.
   */
  private visible(view: CalendarView): Occurrence[] {
    const own = ruleOf(view.calendars);
    const rules = view.everyPhone ? this.phoneRules : own ? [own] : [];
    const all = this.current();
    if (rules.length === 0) return all;
    return all.filter((o) => rules.every((rule) => rule.has(o.calendar.toLowerCase()) || rule.has(o.source.toLowerCase())));
  }

  /** Whether any source is showing old data because its last refresh failed. */
  offline(): { since: string | undefined } | undefined {
    const failed = this.sources.filter((s) => s.state === 'error');
    if (failed.length === 0) return undefined;
    const syncs = failed.map((s) => s.snapshot?.lastSync).filter((x): x is string => !!x).sort();
    return { since: syncs[0] };
  }

  /** The view of a configured phone, or of a request that names none (`everyPhone`). */
  viewOf(phone: Phone | undefined): CalendarView {
    if (!phone) return { timeZone: this.floatingZone, everyPhone: true };
    return { timeZone: phone.timeZone, ...(phone.calendars ? { calendars: phone.calendars } : {}) };
  }

  /** All-day dates become midnights in the phone's zone; timed occurrences keep their instants. */
  private place(o: Occurrence, zone: string): PhoneEvent {
    const at = (date: number): Date => {
      const d = new Date(date);
      return new Date(startOfDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), zone));
    };
    return {
      id: o.id,
      calendar: o.calendar,
      title: o.title,
      allDay: o.allDay,
      start: o.allDay ? at(o.start) : new Date(o.start),
      end: o.allDay ? at(o.end) : new Date(o.end),
      ...(o.location ? { location: o.location } : {}),
      ...(o.description ? { description: o.description } : {}),
    };
  }

  /** The expansion covering the clock's present; recomputed here only if the hourly one fell behind. */
  private current(): Occurrence[] {
    const now = this.options.clock().getTime();
    const around = this.expandedAround;
    if (around === undefined || now - NEED_BEFORE < around - KEEP_BEFORE || now + NEED_AFTER > around + KEEP_AFTER) this.expand();
    return this.occurrences;
  }

  /** Reads each source's last good data from disk, once. */
  private loadSnapshots(): Promise<void> {
    this.loading ??= Promise.all(
      this.sources.map(async (source) => {
        const snapshot = await readSnapshot(source.file, source.key);
        if (!snapshot || source.snapshot) return;
        try {
          this.apply(source, snapshot, this.read(source, snapshot));
        } catch (err) {
          this.options.log.warn({ source: source.name, reason: (err as Error).message }, 'saved calendar data not readable');
        }
      }),
    ).then(() => this.expand());
    return this.loading;
  }

  private expand(): void {
    const now = this.options.clock().getTime();
    const events = this.sources.flatMap((s) => s.events);
    this.occurrences = expandAll(events, now - KEEP_BEFORE, now + KEEP_AFTER, this.floatingZone);
    this.expandedAround = now;
  }

  /**
   * A snapshot read into series, with one line per event skipped or read in part. A feed that is
   * no iCalendar throws (the source then keeps its last good data); a CalDAV object that cannot be
   * read is one such line.
   */
  private read(source: Source, snapshot: SourceSnapshot): { events: ParsedEvent[]; unread: string[] } {
    const events: ParsedEvent[] = [];
    const unread: string[] = [];
    if (snapshot.feed) {
      const { config } = source;
      // A feed URL may carry a secret: warnings name the source instead.
      const where = config.type === 'ics' && config.path ? path.basename(config.path) : source.name;
      const read = parseEvents(snapshot.feed.text, source.name, source.name, where);
      events.push(...read.events);
      unread.push(...read.unread);
    }
    for (const cal of snapshot.calendars ?? []) {
      const name = calendarName(cal.collection);
      for (const [url, text] of Object.entries(cal.objects)) {
        const where = resourceName(url);
        try {
          const read = parseEvents(text, name, source.name, where);
          events.push(...read.events);
          unread.push(...read.unread);
        } catch (err) {
          unread.push(`${where}: skipped: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    return { events, unread };
  }

  private apply(source: Source, snapshot: SourceSnapshot, read: { events: ParsedEvent[]; unread: string[] }): void {
    source.snapshot = snapshot;
    source.events = read.events;
    source.unread = read.unread;
    const log = this.options.log.child({ source: source.name });
    for (const line of read.unread.slice(0, MAX_LISTED_UNREAD)) log.warn(line);
    if (read.unread.length > MAX_LISTED_UNREAD) log.warn(`${read.unread.length - MAX_LISTED_UNREAD} more events not fully read`);
  }

  private schedule(source: Source, delaySeconds: number): void {
    if (this.stopped) return;
    clearTimeout(source.timer);
    source.timer = setTimeout(() => {
      void this.refreshSource(source).finally(() => {
        // Back off after failures: doubling, up to an hour (never hammer a server that refuses us).
        const base = source.refreshSeconds;
        const delay = source.failures === 0 ? base : Math.min(MAX_BACKOFF_S, Math.max(base, 30 * 2 ** (source.failures - 1)));
        this.schedule(source, delay);
      });
    }, delaySeconds * 1000);
    source.timer.unref();
  }

  private refreshSource(source: Source): Promise<void> {
    source.running ??= this.fetchSource(source).finally(() => {
      source.running = undefined;
    });
    return source.running;
  }

  private async fetchSource(source: Source): Promise<void> {
    const { config } = source;
    const now = this.options.clock();
    try {
      let snapshot: SourceSnapshot;
      if (config.type === 'caldav') {
        source.client ??= createDavClient({
          url: config.url,
          timeoutMs: source.timeoutMs,
          ...(config.username !== undefined ? { username: config.username, password: config.password ?? '' } : {}),
        });
        snapshot = await fetchCaldav(config, source.client, source.snapshot, now);
      } else {
        snapshot = await fetchIcs(config, source.snapshot, source.timeoutMs, now);
      }
      const changed = snapshot.feed !== source.snapshot?.feed || snapshot.calendars !== source.snapshot?.calendars;
      if (changed) this.apply(source, snapshot, this.read(source, snapshot));
      else source.snapshot = snapshot;
      source.state = 'ok';
      source.lastError = undefined;
      source.failures = 0;
      if (changed) this.expand();
      await writeSnapshot(source.file, source.key, snapshot).catch((err: Error) =>
        this.options.log.warn({ source: source.name, reason: err.message }, 'calendar cache not written'),
      );
    } catch (err) {
      source.state = 'error';
      source.failures++;
      source.lastError = describe(err, source.snapshot?.lastSync);
      this.options.log.warn({ source: source.name, reason: source.lastError }, 'calendar refresh failed');
    }
  }
}

/** A status line for a failed refresh: what went wrong, and what is shown meanwhile. */
function describe(err: unknown, lastSync: string | undefined): string {
  const e = err as NodeJS.ErrnoException;
  let reason = err instanceof DavError ? e.message : e.code === 'ENOENT' ? 'file not found' : (e.message ?? String(err));
  if (err instanceof DavError && err.status === 401) reason = 'authentication failed (HTTP 401): check username and password';
  return lastSync ? `${reason}; showing the calendar as of ${lastSync}` : `${reason}; no calendar data yet`;
}
