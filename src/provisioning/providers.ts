import type { AppContext } from '../context.js';
import { mediaProvider } from '../media/provider.js';
import type { VirtualFileProvider } from '../tftp/index.js';
import { provisioningProvider } from './provider.js';

/**
 * The files rendered per request, in the order they are asked: TFTP and the provisioning HTTP
 * port both resolve names through this list before the static root.
 */
export function virtualFileProviders(ctx: AppContext): VirtualFileProvider[] {
  return [provisioningProvider(ctx), mediaProvider(ctx)];
}
