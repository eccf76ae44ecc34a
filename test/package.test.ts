/**
 * The npm package as people install it: `npm pack`, then `npm install <tarball>` (production
 * dependencies only) in an empty folder, then the installed `ciscophone` command. Uses the npm
 * cache (--prefer-offline) so a second run downloads nothing.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import semver from 'semver';
import { checkPhoneXml } from './helpers/phone-xml.js';
import { assertCleanStop, startServeProcess } from './helpers/serve-process.js';

const run = promisify(execFile);
const PACKAGE = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; engines: { node: string } };
/** npm without the settings of an enclosing `npm test` (they would change what gets installed). */
const NPM_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout, stderr } = await run('npm', args, { cwd, env: NPM_ENV, maxBuffer: 32 * 1024 * 1024 });
  return `${stdout}\n${stderr}`;
}

describe('the npm package', { timeout: 600_000 }, () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ciscophone-package-'));
  const app = path.join(work, 'app');
  const bin = path.join(app, 'node_modules', '.bin', 'ciscophone');
  let packed: { filename: string; files: { path: string }[] };
  let installLog = '';

  before(async () => {
    // `npm pack` runs `prepack`, which builds dist/ from the current sources.
    const out = await run('npm', ['pack', '--json', '--pack-destination', work], { env: NPM_ENV, maxBuffer: 32 * 1024 * 1024 });
    packed = (JSON.parse(out.stdout.slice(out.stdout.indexOf('['))) as (typeof packed)[])[0]!;
    await run('mkdir', [app]);
    writeFileSync(path.join(app, 'package.json'), '{ "private": true }\n');
    installLog = await npm(['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, packed.filename)], app);
  });

  after(() => run('rm', ['-rf', work]));

  it('holds the built JavaScript, assets, services and the systemd unit, and no TypeScript or tests', () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of ['bin/ciscophone.js', 'dist/src/cli.js', 'dist/services/directory/index.js', 'assets/demo/ciscophone.yaml', 'assets/web/index.html', 'systemd/ciscophone.service']) {
      assert.ok(files.includes(needed), needed);
    }
    assert.deepEqual(files.filter((f) => /\.ts$/.test(f) || f.startsWith('test/') || f.startsWith('src/')), []);
  });

  it('installs from the tarball without engine warnings, install scripts or compilers', () => {
    assert.doesNotMatch(installLog, /EBADENGINE|install-scripts|ERR!/, installLog);
    assert.ok(existsSync(bin));
    assert.ok(!existsSync(path.join(app, 'node_modules', 'typescript')), 'no compiler installed');
  });

  it('runs --version, check, render and init from the installed package', async () => {
    const npx = (...args: string[]): Promise<{ stdout: string }> => run('npx', ['--no-install', 'ciscophone', ...args], { cwd: app, env: NPM_ENV });
    assert.equal((await npx('--version')).stdout.trim(), `ciscophone ${PACKAGE.version}`);
    assert.match((await npx('check')).stdout, /built-in demo configuration: OK/);
    const sep = await npx('render', 'SEP008041AEFD7E.cnf.xml');
    assert.match(sep.stdout, /<device[ >]/);
    assert.match(sep.stdout, /<loadInformation/);
    const init = await npx('init', '--config', 'etc/ciscophone.yaml', '--pbx', '192.168.1.1', '--phone', '008041AEFD7E', '--model', '7941', '--line', '620');
    assert.match(init.stdout, /CISCOPHONE_LINE_620_PASSWORD/);
    assert.ok(existsSync(path.join(app, 'etc', 'ciscophone.yaml')));
  });

  it('serves the demo and stops cleanly on SIGTERM', async () => {
    const serve = await startServeProcess(bin, ['serve', '--http-port', '0', '--tftp-port', '0'], app);
    try {
      const res = await fetch(`http://127.0.0.1:${serve.httpPort}/services?name=SEP008041AEFD7E`);
      assert.equal(checkPhoneXml(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type') ?? undefined).kind, 'Menu');
      const idle = await fetch(`http://127.0.0.1:${serve.httpPort}/idle.png?name=SEP008041AEFD7E`);
      assert.equal(idle.headers.get('content-type'), 'image/png', 'sharp works from the installed package');
      await assertCleanStop(serve, app, 'SIGTERM');
    } finally {
      serve.child.kill('SIGKILL');
    }
  });
});

describe('engines', () => {
  it(`every production dependency runs on every Node the package allows (${PACKAGE.engines.node})`, () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; engines?: { node?: string } }> };
    const narrower: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      const wants = entry.engines?.node;
      if (!where || entry.dev || !wants) continue;
      // A platform package (sharp's for 32-bit Windows) is only installed where it fits; it must overlap.
      const fits = entry.optional ? semver.intersects(PACKAGE.engines.node, wants) : semver.subset(PACKAGE.engines.node, wants);
      if (!fits) narrower.push(`${where}@${entry.version}: node ${wants}`);
    }
    assert.deepEqual(narrower, []);
    assert.ok(semver.satisfies(process.version, PACKAGE.engines.node), `this Node (${process.version}) is one the package allows`);
  });
});
