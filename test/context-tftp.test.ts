/**
 * The TFTP server is part of what a context owns: created with it (typed, not yet bound), bound by
 * startServer, stopped by ctx.stop(); its running transfers are followed from the start, so a
 * page opened in the middle of a download sees it at once. Real peer: curl's TFTP client.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { TftpServer } from '../src/tftp/index.js';
import { startWebServer } from './helpers/browser.js';
import { waitFor, writePatternFile } from './helpers/tftp-fixture.js';

const PBX = 'pbx: { host: 192.168.1.1 }\n';

test('the context creates its TFTP server unbound, or none when TFTP is off', async () => {
  const on = createContext({ config: parseConfig(PBX, path.resolve('ciscophone.yaml')), log: createLogger('silent'), ephemeral: true });
  assert.ok(on.tftp instanceof TftpServer);
  assert.equal(on.tftp.address(), null, 'bound only by startServer');
  assert.deepEqual(on.transfers.list(), []);
  await on.stop();

  const off = createContext({ config: parseConfig(`${PBX}server: { tftp: { enabled: false } }\n`, path.resolve('ciscophone.yaml')), log: createLogger('silent'), ephemeral: true });
  assert.equal(off.tftp, undefined);
  assert.deepEqual(off.transfers.list(), []);
  await off.stop();
});

test('a download running before the page opens is in its first event; stop() unbinds the server', { timeout: 120_000 }, async () => {
  const server = await startWebServer(PBX);
  try {
    const { ctx } = server.running;
    assert.equal(ctx.tftp, server.running.tftp, 'startServer binds the context\'s own server');
    await writePatternFile(path.join(server.tftpRoot, 'big.bin'), 20 * 1024 * 1024);
    const client = spawn('curl', ['-sS', '--tftp-blksize', '512', '-o', '/dev/null', `tftp://127.0.0.1:${server.tftpPort}/big.bin`], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => client.on('exit', resolve));
    await waitFor(() => ctx.transfers.list().some((t) => t.file === 'big.bin'), 30_000);

    // Only now does anybody look: the first event already lists the download.
    const abort = new AbortController();
    const res = await fetch(`${server.baseUrl}/api/ui/events`, { signal: abort.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!/event: hello\ndata: .*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const hello = JSON.parse(/event: hello\ndata: (.*)\n/.exec(text)![1]!) as { tftp: boolean; transfers: Array<{ file: string }> };
    assert.equal(hello.tftp, true);
    assert.ok(hello.transfers.some((t) => t.file === 'big.bin'), JSON.stringify(hello.transfers));

    assert.equal(await exited, 0);
    await waitFor(() => ctx.transfers.list().length === 0, 30_000);
  } finally {
    await server.close();
  }
  assert.equal(server.running.ctx.tftp!.address(), null, 'stopped with the context');
});
