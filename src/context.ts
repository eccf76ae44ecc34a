import { ActivityLog } from './activity/activity-log.js';
import { CalendarStore } from './calendar/store.js';
import type { ResolvedConfig } from './config/load.js';
import { ContactStore } from './contacts/store.js';
import { FailureThrottle } from './failure-throttle.js';
import type { Logger } from './logger.js';
import { Inventory } from './phones/inventory.js';
import { ConfigLocks } from './provisioning/config-locks.js';
import type { TftpServer } from './tftp/index.js';

/** Everything the HTTP app, the TFTP server and the CLI share for one configuration. */
export interface AppContext {
  config: ResolvedConfig;
  /** The config file it came from (undefined for the built-in demo). */
  configFile: string | undefined;
  inventory: Inventory;
  log: Logger;
  clock: () => Date;
  activity: ActivityLog;
  /** Which address each phone's password-bearing files (and pushes) are locked to. */
  configLocks: ConfigLocks;
  contacts: ContactStore;
  calendar: CalendarStore;
  /** Wrong secrets per client address (`/authenticate`, admin password, API token). */
  throttle: FailureThrottle;
  /** The TFTP server while it runs (its events feed the web page's live transfers). */
  tftp?: TftpServer | undefined;
}

export interface ContextOptions {
  config: ResolvedConfig;
  configFile?: string;
  log: Logger;
  clock?: () => Date;
  /** Keep activity in memory only (tests, one-shot commands). */
  ephemeral?: boolean;
}

export function createContext(options: ContextOptions): AppContext {
  const clock = options.clock ?? (() => new Date());
  const { config, log } = options;
  return {
    config,
    configFile: options.configFile,
    inventory: new Inventory(config),
    log,
    clock,
    activity: new ActivityLog(options.ephemeral ? undefined : ActivityLog.fileIn(config.server.dataDir), clock),
    configLocks: new ConfigLocks(options.ephemeral ? undefined : ConfigLocks.fileIn(config.server.dataDir), clock, (message) => log.warn(message)),
    contacts: new ContactStore({ config, log: log.child({ component: 'directory' }), clock }),
    calendar: new CalendarStore({ config, log: log.child({ component: 'calendar' }), clock }),
    throttle: new FailureThrottle(),
  };
}
