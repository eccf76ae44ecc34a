import type { AppContext } from '../context.js';
import { TftpServer } from '../tftp/index.js';
import { virtualFileProviders } from './providers.js';
import { watchTransfers } from './watch-transfers.js';

/**
 * The TFTP server of one context, not yet listening (`server.ts` starts it): it serves the rendered
 * files before the static root, and its transfers go to the activity log. Undefined when
 * `server.tftp.enabled` is false.
 */
export function createTftpServer(ctx: AppContext): TftpServer | undefined {
  const settings = ctx.config.server.tftp;
  if (!settings.enabled) return undefined;
  const server = new TftpServer({
    host: settings.host,
    port: settings.port,
    root: settings.root,
    providers: virtualFileProviders(ctx),
    maxBlockSize: settings.maxBlockSize,
    maxWindowSize: settings.maxWindowSize,
    maxTransfers: settings.maxTransfers,
    maxPerClient: settings.maxPerClient,
    fileCacheBytes: settings.fileCacheMB * 1024 * 1024,
    ...(settings.allow ? { allow: settings.allow } : {}),
    logger: ctx.log.child({ component: 'tftp' }),
  });
  watchTransfers(server, ctx);
  return server;
}
