import { mkdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { LoadOptions, ResolvedConfig } from './config/load.js';
import { formatProblem } from './config/problems.js';
import { createContext, type AppContext } from './context.js';
import { buildApp } from './app.js';
import type { Logger } from './logger.js';
import type { ConfigReloader } from './reload.js';
import { openProvisioningWarning } from './provisioning/config-lock.js';
import { provisioningHttpApp } from './provisioning/http.js';
import { provisioningWarnings } from './provisioning/problems.js';
import { virtualFileProviders } from './provisioning/providers.js';
import type { TftpServer, VirtualFileProvider } from './tftp/index.js';

export interface StartOptions {
  config: ResolvedConfig;
  /** Watched and read again on change (`reload()`); undefined for the built-in demo. */
  configFile?: string | undefined;
  /** How `config` was loaded (`--http-port`, `--tftp-port`), applied again to every reload. */
  loadOptions?: LoadOptions;
  log: Logger;
  clock?: () => Date;
}

export interface RunningServer {
  ctx: AppContext;
  http: FastifyInstance;
  /** Undefined when TFTP is off or its port could not be bound (the rest keeps running). */
  tftp: TftpServer | undefined;
  /** The same files over HTTP on the provisioning port (newer firmware tries it before TFTP). */
  provisioningHttp: FastifyInstance | undefined;
  /** Reads the config file again (SIGHUP); undefined for the built-in demo. */
  reloader: ConfigReloader | undefined;
  stop: () => Promise<void>;
}

/** Starts everything one config describes: phone services over HTTP, TFTP, then the sources. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, log } = options;
  const ctx = createContext({
    config,
    configFile: options.configFile,
    log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.loadOptions ? { loadOptions: options.loadOptions } : {}),
  });
  // First: a second ciscophone on the same data folder stops here, before it listens or writes.
  await ctx.data.open();
  await Promise.all([ctx.activity.load(), ctx.configLocks.load()]);
  const openWarning = openProvisioningWarning(ctx);
  if (openWarning) log.warn(openWarning);
  // What `ciscophone check` prints as warnings (a catch-all dial rule, a zone no phone setting keeps right).
  for (const warning of provisioningWarnings(config)) log.warn(formatProblem(warning));

  await ensureTftpRoot(ctx);
  const providers = virtualFileProviders(ctx);
  const http = await buildApp(ctx);
  await http.listen({ host: config.server.http.host, port: config.server.http.port });
  log.info({ publicUrl: config.server.publicUrl }, `phone services at ${config.server.publicUrl}/services, web page at ${config.server.publicUrl}/`);

  const tftp = await startTftp(ctx);
  const provisioningHttp = await startProvisioningHttp(ctx, providers);
  // Only now, with every port answering, do the sources load their disk caches and expand them
  // (in slices, sources/slices.ts); they refresh in the background: no phone request waits on them.
  // One after the other: a large phone book and the calendars read at once raise the process's
  // peak memory, which it keeps (10,000 contacts: 126-130 MB at once, 110-113 MB in turn).
  await ctx.contacts.start();
  await ctx.calendar.start();
  const reloader = ctx.reloader;
  reloader?.watch();

  return {
    ctx,
    http,
    tftp,
    provisioningHttp,
    reloader,
    stop: async () => {
      // Transfers in progress get a TFTP ERROR; requests, pushes and source refreshes get STOP_GRACE_MS.
      const cut = setTimeout(() => {
        http.server.closeAllConnections();
        provisioningHttp?.server.closeAllConnections();
      }, STOP_GRACE_MS);
      await settledOrLate(
        Promise.allSettled([http.close(), provisioningHttp?.close(), ctx.stop()]),
        STOP_GRACE_MS,
      );
      clearTimeout(cut);
      await Promise.all([ctx.activity.flush(), ctx.configLocks.flush()]);
      await ctx.data.close();
    },
  };
}

/**
 * Longest wait, when the server stops, for requests, pushes and phone book or calendar refreshes
 * still running; then connections are cut and the activity is saved (SIGTERM/SIGINT end within 5 s).
 */
export const STOP_GRACE_MS = 3000;

/** Resolves when `work` settles or `ms` later, whichever comes first. */
async function settledOrLate(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Binds the context's TFTP server; undefined when it is off or its port could not be bound. */
async function startTftp(ctx: AppContext): Promise<TftpServer | undefined> {
  const server = ctx.tftp;
  if (!server) return undefined;
  try {
    await server.start();
    return server;
  } catch (error) {
    // One clear line (how to get port 69) and the HTTP side keeps running.
    ctx.log.error((error as Error).message);
    return undefined;
  }
}

async function startProvisioningHttp(ctx: AppContext, providers: VirtualFileProvider[]): Promise<FastifyInstance | undefined> {
  const settings = ctx.config.server.provisioningHttp;
  if (!settings.enabled) return undefined;
  const app = await provisioningHttpApp(ctx, providers, ctx.config.server.tftp.root);
  try {
    await app.listen({ host: ctx.config.server.http.host, port: settings.port });
    return app;
  } catch (error) {
    ctx.log.error(`provisioning over HTTP is off: port ${settings.port} (${(error as NodeJS.ErrnoException).code ?? String(error)}); phones fall back to TFTP`);
    await app.close();
    return undefined;
  }
}

/** A fresh install has no TFTP root yet: make it, so the rendered files are served from the start. */
async function ensureTftpRoot(ctx: AppContext): Promise<void> {
  const root = ctx.config.server.tftp.root;
  try {
    if (await mkdir(root, { recursive: true })) ctx.log.info(`created the TFTP root ${root} (put firmware and your own files there)`);
  } catch (error) {
    ctx.log.warn(`cannot create the TFTP root ${root} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
