import { configSchema } from '../generated/config-validator.js';
import type { Command } from './command.js';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the config file\'s JSON Schema (for editor completion)',
  usage: 'ciscophone schema > ciscophone.schema.json',
  options: {},
  async run(io) {
    io.out(JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...configSchema }, null, 2));
    return 0;
  },
};
