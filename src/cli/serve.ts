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
    const { config, file } = loaded;
    const log = createLogger(config.server.logLevel);
    if (!file) log.info('no --config and no ./ciscophone.yaml: running the built-in demo configuration');
    const server = await startServer({ config, configFile: file, log });
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    log.info('stopping');
    await server.stop();
    return 0;
  },
};
