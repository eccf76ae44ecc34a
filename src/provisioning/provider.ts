/**
 * The provisioning files as a `VirtualFileProvider`: rendered per request, locked to the phone's
 * address when `lockConfigToIp` is on, and a log line for every phone missing from the inventory.
 */
import type { AppContext } from '../context.js';
import { bufferFile, type TftpClient, type VirtualFileProvider } from '../tftp/index.js';
import { configFileLock } from './config-lock.js';
import { renderVirtualFile } from './virtual-files.js';

export function provisioningProvider(ctx: AppContext): VirtualFileProvider {
  return {
    async resolve(name: string, client: TftpClient) {
      const rendered = await renderVirtualFile(ctx, name);
      if (rendered === null) return null;
      if (rendered.kind === 'unknown-phone') {
        // Not found, so the phone goes on to XMLDefault.cnf.xml; the owner learns what to add.
        ctx.log.warn(
          { mac: rendered.mac, ip: client.address, file: name },
          `unknown phone ${rendered.mac} at ${client.address} asked for ${name}; add it under phones: (mac: "${rendered.mac}") to provision it`,
        );
        return null;
      }
      const lockedTo = rendered.secret && rendered.phone ? configFileLock(ctx, rendered.phone, client.address) : undefined;
      return bufferFile(rendered.body, lockedTo !== undefined ? { lockedTo } : {});
    },
  };
}
