import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lanIPv4 } from '../src/config/lan-address.js';
import { parseConfig } from '../src/config/load.js';
import { runCli } from './helpers/cli.js';

const folder = (): string => mkdtempSync(path.join(os.tmpdir(), 'init-'));

/** The config as `check` reads it, with the printed variables set. */
function load(file: string, variables: string[]): ReturnType<typeof parseConfig> {
  return parseConfig(readFileSync(file, 'utf8'), file, { env: Object.fromEntries(variables.map((v) => [v, 'secret'])) });
}

describe('ciscophone init', () => {
  it('writes a commented config from the flags that check accepts once the printed variables are set', async () => {
    const dir = folder();
    const r = await runCli(['init', '--pbx', 'pbx.lan:5080', '--phone', '0080.41ae.fd7e', '--model', '7941', '--line', '620', '--public-url', 'http://192.168.1.20:8080/'], dir);
    assert.equal(r.code, 0, r.err);
    const file = path.join(dir, 'ciscophone.yaml');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# /m, 'commented');
    assert.doesNotMatch(text, /password: "(?!\$\{)/, 'no password written, only placeholders');
    const variables = ['CISCOPHONE_ADMIN_PASSWORD', 'CISCOPHONE_LINE_620_PASSWORD'];
    for (const v of variables) assert.match(r.out, new RegExp(`^  ${v} `, 'm'));
    assert.throws(() => load(file, []), /CISCOPHONE_ADMIN_PASSWORD is not set/);
    const config = load(file, variables);
    assert.equal(config.server.publicUrl, 'http://192.168.1.20:8080');
    assert.equal(config.server.http.port, 8080);
    assert.equal(config.server.tftp.port, 69);
    assert.deepEqual(config.pbx, { host: 'pbx.lan', port: 5080, transport: 'udp' });
    assert.equal(config.phones.length, 1);
    assert.equal(config.phones[0]!.model, '7941');
    assert.equal(config.phones[0]!.lines[0]!.number, '620');
    assert.equal(config.server.dataDir, path.join(dir, 'data'));
    assert.equal(config.server.tftp.root, path.join(dir, 'data', 'tftp'));
    // The next steps: check, serve, point the phone, the web page.
    assert.match(r.out, /ciscophone check\n/);
    assert.match(r.out, /ciscophone serve/);
    assert.match(r.out, /DHCP option 150/);
    assert.match(r.out, /http:\/\/192\.168\.1\.20:8080\//);
    const checked = await runCli(['check'], dir);
    assert.equal(checked.code, 1, 'check names the variables still to set');
    assert.match(checked.err, /CISCOPHONE_LINE_620_PASSWORD is not set/);
  });

  it('never overwrites an existing file', async () => {
    const dir = folder();
    const file = path.join(dir, 'mine.yaml');
    writeFileSync(file, 'pbx: { host: mine }\n');
    const r = await runCli(['init', '--config', file, '--pbx', '10.0.0.1'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /already exists: not overwritten/);
    assert.equal(readFileSync(file, 'utf8'), 'pbx: { host: mine }\n');
  });

  it('without a terminal and without flags uses the defaults: this machine\'s LAN address, no phone', async () => {
    const dir = folder();
    const file = path.join(dir, 'etc', 'ciscophone.yaml');
    const r = await runCli(['init', '--config', file, '--data', path.join(dir, 'state')], dir);
    assert.equal(r.code, 0, r.err);
    const config = load(file, ['CISCOPHONE_ADMIN_PASSWORD']);
    assert.equal(config.server.publicUrl, `http://${lanIPv4()}:8080`);
    assert.equal(config.pbx.host, lanIPv4());
    assert.match(r.out, /PBX assumed on this machine/);
    assert.deepEqual(config.phones, []);
    assert.equal(config.server.dataDir, path.join(dir, 'state'));
    assert.match(r.out, new RegExp(`ciscophone check --config ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('refuses bad answers with a usage message and writes nothing', async () => {
    const dir = folder();
    for (const args of [
      ['--phone', '00:11', '--model', '7941', '--line', '620'],
      ['--phone', '008041AEFD7E', '--model', '7999', '--line', '620'],
      ['--phone', '008041AEFD7E'],
      ['--pbx', 'pbx.lan:99999'],
      ['--public-url', 'ftp://x'],
    ]) {
      const r = await runCli(['init', ...args], dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /usage: ciscophone init/);
    }
    assert.ok(!existsSync(path.join(dir, 'ciscophone.yaml')));
  });

  it('asks on a terminal, asks again after a wrong answer, and takes the defaults shown', { timeout: 120_000 }, async (t) => {
    // util-linux `script` gives the command a real terminal.
    const script = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
    if (!script) return t.skip('`script` (util-linux) is not installed: no terminal to test with');
    const dir = folder();
    const entry = path.resolve('test/helpers/cli-entry.ts');
    const command = [process.execPath, '--import', import.meta.resolve('tsx'), entry, 'init'].map((a) => `'${a}'`).join(' ');
    const child = spawn(script, ['-qec', command, '/dev/null'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (d) => (screen += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const answers = ['pbx.lan', '', 'not-a-mac', '00:80:41:ae:fd:7e', '7970', '621'];
    // Every question ends in "]: " (with a default) or "): ".
    const questions = (): number => (screen.match(/[\])]: /g) ?? []).length;
    for (const [i, answer] of answers.entries()) {
      await waitFor(() => questions() > i, () => screen);
      child.stdin.write(`${answer}\n`);
    }
    assert.equal(await exited, 0, screen);
    assert.match(screen, /is not a MAC address/);
    const config = load(path.join(dir, 'ciscophone.yaml'), ['CISCOPHONE_ADMIN_PASSWORD', 'CISCOPHONE_LINE_621_PASSWORD']);
    assert.equal(config.pbx.host, 'pbx.lan');
    assert.equal(config.server.publicUrl, `http://${lanIPv4()}:8080`);
    assert.equal(config.phones[0]!.model, '7970');
    assert.equal(config.phones[0]!.lines[0]!.number, '621');
  });
});

async function waitFor(condition: () => boolean, shown: () => string): Promise<void> {
  const until = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out; screen:\n${shown()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
