import { formatProblem } from '../config/problems.js';
import { provisioningWarnings } from '../provisioning/problems.js';
import type { Command } from './command.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate a config file and print every problem with its path (warnings too)',
  usage: 'ciscophone check --config FILE',
  options: {},
  async run(io) {
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    for (const warning of provisioningWarnings(loaded.config)) io.out(`warning: ${formatProblem(warning)}`);
    io.out(`${loaded.file ?? 'built-in demo configuration'}: OK (${loaded.config.phones.length} phone(s))`);
    return 0;
  },
};
