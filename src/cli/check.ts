import type { Command } from './command.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate a config file and print every problem with its path',
  usage: 'ciscophone check --config FILE',
  options: {},
  async run(io) {
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    io.out(`${loaded.file ?? 'built-in demo configuration'}: OK (${loaded.config.phones.length} phone(s))`);
    return 0;
  },
};
