import path from 'node:path';
import type { StoreOptions } from '../contacts/store.js';
import { durationSeconds } from '../config/duration.js';
import type { CalendarSourceConfig } from '../config/schema.js';
import { createDavClient, type DavClient } from '../dav/index.js';
import type { Phone } from '../phones/inventory.js';
import { SourceRunner, type SourceRunnerOptions } from '../sources/runner.js';
import type { SourceStatus } from '../sources/status.js';
import { MAX_LISTED_UNREAD, resourceName } from '../sources/unread.js';
import { readSnapshot, snapshotFile, writeSnapshot, type SourceSnapshot } from './cache.js';
import type { Occurrence, PhoneEvent, UpcomingEvent } from './events.js';
import { expandAll, parseEventsInSlices, type ParsedEvent } from './expand.js';
import { calendarName, fetchCaldav, fetchIcs } from './fetch.js';
import { createSlicer } from '../sources/slices.js';
import { startOfDay } from './zones.js';
import { defaultTimeZone } from '../config/time-zone.js';

const DAY = 86_400_000;
/** Occurrences are kept for this span around the moment they were expanded. */
const KEEP_BEFORE = 2 * DAY;
const KEEP_AFTER = 12 * DAY;
/** The span a reader may ask for around "now" without a new expansion (the agenda shows 8 days). */
const NEED_BEFORE = 1 * DAY;
const NEED_AFTER = 10 * DAY;
const REEXPAND_EVERY = 3600_000;
/** Distinct calendar warnings remembered (so each is logged once); the memory is cleared beyond. */
const MAX_REMEMBERED_WARNINGS = 1000;

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
  client: DavClient | undefined;
  readonly runner: SourceRunner;

  constructor(
    readonly config: CalendarSourceConfig,
    readonly name: string,
    readonly file: string,
    readonly key: string,
    options: Pick<SourceRunnerOptions, 'log' | 'refresh'>,
  ) {
    const fallback = config.type === 'caldav' ? 300 : config.path ? 60 : 900;
    this.runner = new SourceRunner({
      name,
      type: config.type,
      holds: 'calendar',
      intervalSeconds: durationSeconds(config.refresh, fallback),
      lastSync: () => this.snapshot?.lastSync,
      count: () => this.events.length,
      unread: () => this.unread,
      ...options,
    });
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
  /** Counts the expansions: what was made from the events stays valid until the next one. */
  private expansions = 0;
  private expandedAround: number | undefined;
  /** The expansion waiting to start (shared by everyone who asks meanwhile), and the one running. */
  private queuedExpansion: Promise<void> | undefined;
  private lastExpansion: Promise<void> = Promise.resolve();
  /** Warnings already logged: each is logged once, not at every refresh. */
  private readonly warned = new Set<string>();
  private expandTimer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly options: StoreOptions) {
    const { config } = options;
    this.floatingZone = defaultTimeZone(config);
    this.phoneRules = config.phones.map((p) => ruleOf(p.calendars ?? config.defaults.calendars)).filter((r): r is Set<string> => r !== undefined);
    const used = new Set<string>();
    this.sources = config.calendar.sources.map((s, i) => {
      let name = s.name ?? s.type;
      if (used.has(name)) name = `${name}-${i + 1}`;
      used.add(name);
      const identity = JSON.stringify([s.type, s.type === 'caldav' ? [s.url, s.username ?? '', s.calendars ?? []] : [s.path ?? '', s.url ?? '']]);
      const { file, key } = snapshotFile(config.server.dataDir, name, identity);
      const source: Source = new Source(s, name, file, key, { log: options.log, refresh: () => this.fetchSource(source) });
      return source;
    });
  }

  /** Loads the last good data from disk, then refreshes every source in the background. */
  async start(): Promise<void> {
    await this.loadSnapshots();
    for (const source of this.sources) source.runner.start();
    this.expandTimer = setInterval(() => void this.expand(), REEXPAND_EVERY);
    this.expandTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.expandTimer) clearInterval(this.expandTimer);
    await Promise.all(this.sources.map((s) => s.runner.stop()));
  }

  /** Refreshes every source now and waits for the result (the CLI, tests, the web page's button). */
  async refresh(): Promise<void> {
    await this.loadSnapshots();
    await Promise.all(this.sources.map((s) => s.runner.refresh()));
  }

  status(): SourceStatus[] {
    return this.sources.map((s) => s.runner.status());
  }

  /** Changes whenever the events do (each expansion brings them anew). */
  get version(): number {
    return this.expansions;
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
    const failed = this.sources.filter((s) => s.runner.failing);
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

  /**
   * The latest expansion. When the hourly one fell behind the clock, a new one starts in the
   * background; readers never wait for an expansion.
   */
  private current(): Occurrence[] {
    const now = this.options.clock().getTime();
    const around = this.expandedAround;
    if (around === undefined || now - NEED_BEFORE < around - KEEP_BEFORE || now + NEED_AFTER > around + KEEP_AFTER) void this.expand();
    return this.occurrences;
  }

  /** Reads each source's last good data from disk, once. */
  private loadSnapshots(): Promise<void> {
    this.loading ??= Promise.all(
      this.sources.map(async (source) => {
        const snapshot = await readSnapshot(source.file, source.key);
        if (!snapshot || source.snapshot) return;
        try {
          this.apply(source, snapshot, await this.read(source, snapshot));
        } catch (err) {
          this.options.log.warn({ source: source.name, reason: (err as Error).message }, 'saved calendar data not readable');
        }
      }),
    ).then(() => this.expand());
    return this.loading;
  }

  /**
   * Expands every source's events around the clock's present, in slices (expandAll), one
   * expansion at a time: a request made while one runs is served by the next, which starts after
   * it and sees the latest events.
   */
  private expand(): Promise<void> {
    if (this.queuedExpansion) return this.queuedExpansion;
    const next = this.lastExpansion.then(async () => {
      this.queuedExpansion = undefined;
      const now = this.options.clock().getTime();
      const events = this.sources.flatMap((s) => s.events);
      this.occurrences = await expandAll(events, now - KEEP_BEFORE, now + KEEP_AFTER, this.floatingZone, (m) => this.warnOnce(m));
      this.expansions++;
      this.expandedAround = now;
    });
    this.queuedExpansion = next;
    this.lastExpansion = next.catch(() => undefined);
    return next;
  }

  /** Logs a warning about the expansion of a calendar the first time it is seen. */
  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    if (this.warned.size >= MAX_REMEMBERED_WARNINGS) this.warned.clear();
    this.warned.add(message);
    this.options.log.warn(message);
  }

  /**
   * A snapshot read into series, with one line per event skipped or read in part. A feed that is
   * no iCalendar throws (the source then keeps its last good data); a CalDAV object that cannot be
   * read is one such line.
   */
  private async read(source: Source, snapshot: SourceSnapshot): Promise<{ events: ParsedEvent[]; unread: string[] }> {
    const events: ParsedEvent[] = [];
    const unread: string[] = [];
    if (snapshot.feed) {
      const { config } = source;
      // A feed URL may carry a secret: warnings name the source instead.
      const where = config.type === 'ics' && config.path ? path.basename(config.path) : source.name;
      const read = await parseEventsInSlices(snapshot.feed.text, source.name, source.name, where);
      events.push(...read.events);
      unread.push(...read.unread);
    }
    // Many small objects give the event loop back between them too.
    const slice = createSlicer();
    for (const cal of snapshot.calendars ?? []) {
      const name = calendarName(cal.collection);
      for (const [url, text] of Object.entries(cal.objects)) {
        await slice();
        const where = resourceName(url);
        try {
          const read = await parseEventsInSlices(text, name, source.name, where);
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

  /** One refresh of a source (run by its SourceRunner): fetch, re-read if changed, write the snapshot. */
  private async fetchSource(source: Source): Promise<void> {
    const { config } = source;
    const now = this.options.clock();
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
    if (changed) this.apply(source, snapshot, await this.read(source, snapshot));
    else source.snapshot = snapshot;
    if (changed) await this.expand();
    await writeSnapshot(this.options.data, source.file, source.key, snapshot);
  }
}
