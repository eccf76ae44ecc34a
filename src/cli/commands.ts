import { announceCommand } from './announce.js';
import { checkCommand } from './check.js';
import type { Command } from './command.js';
import { directoryCommand } from './directory.js';
import { idlePreviewCommand } from './idle.js';
import { initCommand } from './init.js';
import { phonesCommand } from './phones.js';
import { pushCommand } from './push.js';
import { renderCommand } from './render.js';
import { schemaCommand } from './schema.js';
import { serveCommand } from './serve.js';

/** Every `ciscophone <command>`, in the order `--help` lists them. */
export const COMMANDS: Command[] = [initCommand, serveCommand, checkCommand, schemaCommand, renderCommand, phonesCommand, pushCommand, announceCommand, idlePreviewCommand, directoryCommand];
