/**
 * The systemd unit shipped in the package, checked by systemd itself: `systemd-analyze verify`
 * in a throwaway root that holds the system's own units and the command ExecStart names.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const UNIT = readFileSync('systemd/ciscophone.service', 'utf8');
/** Where Debian keeps the system's units (sysinit.target and the rest verify looks up). */
const SYSTEM_UNITS = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((d) => existsSync(path.join(d, 'sysinit.target')));

function settings(key: string): string[] {
  return [...UNIT.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!);
}

/** Runs `systemd-analyze verify` on `unitText` installed in a fresh root; resolves with everything it printed. */
async function verify(unitText: string): Promise<{ code: number; output: string }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'systemd-root-'));
  cpSync(SYSTEM_UNITS!, path.join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  const exec = settings('ExecStart')[0]!.split(' ')[0]!;
  mkdirSync(path.join(root, path.dirname(exec)), { recursive: true });
  copyFileSync('bin/ciscophone.js', path.join(root, exec));
  chmodSync(path.join(root, exec), 0o755);
  mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
  writeFileSync(path.join(root, 'etc/systemd/system/ciscophone.service'), unitText);
  try {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', '--man=no', `--root=${root}`, '/etc/systemd/system/ciscophone.service']);
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw error;
    return { code: Number(e.code), output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function systemdAnalyzeMissing(): Promise<string | undefined> {
  if (!SYSTEM_UNITS) return 'no system units (/usr/lib/systemd/system) to verify against: install Debian\'s systemd package';
  try {
    await run('systemd-analyze', ['--version']);
    return undefined;
  } catch {
    return 'systemd-analyze is not installed (Debian package systemd; .ci/run installs it)';
  }
}

describe('systemd unit', () => {
  it('runs as a dedicated user with only the capability for port 69', () => {
    assert.deepEqual(settings('User'), ['ciscophone']);
    assert.deepEqual(settings('AmbientCapabilities'), ['CAP_NET_BIND_SERVICE']);
    assert.deepEqual(settings('CapabilityBoundingSet'), ['CAP_NET_BIND_SERVICE']);
    assert.deepEqual(settings('NoNewPrivileges'), ['yes']);
  });

  it('can write only to its data folder, and reads secrets from an EnvironmentFile', () => {
    assert.deepEqual(settings('ProtectSystem'), ['strict']);
    assert.deepEqual(settings('StateDirectory'), ['ciscophone']);
    assert.deepEqual(settings('WorkingDirectory'), ['/var/lib/ciscophone']);
    assert.deepEqual(settings('ReadWritePaths'), [], 'no other writable path');
    assert.deepEqual(settings('ProtectHome'), ['yes']);
    assert.deepEqual(settings('PrivateTmp'), ['yes']);
    assert.equal(settings('EnvironmentFile').length, 1);
    assert.match(settings('ExecStart')[0]!, /^\/\S+\/ciscophone serve --config \/etc\/ciscophone\/ciscophone\.yaml$/);
  });

  it('runs node with the options `npm start` gives it (a small young generation)', () => {
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
    const flags = /^node((?: --\S+)*) bin\/ciscophone\.js serve$/.exec(start)?.[1]?.trim();
    assert.ok(flags, start);
    assert.match(flags, /--max-semi-space-size=\d+/);
    assert.deepEqual(settings('Environment').filter((e) => e.startsWith('NODE_OPTIONS=')), [`NODE_OPTIONS=${flags}`]);
  });

  it('gives the clean stop (at most 5 s) time before it kills', () => {
    assert.deepEqual(settings('KillSignal'), ['SIGTERM']);
    assert.ok(Number(settings('TimeoutStopSec')[0]) > 5);
  });

  it('passes systemd-analyze verify without a warning', { timeout: 60_000 }, async (t) => {
    const missing = await systemdAnalyzeMissing();
    if (missing) return t.skip(missing);
    const result = await verify(UNIT);
    assert.equal(result.code, 0, result.output);
    assert.equal(result.output.trim(), '');
    // The check can fail: a misspelled key is reported.
    const broken = await verify(UNIT.replace('ProtectHome=', 'ProtectHom='));
    assert.match(broken.output, /Unknown key 'ProtectHom'/);
  });

  it('keeps systemd-analyze security\'s exposure rating at 2.0 or below ("OK"; 10 is unprotected)', { timeout: 60_000 }, async (t) => {
    const missing = await systemdAnalyzeMissing();
    if (missing) return t.skip(missing);
    // --threshold=20 (tenths): the command fails above 2.0.
    const { stdout } = await run('systemd-analyze', ['security', '--offline=true', '--threshold=20', '--no-pager', 'systemd/ciscophone.service']);
    const rating = /Overall exposure level for ciscophone\.service: (\d+\.\d)/.exec(stdout);
    assert.ok(rating && Number(rating[1]) <= 2.0, stdout.split('\n').slice(-2).join('\n'));
  });
});
