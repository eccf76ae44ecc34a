/** The node options `npm start` runs the server with (package.json; the systemd unit sets the same). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const START_FLAGS: string[] = (() => {
  const start = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return /^node((?: --\S+)*) /.exec(start)![1]!.trim().split(' ').filter(Boolean);
})();
