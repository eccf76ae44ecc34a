import { ContactStore } from '../contacts/store.js';
import { createLogger } from '../logger.js';
import type { Command } from './command.js';

/** `ciscophone directory status|search QUERY`: the phone book as the server sees it, refreshed now. */
export const directoryCommand: Command = {
  name: 'directory',
  summary: 'phone book: status of each source, or search it like a phone does',
  usage: 'ciscophone directory status|search QUERY [--config FILE]',
  options: {},
  async run(io) {
    const [action, ...rest] = io.positionals;
    if (action !== 'status' && action !== 'search') {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const query = rest.join(' ');
    if (action === 'search' && !query.trim()) {
      io.err('search needs a query (letters, digits, or a name typed on the keypad such as 6855)');
      return 2;
    }
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    const store = new ContactStore({ config: loaded.config, log: createLogger('silent'), clock: () => new Date() });
    await store.start();
    try {
      await store.refresh();
      if (action === 'status') {
        const status = store.status();
        if (status.length === 0) io.out('no directory sources configured');
        for (const s of status) {
          const unread = s.unread ? `, ${s.unread} card(s) not fully read` : '';
          io.out(`${s.name} (${s.type}): ${s.state}, ${s.count} contact(s)${unread}${s.lastSync ? `, last sync ${s.lastSync}` : ''}`);
          if (s.lastError) io.out(`  last error: ${s.lastError}`);
          for (const line of s.warnings ?? []) io.out(`  ${line}`);
        }
        return status.some((s) => s.state === 'error') ? 1 : 0;
      }
      const names = new Map(store.sources().map((s) => [s.id, s.name]));
      const hits = store.search(query);
      if (hits.length === 0) io.out(`nothing found for "${query}"`);
      for (const h of hits) io.out(`${h.name} (${h.type})  ${h.dial}  [${names.get(h.source)}]`);
      return 0;
    } finally {
      await store.stop();
    }
  },
};
