/**
 * Phones added, changed and removed through `/api/ui/phones` of a running `ciscophone serve`, each
 * then fetched over TFTP (curl); the file keeps its comments, untouched sections and `${VAR}`s.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './helpers/cli.js';
import { fetchSep, servedAfter, startIn } from './helpers/reload.js';
import type { ServeProcess } from './helpers/serve-process.js';
import { testApp } from './helpers/app.js';

const HEAD = `# the house phones
server:
  http: { host: 127.0.0.1, port: 8080 }      # aligned
  tftp: { host: 127.0.0.1, port: 6969, root: ./tftp }   # comments
  provisioningHttp: { enabled: false }
pbx: { host: 127.0.0.1, port: 5060 }
phones:
  - mac: "00:80:41:AE:FD:7E"   # the desk
    model: "7941"
    label: Office
    lines:
      - { number: "620", displayName: Office, password: "\${OFFICE_PW}" }
`;
const TAIL = `
# extra entries
services:
  - { name: Weather, url: "http://example.org/weather.xml" }   # kept as written
`;
const NEW_MAC = '00:11:22:33:44:66';
const NEW_SEP = 'SEP001122334466.cnf.xml';

describe('phones through the JSON API', () => {
  let dir: string;
  let file: string;
  let serve: ServeProcess;
  let api: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'phones-api-'));
    file = path.join(dir, 'ciscophone.yaml');
    await writeFile(file, HEAD + TAIL);
    serve = await startIn(dir, file, { OFFICE_PW: 'office-secret' });
    api = `http://127.0.0.1:${serve.httpPort}/api/ui/phones`;
  });
  after(async () => {
    serve?.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const send = (method: string, url: string, body?: unknown) =>
    fetch(url, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });

  it('adds a phone (201), then TFTP serves its file; 409 for the same MAC, 400 with paths when invalid', async () => {
    const res = await send('POST', api, { mac: NEW_MAC, model: '7941', label: 'Hall', lines: [{ number: '622', authName: 'hall', password: 'pw-622' }] });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { mac: '001122334466', model: '7941', label: 'Hall', lines: [{ number: '622', authName: 'hall' }] });
    const served = await fetchSep(serve.tftpPort, path.join(dir, 'new.xml'), NEW_SEP);
    assert.match(served, /<contact>622<\/contact>/);
    assert.match(served, /<authName>hall<\/authName>/);

    assert.equal((await send('POST', api, { mac: '001122334466', model: '7970', lines: [{ number: '1' }] })).status, 409);
    const bad = await send('POST', api, { mac: '00:11', model: '7999', lines: [{ number: '623' }] });
    assert.equal(bad.status, 400);
    const paths = ((await bad.json()) as { problems: { path: string }[] }).problems.map((p) => p.path);
    assert.ok(paths.includes('phones[2].mac') && paths.includes('phones[2].model'), paths.join());

    const text = await readFile(file, 'utf8');
    assert.ok(text.startsWith(HEAD), 'comments and the first phone byte for byte');
    assert.ok(text.endsWith(TAIL), 'later sections byte for byte');
    assert.equal(await readFile(`${file}.bak`, 'utf8'), HEAD + TAIL);
  });

  it('changes a phone (200): the file keeps ${VAR}, TFTP serves the change', async () => {
    const res = await send('PATCH', `${api}/008041AEFD7E`, { label: 'Desk', lines: [{ number: '620', displayName: 'Desk' }] });
    assert.equal(res.status, 200);
    const text = await readFile(file, 'utf8');
    assert.match(text, /password: "\$\{OFFICE_PW\}"/);
    assert.doesNotMatch(text, /office-secret/);
    assert.ok(text.startsWith(HEAD.slice(0, HEAD.indexOf('phones:'))) && text.endsWith(TAIL));
    const served = await fetchSep(serve.tftpPort, path.join(dir, 'office.xml'), 'SEP008041AEFD7E.cnf.xml');
    assert.match(served, /<displayName>Desk<\/displayName>/);
    assert.match(served, /<authPassword>office-secret<\/authPassword>/);
    assert.equal((await send('PATCH', `${api}/00AABBCCDDEE`, { label: 'X' })).status, 404);
  });

  it('removes a phone (204): TFTP no longer serves its file', async () => {
    assert.equal((await send('DELETE', `${api}/${NEW_MAC}`)).status, 204);
    await assert.rejects(fetchSep(serve.tftpPort, path.join(dir, 'gone.xml'), NEW_SEP));
    assert.doesNotMatch(await readFile(file, 'utf8'), /001122334466|00:11:22:33:44:66/);
  });

  it('refuses a change from another site (Origin)', async () => {
    const res = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: JSON.stringify({ mac: '001122334477', model: '7941', lines: [{ number: '9' }] }) });
    assert.equal(res.status, 403);
  });
});

it('the built-in demo (no file) answers 409', async () => {
  const t = await testApp();
  try {
    const res = await t.app.inject({ method: 'POST', url: '/api/ui/phones', headers: { host: '127.0.0.1' }, remoteAddress: '127.0.0.1', payload: { mac: '001122334477', model: '7941', lines: [{ number: '9' }] } });
    assert.equal(res.statusCode, 409);
    assert.match(res.json<{ error: string }>().error, /built-in demo/);
  } finally {
    await t.close();
  }
});

describe('phones from the command line', () => {
  it('phones add and phones remove change the file a running server then serves (curl tftp)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phones-cli-'));
    const file = path.join(dir, 'ciscophone.yaml');
    await writeFile(file, HEAD + TAIL);
    const env = { OFFICE_PW: 'office-secret' };
    const serve = await startIn(dir, file, env);
    const previous = process.env['OFFICE_PW'];
    process.env['OFFICE_PW'] = env.OFFICE_PW;
    try {
      const add = await runCli(['phones', 'add', NEW_MAC, '--model', '7941', '--label', 'Hall', '--line', '622', '--auth-name', 'hall', '--password', 'pw-622', '--config', file]);
      assert.equal(add.code, 0, add.err);
      assert.match(add.out, /added/);
      const out = path.join(dir, 'new.xml');
      await servedAfter(serve.tftpPort, out, '<authName>hall</authName>', performance.now(), NEW_SEP);
      const text = await readFile(file, 'utf8');
      assert.ok(text.startsWith(HEAD) && text.endsWith(TAIL), text);

      const again = await runCli(['phones', 'add', NEW_MAC, '--model', '7941', '--line', '622', '--config', file]);
      assert.equal(again.code, 1);
      assert.match(again.err, /already has the MAC 001122334466/);
      const bad = await runCli(['phones', 'add', '001122334477', '--model', '7999', '--line', '1', '--config', file]);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /phones\[2\]\.model/);
      assert.equal((await runCli(['phones', 'add', '001122334477', '--config', file])).code, 1, 'needs --model and --line');

      const remove = await runCli(['phones', 'remove', NEW_MAC, '--config', file]);
      assert.equal(remove.code, 0, remove.err);
      assert.equal(await readFile(file, 'utf8'), HEAD + TAIL, 'back to the original, byte for byte');
      const deadline = performance.now() + 30_000;
      for (;;) {
        const gone = await fetchSep(serve.tftpPort, out, NEW_SEP).then(() => false, () => true);
        if (gone) break;
        assert.ok(performance.now() < deadline, 'still served after removal');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      if (previous === undefined) delete process.env['OFFICE_PW'];
      else process.env['OFFICE_PW'] = previous;
      serve.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
