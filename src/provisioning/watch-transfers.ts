/**
 * Follows the TFTP server's events for the owner: every fetch goes to the activity log (refused
 * requests do not: a host outside `allow` or a lock must not fill it or move a phone), a missing
 * firmware file gets a hint, and firmware downloads log which phone is upgrading (the server itself
 * logs progress at 25/50/75/100 % for large files).
 */
import type { AppContext } from '../context.js';
import type { TftpClient, TftpServer } from '../tftp/index.js';
import { recordFetch, reportMissingFirmware } from './fetch-log.js';
import { isFirmwareName } from './firmware.js';

export function watchTransfers(tftp: TftpServer, ctx: AppContext): void {
  const log = ctx.log.child({ component: 'provisioning' });
  const running = new Map<number, { file: string; client: TftpClient; size: number }>();

  tftp.on('transfer-start', (event) => {
    running.set(event.id, { file: event.file, client: event.client, size: event.size });
    if (isFirmwareName(event.file)) {
      const phone = ctx.activity.nameAt(event.client.address);
      log.info({ file: event.file, ip: event.client.address, size: event.size, ...(phone ? { phone } : {}) }, `firmware download ${event.file} started`);
    }
  });
  tftp.on('transfer-end', (event) => {
    const started = running.get(event.id);
    running.delete(event.id);
    if (!started) return;
    recordFetch(ctx, { via: 'tftp', ip: started.client.address, path: started.file, status: event.ok ? 'ok' : 'error' });
    if (isFirmwareName(started.file)) {
      log.info({ file: started.file, ip: started.client.address, ok: event.ok, ms: event.ms }, `firmware download ${started.file} ${event.ok ? 'finished' : 'failed'}`);
    }
  });
  tftp.on('miss', (event) => {
    recordFetch(ctx, { via: 'tftp', ip: event.client.address, path: event.file, status: 'missing' });
    reportMissingFirmware(ctx, event.file, event.client.address).catch((err: Error) => log.error({ err: err.message }, 'firmware hint failed'));
  });
}
