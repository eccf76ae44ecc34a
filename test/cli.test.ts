import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkPhoneXml } from './helpers/phone-xml.js';
import { runCli } from './helpers/cli.js';
import { assertCleanStop, startServeProcess } from './helpers/serve-process.js';


function configFile(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  const file = path.join(dir, 'ciscophone.yaml');
  writeFileSync(file, text);
  return file;
}

describe('ciscophone command line', () => {
  it('check prints every problem with its path and exits 1', async () => {
    const file = configFile('pbx: { host: pbx }\nphones:\n  - { mac: "00:80:41:AE:FD:7E", model: "7941" }\n  - { mac: "00:11", model: "7941" }\n');
    const r = await runCli(['check', '--config', file]);
    assert.equal(r.code, 1);
    assert.match(r.err, /phones\[1\]\.mac: "00:11" is not a MAC address/);
  });

  it('check accepts a good file', async () => {
    const r = await runCli(['check', '--config', configFile('pbx: { host: pbx }\n')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /OK/);
  });

  it('check uses ./ciscophone.yaml when there is no --config', async () => {
    const file = configFile('pbx: { host: 192.168.1.1 }\nphones: [ { mac: "008041AEFD7E", model: "7970" } ]\n');
    const r = await runCli(['check'], path.dirname(file));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: OK \\(1 phone`));
  });

  it('schema prints a JSON Schema with the documented keys', async () => {
    const r = await runCli(['schema']);
    assert.equal(r.code, 0);
    const schema = JSON.parse(r.out) as { properties: Record<string, unknown> };
    for (const key of ['server', 'pbx', 'phones', 'services', 'directory', 'calendar']) assert.ok(key in schema.properties, key);
  });

  it('rejects unknown commands and bad port numbers with a usage message', async () => {
    assert.equal((await runCli(['fly'])).code, 2);
    const r = await runCli(['check', '--http-port', 'eighty']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--http-port must be a port number/);
    assert.equal((await runCli(['check', '--no-such-flag'])).code, 2);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serve runs the built-in demo, answers phones and stops cleanly on ${signal}`, async () => {
      const cwd = mkdtempSync(path.join(os.tmpdir(), 'serve-'));
      const entry = path.resolve('test/helpers/cli-entry.ts');
      const serve = await startServeProcess(process.execPath, ['--import', import.meta.resolve('tsx'), entry, 'serve', '--http-port', '0', '--tftp-port', '0'], cwd);
      try {
        assert.match(serve.log(), /built-in demo configuration/);
        const res = await fetch(`http://127.0.0.1:${serve.httpPort}/services?name=SEP008041AEFD7E`);
        const menu = checkPhoneXml(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type') ?? undefined);
        assert.equal(menu.kind, 'Menu');
        await assertCleanStop(serve, cwd, signal);
      } finally {
        serve.child.kill('SIGKILL');
      }
    });
  }

  it('--version prints the version of package.json', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.out, `ciscophone ${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}`);
  });
});
