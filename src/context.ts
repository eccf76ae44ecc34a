import { ActivityLog } from './activity/activity-log.js';
import { KeptReplies } from './http/kept-replies.js';
import { Announcements } from './announce/announcer.js';
import { CalendarStore } from './calendar/store.js';
import type { LoadOptions, ResolvedConfig } from './config/load.js';
import { ContactStore } from './contacts/store.js';
import { DataFolder } from './data/data-folder.js';
import { FailureThrottle } from './failure-throttle.js';
import { IdleScreens } from './idle/screens.js';
import type { Logger } from './logger.js';
import { createMediaLibraries, type MediaLibraries } from './media/provider.js';
import { Inventory } from './phones/inventory.js';
import { ConfigLocks } from './provisioning/config-locks.js';
import { createTftpServer } from './provisioning/tftp-server.js';
import { PushObjectStore } from './push/object-store.js';
import { ConfigReloader } from './reload.js';
import type { TftpServer } from './tftp/index.js';
import { RunningTransfers } from './web/events.js';
import { HttpCounters } from './web/http-stats.js';

/**
 * Everything one server instance owns, and that the HTTP app, the TFTP server and the CLI share
 * for one configuration. All of it is created here, in `createContext`; nothing a server owns
 * lives in a module-level registry. `stop()` ends what runs in the background.
 */
export interface AppContext {
  /**
   * The config in force. A reload (`src/reload.ts`) replaces it, with `inventory`, the sources and
   * the media libraries made from it: read it from the context at use, never keep a copy.
   */
  config: ResolvedConfig;
  /** The config file it came from (undefined for the built-in demo). */
  configFile: string | undefined;
  inventory: Inventory;
  log: Logger;
  clock: () => Date;
  /** `server.dataDir`: every write goes through it (atomic, retried); `open()` takes it for this process. */
  data: DataFolder;
  activity: ActivityLog;
  /** Which address each phone's password-bearing files (and pushes) are locked to. */
  configLocks: ConfigLocks;
  contacts: ContactStore;
  calendar: CalendarStore;
  /** Idle pictures: their cache and counters. */
  idle: IdleScreens;
  /** Ring tones and backgrounds with their converted-file caches. */
  media: MediaLibraries;
  /** Push objects waiting for a phone to fetch them (served once the HTTP app mounts /push). */
  pushObjects: PushObjectStore;
  /** Every HTTP answer by status class, for the owner's page. */
  httpStats: HttpCounters;
  /** Phone replies answered again before routing while they are current (src/http/kept-replies.ts). */
  keptReplies: KeptReplies;
  /** Wrong secrets per client address (`/authenticate`, admin password, API token). */
  throttle: FailureThrottle;
  /**
   * The TFTP server (undefined when `server.tftp.enabled` is false). Created here, bound by
   * `startServer`; `address()` is null until then or when its port could not be bound.
   */
  tftp: TftpServer | undefined;
  /** The TFTP transfers running now, for the owner's page (followed from the server's start). */
  transfers: RunningTransfers;
  /** Sound streaming to phones now (RTP), one announcement per phone. */
  announcements: Announcements;
  /**
   * Reads `configFile` again and puts it in force, and writes phone changes into it (undefined for
   * the built-in demo). `startServer` starts its watch; `stop()` ends it.
   */
  reloader: ConfigReloader | undefined;
  /** Stops the background work (phone book and calendar refreshes), the config watch, the TFTP server and the announcements. */
  stop(): Promise<void>;
}

export interface ContextOptions {
  config: ResolvedConfig;
  configFile?: string;
  log: Logger;
  clock?: () => Date;
  /** Keep activity in memory only (tests, one-shot commands). */
  ephemeral?: boolean;
  /** How `config` was loaded (`--http-port`, `--tftp-port`): applied again to every reload. */
  loadOptions?: LoadOptions;
}

export function createContext(options: ContextOptions): AppContext {
  const clock = options.clock ?? (() => new Date());
  const { config, log } = options;
  const inventory = new Inventory(config);
  const data = new DataFolder({ dir: config.server.dataDir, log: log.child({ component: 'data' }) });
  // State files: written atomically, and kept and retried while the data folder refuses them.
  const save = async (file: string, text: string): Promise<void> => void (await data.write(file, text, { retry: true }));
  const ctx = {
    config,
    configFile: options.configFile,
    inventory,
    log,
    clock,
    data,
    activity: new ActivityLog({
      file: options.ephemeral ? undefined : ActivityLog.fileIn(config.server.dataDir),
      clock,
      isConfigured: (name) => ctx.inventory.byDeviceName(name) !== undefined,
      save,
    }),
    configLocks: new ConfigLocks(options.ephemeral ? undefined : ConfigLocks.fileIn(config.server.dataDir), clock, save),
    contacts: contactStore(config, { log, clock, data }),
    calendar: calendarStore(config, { log, clock, data }),
    throttle: new FailureThrottle(),
    media: mediaLibraries(config, inventory, { log, data }),
    pushObjects: new PushObjectStore(clock),
    httpStats: new HttpCounters(clock),
    keptReplies: new KeptReplies(),
    async stop() {
      await ctx.reloader?.stop();
      await Promise.allSettled([ctx.contacts.stop(), ctx.calendar.stop(), ctx.tftp?.stop(), ctx.announcements.stopAll()]);
    },
  } as Omit<AppContext, 'idle' | 'tftp' | 'transfers' | 'announcements' | 'reloader'> as AppContext;
  // These read the rest of this same context: the idle pictures its calendar and clock, the TFTP
  // server its rendered files and activity log.
  ctx.idle = new IdleScreens(ctx);
  ctx.tftp = createTftpServer(ctx);
  ctx.transfers = new RunningTransfers(ctx.tftp, clock);
  ctx.announcements = new Announcements(ctx);
  ctx.reloader = options.configFile ? new ConfigReloader(ctx, options.configFile, options.loadOptions) : undefined;
  return ctx;
}

type Parts = Pick<AppContext, 'log' | 'clock' | 'data'>;

/** The phone book of one config (created at start, and again by a reload that changes `directory:`). */
export function contactStore(config: ResolvedConfig, { log, clock, data }: Parts): ContactStore {
  return new ContactStore({ config, log: log.child({ component: 'directory' }), clock, data });
}

/** The calendars of one config (created at start, and again by a reload that changes what they read). */
export function calendarStore(config: ResolvedConfig, { log, clock, data }: Parts): CalendarStore {
  return new CalendarStore({ config, log: log.child({ component: 'calendar' }), clock, data });
}

/** Ring tones and backgrounds of one config and its phones' models. */
export function mediaLibraries(config: ResolvedConfig, inventory: Inventory, { log, data }: Pick<Parts, 'log' | 'data'>): MediaLibraries {
  return createMediaLibraries(config, inventory, data, log.child({ component: 'media' }));
}
