import { createContext } from '../context.js';
import { createLogger } from '../logger.js';
import { normaliseRequestName, resolveStatic } from '../tftp/index.js';
import { renderVirtualFile } from '../provisioning/virtual-files.js';
import { renderMediaFile } from '../media/provider.js';
import type { Command } from './command.js';

/** `ciscophone render FILE`: the bytes a phone gets for a rendered file, on stdout. */
export const renderCommand: Command = {
  name: 'render',
  summary: 'print a file as a phone gets it over TFTP (e.g. SEP008041AEFD7E.cnf.xml, dialplan.xml)',
  usage: 'ciscophone render FILE [--config FILE] [--mask]',
  options: { mask: { type: 'boolean' } },
  async run(io) {
    const [requested] = io.positionals;
    if (!requested || io.positionals.length > 1) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    const name = normaliseRequestName(requested);
    if (name === null) {
      io.err(`${requested}: not a file name a phone could ask for`);
      return 1;
    }
    const ctx = createContext({ config: loaded.config, configFile: loaded.file, log: createLogger('silent'), ephemeral: true });
    const file = (await renderVirtualFile(ctx, name, { mask: io.values['mask'] === true })) ?? (await renderMediaFile(ctx, name));
    if (file === null) {
      const { root } = loaded.config.server.tftp;
      const found = await resolveStatic(root, name);
      io.err(
        found.status === 'found'
          ? `${name} is not rendered by ciscophone: a phone gets ${found.path} from the TFTP root as it is`
          : `${name} is not rendered by ciscophone and is not in the TFTP root ${root}: a phone gets "file not found"`,
      );
      return 1;
    }
    if (file.kind === 'unknown-phone') {
      io.err(`${name}: no phone with MAC ${file.mac} in the config (such a phone gets "file not found", then XMLDefault.cnf.xml)`);
      return 1;
    }
    if (!file.contentType.startsWith('text/')) {
      io.err(`${name}: ${file.body.length} bytes of ${file.contentType}, not printed (fetch it with a TFTP client, e.g. curl -o out tftp://SERVER/${name})`);
      return 0;
    }
    // Decoded from the file's own charset (ISO-8859-1 for the 7940/7960 files), so the terminal shows it right.
    const text = file.body.toString(file.contentType.includes('iso-8859-1') ? 'latin1' : 'utf8');
    io.out(text.replace(/\n$/, ''));
    return 0;
  },
};
