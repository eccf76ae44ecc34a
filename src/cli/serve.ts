import { createLogger } from '../logger.js';
import { startServer } from '../server.js';
import type { Command } from './command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the server (TFTP, phone services, web page)',
  usage: 'ciscophone serve [--config FILE] [--http-port N] [--tftp-port N]',
  options: {},
  async run(io) {
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    const { config, file, options } = loaded;
    const log = createLogger(config.server.logLevel);
    if (!file) log.info('no --config and no ./ciscophone.yaml: running the built-in demo configuration');
    // Listened for from the start: a signal while the sources still load (after the ports opened) stops cleanly too.
    const stopSignal = nextStopSignal();
    const server = await startServer({ config, configFile: file, log, ...(options ? { loadOptions: options } : {}) });
    const reload = (): void => {
      if (!server.reloader) return log.warn('SIGHUP: the built-in demo has no file to read again');
      log.info(`SIGHUP: reading ${file} again`);
      void server.reloader.reload();
    };
    process.on('SIGHUP', reload);
    const signal = await stopSignal;
    process.off('SIGHUP', reload);
    log.info(`${signal}: stopping (transfers ended, activity saved)`);
    await server.stop();
    log.info('stopped');
    // Nothing of the server runs any more: a refresh still waiting on a silent server does not hold the process.
    setTimeout(() => process.exit(0), 200).unref();
    return 0;
  },
};

/**
 * The one place signals are handled: SIGTERM (systemd, `kill`) or SIGINT (Ctrl-C) starts a clean
 * stop; the handlers are then removed, so a second one ends the process at once.
 */
function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
