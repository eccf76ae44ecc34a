import { ActivityLog, type Fetch, type PhoneActivity } from '../activity/activity-log.js';
import { deviceName } from '../config/mac.js';
import { addressOf } from '../provisioning/config-lock.js';
import { ConfigLocks } from '../provisioning/config-locks.js';
import type { Command } from './command.js';
import { PHONE_EDIT_OPTIONS, PHONE_EDIT_USAGE, runPhoneEdit } from './phones-edit.js';
import { UsageError } from '../errors.js';

function describeFetch(fetch: Fetch | undefined): string {
  return fetch ? `${fetch.path} (${fetch.via}, ${fetch.status})` : '-';
}

function latest(activity: PhoneActivity | undefined): Fetch | undefined {
  const both = [activity?.lastTftp, activity?.lastHttp].filter((f): f is Fetch => f !== undefined);
  return both.sort((a, b) => b.at.localeCompare(a.at))[0];
}

/** The firmware file the phone last asked for, marked when that request failed (the upgrade stopped there). */
function firmwareAsked(activity: PhoneActivity | undefined): string {
  const file = activity?.firmware;
  if (!file) return '';
  const fetch = [activity.lastTftp, activity.lastHttp].find((f) => f?.path === file);
  return fetch && fetch.status !== 'ok' ? `${file} (${fetch.status})` : file;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
}

/** `ciscophone phones`: every configured phone and every unknown one seen, with its last fetch. */
export const phonesCommand: Command = {
  name: 'phones',
  summary: 'list the phones (configured and seen): which address gets each config file, what each last fetched, from where and when; add or remove one in the config file',
  usage: `ciscophone phones [--config FILE]\n       ${PHONE_EDIT_USAGE}`,
  options: PHONE_EDIT_OPTIONS,
  async run(io) {
    if (io.positionals[0] === 'add' || io.positionals[0] === 'remove') return runPhoneEdit(io);
    if (io.positionals.length > 0) throw new UsageError(`unknown "phones ${io.positionals[0]}": phones, phones add or phones remove`);
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    const { config } = loaded;
    // Read-only: the running server owns the file; this only reads it.
    const activity = new ActivityLog({ file: ActivityLog.fileIn(config.server.dataDir) });
    const locks = new ConfigLocks(ConfigLocks.fileIn(config.server.dataDir));
    await Promise.all([activity.load(), locks.load()]);
    const rows: string[][] = [['NAME', 'MODEL', 'LABEL', 'CONFIG FOR', 'LAST FETCH', 'FROM', 'WHEN', 'FIRMWARE ASKED FOR']];
    const known = new Set<string>();
    for (const phone of config.phones) {
      const name = deviceName(phone.mac);
      known.add(name);
      const seen = activity.get(name);
      const last = latest(seen);
      const fixed = phone.ip ? addressOf(phone.ip) : undefined;
      const lockedTo = fixed ? `${fixed} (ip:)` : (locks.get(name)?.address ?? 'first to fetch');
      rows.push([name, phone.model, phone.label ?? '', lockedTo, describeFetch(last), seen?.ip ?? 'never seen', last?.at ?? '-', firmwareAsked(seen)]);
    }
    for (const seen of activity.all().filter((p) => !known.has(p.name)).sort((a, b) => a.name.localeCompare(b.name))) {
      const last = latest(seen);
      rows.push([seen.name, seen.model ?? '?', '(not configured)', '-', describeFetch(last), seen.ip, last?.at ?? '-', firmwareAsked(seen)]);
    }
    for (const line of table(rows)) io.out(line);
    return 0;
  },
};
