/**
 * Live reload: the config file is watched (and read again on SIGHUP); a valid new text replaces
 * the context's config, and what is made from it follows. An invalid one changes nothing: each
 * problem is logged with its path, as `ciscophone check` prints it, and the last good config stays.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { changePhonesFile, type PhoneChange } from './config/edit-phones.js';
import { loadConfig, type LoadOptions, type ResolvedConfig } from './config/load.js';
import { formatProblem, type ConfigProblem } from './config/problems.js';
import { calendarStore, contactStore, mediaLibraries, type AppContext } from './context.js';
import { ConfigError } from './errors.js';
import { inTurn } from './in-turn.js';
import { Inventory } from './phones/inventory.js';

/** Quiet time after the last change to the file before it is read (an editor's save is several events). */
export const RELOAD_DEBOUNCE_MS = 250;

/** Settings read once, when the ports are opened: a change is named, and applies after a restart. */
const RESTART_SETTINGS = ['http', 'tftp', 'provisioningHttp', 'dataDir'] as const;

/** Top-level sections whose content differs (`phones`, `directory`, ...). */
export function changedSections(before: ResolvedConfig, after: ResolvedConfig): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !sameValue(before[key as keyof ResolvedConfig], after[key as keyof ResolvedConfig]));
}

/** `server.http.port`, `server.tftp.host`, ...: the changed settings that need a restart. */
export function restartSettings(before: ResolvedConfig, after: ResolvedConfig): string[] {
  const changed: string[] = [];
  for (const name of RESTART_SETTINGS) {
    const a = before.server[name] as unknown;
    const b = after.server[name] as unknown;
    if (isRecord(a) && isRecord(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (!sameValue(a[key], b[key])) changed.push(`server.${name}.${key}`);
      }
    } else if (!sameValue(a, b)) changed.push(`server.${name}`);
  }
  return changed;
}

/** What a calendar store reads: its sources, and the phones' calendar rules and default zone. */
function calendarInputs(config: ResolvedConfig): unknown {
  return [config.calendar, config.defaults.calendars, config.defaults.timeZone, config.phones.map((p) => p.calendars)];
}

/** What the media libraries read: their folders, and the models of the phones (their picture sizes). */
function mediaInputs(config: ResolvedConfig): unknown {
  return [config.ringtones, config.backgrounds, config.phones.map((p) => p.model)];
}

export interface Applied {
  sections: string[];
  restart: string[];
}

/**
 * Puts `next` in force: the inventory made again, menu and picture caches dropped, the phone book
 * and calendars restarted only when what they read changed. Settings that need a restart are named
 * in one log line.
 */
export async function applyConfig(ctx: AppContext, next: ResolvedConfig): Promise<Applied> {
  const before = ctx.config;
  const sections = changedSections(before, next);
  const restart = restartSettings(before, next);
  if (sections.length === 0) {
    ctx.log.info('config read again: no change');
    return { sections, restart };
  }
  ctx.config = next;
  ctx.inventory = new Inventory(next);
  ctx.idle.dropCache();
  if (!sameValue(mediaInputs(before), mediaInputs(next))) ctx.media = mediaLibraries(next, ctx.inventory, ctx);
  const restarts: Promise<void>[] = [];
  if (!sameValue(before.directory, next.directory) || before.server.dataDir !== next.server.dataDir) {
    const old = ctx.contacts;
    ctx.contacts = contactStore(next, ctx);
    restarts.push(old.stop().then(() => ctx.contacts.start()));
  }
  if (!sameValue(calendarInputs(before), calendarInputs(next)) || before.server.dataDir !== next.server.dataDir) {
    const old = ctx.calendar;
    ctx.calendar = calendarStore(next, ctx);
    restarts.push(old.stop().then(() => ctx.calendar.start()));
  }
  ctx.log.info({ sections }, `config reloaded: ${sections.join(', ')} changed`);
  if (restart.length > 0) ctx.log.warn(`config: ${restart.join(', ')} changed; these take effect after a restart`);
  await Promise.all(restarts);
  return { sections, restart };
}

export type ReloadOutcome = { ok: true; applied: Applied } | { ok: false; problems: ConfigProblem[] };

/**
 * Reads `file` again and applies it; on problems logs each one and keeps the config in force.
 * Reloads run one after another: a change during a reload is read once that one has finished.
 */
export class ConfigReloader {
  /** Reloads and phone changes, one after the other. */
  private readonly turns = inTurn();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Problems of the file as last read (empty once it is valid again). */
  problems: ConfigProblem[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly file: string,
    private readonly options: LoadOptions = {},
  ) {}

  reload(): Promise<ReloadOutcome> {
    return this.turns(() => this.readAndApply());
  }

  /**
   * Watches the file's folder, not the file: editors save by writing a new file and renaming it
   * over the old one, which ends a watch on the file itself.
   */
  watch(): void {
    const name = path.basename(this.file);
    this.watcher = watch(path.dirname(this.file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
    });
    this.watcher.on('error', (error) => this.ctx.log.warn(`config: cannot watch ${this.file} (${error.message}); SIGHUP still reloads it`));
  }

  /** Writes `change` into the file (validated first, `.bak` kept), then puts the file in force. */
  changePhones(change: PhoneChange): Promise<ResolvedConfig> {
    return this.turns(async () => {
      const written = await changePhonesFile(this.file, change, this.options);
      await this.readAndApply();
      return written;
    });
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.watcher?.close();
    // Settles once the reload or phone change under way has.
    await this.turns(async () => undefined);
  }

  private async readAndApply(): Promise<ReloadOutcome> {
    let next: ResolvedConfig;
    try {
      next = await loadConfig(this.file, this.options);
    } catch (caught) {
      const error = caught instanceof ConfigError ? caught : new ConfigError(this.file, [{ path: '', message: String(caught) }]);
      this.problems = error.problems;
      this.ctx.log.error(`${this.file}: ${error.problems.length} problem(s); the last good config stays in force`);
      for (const problem of error.problems) this.ctx.log.error(`  ${formatProblem(problem)}`);
      return { ok: false, problems: error.problems };
    }
    this.problems = [];
    try {
      return { ok: true, applied: await applyConfig(this.ctx, next) };
    } catch (error) {
      // Not expected (stores stop and start without throwing); never a crash of the running server.
      this.ctx.log.error({ err: error }, 'config: applying the reloaded config failed');
      return { ok: false, problems: [{ path: '', message: (error as Error).message }] };
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A phone added, changed or removed in the running server's config file (the demo refuses: ConfigReadOnlyError). */
export function changePhones(ctx: AppContext, change: PhoneChange): Promise<ResolvedConfig> {
  return ctx.reloader ? ctx.reloader.changePhones(change) : changePhonesFile(undefined, change);
}
