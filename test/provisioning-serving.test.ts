/**
 * Provisioning end to end: rendered files through the TFTP server (real tftp-hpa and curl
 * clients) and the provisioning HTTP app, byte for byte the same; unknown phones, missing
 * firmware, and lockConfigToIp refusing a second address (127.0.0.2).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { parseConfig } from '../src/config/load.js';
import { createContext, type AppContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { provisioningHttpApp } from '../src/provisioning/http.js';
import { virtualFileProviders } from '../src/provisioning/providers.js';
import { watchTransfers } from '../src/provisioning/watch-transfers.js';
import { TftpServer } from '../src/tftp/index.js';
import { makeTempDir, removeDir, runClient, waitFor } from './helpers/tftp-fixture.js';
import { RawClient } from './helpers/tftp-raw-client.js';

const SEP = 'SEP008041AEFD7E.cnf.xml';
const RINGLIST = '<CiscoIPPhoneRingList>\n  <Ring><DisplayName>Chirp</DisplayName><FileName>chirp.raw</FileName></Ring>\n</CiscoIPPhoneRingList>\n';

interface Stack {
  ctx: AppContext;
  logs: string[];
  tftp: TftpServer;
  tftpPort: number;
  http: FastifyInstance;
  httpPort: number;
  stop(): Promise<void>;
}

async function startStack(dir: string, root: string, lock: boolean, allow: string[] = []): Promise<Stack> {
  const yaml = `
server:
  publicUrl: http://127.0.0.1:8080
  dataDir: ${dir}/data
  tftp: { root: ${root}, lockConfigToIp: ${lock}${allow.length > 0 ? `, allow: [${allow.join(', ')}]` : ''} }
pbx: { host: 192.168.1.1 }
phones:
  - mac: "00:80:41:ae:fd:7e"
    model: "7941"
    label: Office
    lines:
      - { number: "620", authName: office, password: "s3cret&more", displayName: "Office" }
`;
  const config = parseConfig(yaml, join(dir, 'ciscophone.yaml'), { env: {} });
  const logs: string[] = [];
  const log = createLogger('info', { write: (line: string) => void logs.push(line) });
  const ctx = createContext({ config, log, ephemeral: true });
  const providers = virtualFileProviders(ctx);
  const tftp = new TftpServer({ host: '127.0.0.1', port: 0, root, providers, allow, logger: log.child({ component: 'tftp' }) });
  watchTransfers(tftp, ctx);
  const { port: tftpPort } = await tftp.start();
  const http = await provisioningHttpApp(ctx, providers, root);
  await http.listen({ host: '127.0.0.1', port: 0 });
  const address = http.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : 0;
  return {
    ctx, logs, tftp, tftpPort, http, httpPort,
    stop: async () => {
      await Promise.all([tftp.stop(), http.close()]);
    },
  };
}

function httpGet(port: number, path: string, localAddress = '127.0.0.1'): Promise<{ status: number; body: Buffer; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (n) => n === 'line' });

describe('provisioning over TFTP and HTTP', () => {
  let dir: string;
  let root: string;
  let out: string;
  let stack: Stack;

  before(async () => {
    dir = await makeTempDir('provisioning-serving-');
    root = join(dir, 'root');
    out = join(dir, 'out');
    await mkdir(root);
    await mkdir(out);
    await writeFile(join(root, 'ringlist.xml'), RINGLIST);
    await writeFile(join(root, 'SIP41.9-4-2SR3-1S.loads'), 'loads\n');
    await writeFile(join(root, 'apps41.9-4-2ES26.sbn'), 'apps\n');
    stack = await startStack(dir, root, false);
  });

  after(async () => {
    await stack.stop();
    await removeDir(dir);
  });

  const hpaGet = (remote: string, local: string) =>
    runClient('tftp', ['127.0.0.1', String(stack.tftpPort), '-m', 'binary', '-c', 'get', remote, local], out);

  it('serves the SEP file identically to tftp-hpa, curl, atftp and HTTP, with the right lines and URLs', async () => {
    await hpaGet(SEP, 'hpa.xml');
    const curl = await runClient('curl', ['-sS', '--tftp-blksize', '1428', '-o', 'curl.xml', `tftp://127.0.0.1:${stack.tftpPort}/${SEP}`], out);
    assert.equal(curl.code, 0, curl.stderr);
    const atftp = await runClient(
      'atftp',
      ['--get', '-r', SEP, '-l', 'atftp.xml', '--option', 'blksize 1428', '--option', 'windowsize 8', '127.0.0.1', String(stack.tftpPort)],
      out,
    );
    assert.equal(atftp.code, 0, atftp.stderr);
    const viaHttp = await httpGet(stack.httpPort, `/${SEP}`);
    assert.equal(viaHttp.status, 200);
    assert.match(viaHttp.type, /^text\/xml/);
    const hpa = await readFile(join(out, 'hpa.xml'));
    assert.deepEqual(await readFile(join(out, 'curl.xml')), hpa);
    assert.deepEqual(await readFile(join(out, 'atftp.xml')), hpa);
    assert.deepEqual(viaHttp.body, hpa);

    const device = parser.parse(hpa.toString('utf8')).device;
    const line = device.sipProfile.sipLines.line[0];
    assert.equal(line.name, 'office');
    assert.equal(line.authPassword, 's3cret&more');
    assert.equal(device.devicePool.callManagerGroup.members.member.callManager.processNodeName, '192.168.1.1');
    assert.equal(device.idleURL, 'http://127.0.0.1:8080/idle?name=SEP008041AEFD7E');
    assert.equal(device.loadInformation, 'SIP41.9-4-2SR3-1S');

    await waitFor(() => stack.ctx.activity.get('SEP008041AEFD7E')?.lastTftp?.status === 'ok');
    assert.equal(stack.ctx.activity.get('SEP008041AEFD7E')?.lastTftp?.path, SEP);
    assert.equal(stack.ctx.activity.get('SEP008041AEFD7E')?.lastHttp?.path, SEP);
  });

  it('serves static files by case-insensitive name, the same bytes on both ports', async () => {
    await hpaGet('RINGLIST.XML', 'ring.xml');
    assert.equal(await readFile(join(out, 'ring.xml'), 'utf8'), RINGLIST);
    const viaHttp = await httpGet(stack.httpPort, '/RingList.xml');
    assert.equal(viaHttp.status, 200);
    assert.equal(viaHttp.body.toString('utf8'), RINGLIST);
    assert.equal((await httpGet(stack.httpPort, '/nothing.here')).status, 404);
    assert.equal((await httpGet(stack.httpPort, '/..%2F..%2Fetc%2Fpasswd')).status, 403);
  });

  it('answers an unknown phone with not found, logs its MAC and IP, and serves XMLDefault', async () => {
    const raw = await RawClient.open();
    try {
      await assert.rejects(raw.fetch(stack.tftpPort, 'SEP0000AAAABBBB.cnf.xml'), /TFTP error 1/);
      const xmlDefault = await raw.fetch(stack.tftpPort, 'XMLDefault.cnf.xml');
      const root = parser.parse(xmlDefault.data.toString('utf8')).Default;
      assert.equal(root.callManagerGroup.members.member.callManager.processNodeName, '192.168.1.1');
      assert.equal(root.loadInformation115['#text'], 'SIP41.9-4-2SR3-1S');
    } finally {
      raw.close();
    }
    const line = stack.logs.find((l) => l.includes('unknown phone 0000AAAABBBB'));
    assert.ok(line, 'a log line names the unknown phone');
    assert.equal(JSON.parse(line).ip, '127.0.0.1');
    await waitFor(() => stack.ctx.activity.get('SEP0000AAAABBBB')?.lastTftp?.status === 'missing');
  });

  it('answers trust lists with not found at once', async () => {
    const raw = await RawClient.open();
    try {
      for (const name of ['CTLSEP008041AEFD7E.tlv', 'ITLSEP008041AEFD7E.tlv', 'ITLFile.tlv', `${SEP}.sgn`]) {
        await assert.rejects(raw.fetch(stack.tftpPort, name), /TFTP error 1/, name);
      }
    } finally {
      raw.close();
    }
  });

  it('explains a missing firmware file: which file, who asked, what is present', async () => {
    const raw = await RawClient.open();
    try {
      await raw.fetch(stack.tftpPort, SEP);
      await assert.rejects(raw.fetch(stack.tftpPort, 'jar41sip.9-4-2ES26.sbn'), /TFTP error 1/);
    } finally {
      raw.close();
    }
    const message = 'firmware file jar41sip.9-4-2ES26.sbn (asked for by SEP008041AEFD7E "Office", model 7941) is missing';
    const hintLine = () => stack.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l['msg']).includes(message));
    await waitFor(() => hintLine() !== undefined);
    const hint = hintLine()!;
    assert.equal(hint.phone, 'SEP008041AEFD7E');
    assert.equal(hint.model, '7941');
    assert.deepEqual(hint.present, ['SIP41.9-4-2SR3-1S.loads', 'apps41.9-4-2ES26.sbn']);
  });

  it('names the phone that asked last from an address, not the first one seen there', async () => {
    const raw = await RawClient.open();
    try {
      await raw.fetch(stack.tftpPort, SEP);
      // The address now belongs to another phone (a new DHCP lease): a 7975 missing from the inventory.
      await assert.rejects(raw.fetch(stack.tftpPort, 'SEP00AA11BB22CC.cnf.xml'), /TFTP error 1/);
      await assert.rejects(raw.fetch(stack.tftpPort, 'SIP75.9-4-2SR3-1S.loads'), /TFTP error 1/);
    } finally {
      raw.close();
    }
    await waitFor(() => stack.logs.some((l) => l.includes('firmware file SIP75.9-4-2SR3-1S.loads')));
    const hint = JSON.parse(stack.logs.find((l) => l.includes('firmware file SIP75.9-4-2SR3-1S.loads'))!);
    assert.equal(hint.phone, 'SEP00AA11BB22CC');
    assert.equal(hint.model, '7975');
    assert.match(hint.msg, /asked for by SEP00AA11BB22CC, model 7975\) is missing/);
    assert.equal(stack.ctx.activity.get('SEP00AA11BB22CC')?.firmware, 'SIP75.9-4-2SR3-1S.loads');
    assert.equal(stack.ctx.activity.get('SEP008041AEFD7E')?.lastTftp?.path, SEP);
  });

  it('never writes a SIP password into the log', () => {
    assert.ok(!stack.logs.some((l) => l.includes('s3cret')));
  });
});

describe('lockConfigToIp', () => {
  let dir: string;
  let stack: Stack;

  before(async () => {
    dir = await makeTempDir('provisioning-lock-');
    await mkdir(join(dir, 'root'));
    stack = await startStack(dir, join(dir, 'root'), true);
  });

  after(async () => {
    await stack.stop();
    await removeDir(dir);
  });

  it('serves the first asker, then only that address, over TFTP and HTTP', async () => {
    const first = await RawClient.open('127.0.0.1');
    const other = await RawClient.open('127.0.0.2');
    try {
      const got = await first.fetch(stack.tftpPort, SEP);
      assert.match(got.data.toString('utf8'), /<authPassword>/);
      assert.equal(stack.ctx.configLocks.get('SEP008041AEFD7E')?.address, '127.0.0.1');

      await assert.rejects(other.fetch(stack.tftpPort, SEP), /TFTP error 2/);
      await waitFor(() => stack.logs.some((l) => l.includes('"reason":"locked"') && l.includes('"lockedTo":"127.0.0.1"')));
      // A failed attempt from elsewhere (here a trust list naming the phone) does not move the lock.
      await assert.rejects(other.fetch(stack.tftpPort, 'CTLSEP008041AEFD7E.tlv'), /TFTP error 1/);
      assert.equal((await httpGet(stack.httpPort, `/${SEP}`, '127.0.0.2')).status, 403);
      assert.equal(stack.ctx.configLocks.get('SEP008041AEFD7E')?.address, '127.0.0.1');

      assert.equal((await httpGet(stack.httpPort, `/${SEP}`, '127.0.0.1')).status, 200);
      assert.ok((await first.fetch(stack.tftpPort, SEP)).data.length > 0);
      // Files without passwords stay open to everyone.
      assert.ok((await other.fetch(stack.tftpPort, 'dialplan.xml')).data.length > 0);
    } finally {
      first.close();
      other.close();
    }
  });
});

describe('server.tftp.allow', () => {
  let dir: string;
  let stack: Stack;

  before(async () => {
    dir = await makeTempDir('provisioning-allow-');
    await mkdir(join(dir, 'root'));
    stack = await startStack(dir, join(dir, 'root'), false, ['127.0.0.1/32']);
  });

  after(async () => {
    await stack.stop();
    await removeDir(dir);
  });

  it('keeps other addresses out of TFTP and the provisioning HTTP port alike', async () => {
    const inside = await RawClient.open('127.0.0.1');
    const outside = await RawClient.open('127.0.0.2');
    try {
      assert.ok((await inside.fetch(stack.tftpPort, SEP)).data.length > 0);
      assert.equal((await httpGet(stack.httpPort, `/${SEP}`, '127.0.0.1')).status, 200);
      // TFTP answers nothing at all; HTTP refuses before any file is looked at.
      await assert.rejects(outside.fetch(stack.tftpPort, SEP, { waitMs: 300 }));
      const refused = await httpGet(stack.httpPort, `/${SEP}`, '127.0.0.2');
      assert.equal(refused.status, 403);
      assert.doesNotMatch(refused.body.toString('utf8'), /s3cret/);
      assert.equal((await httpGet(stack.httpPort, '/dialplan.xml', '127.0.0.2')).status, 403);
      // Refused requests leave no trace in the activity log (a stranger cannot fill it or move a phone).
      await assert.rejects(outside.fetch(stack.tftpPort, 'SEP0000000000AA.cnf.xml', { waitMs: 300 }));
      assert.equal((await httpGet(stack.httpPort, '/SEP0000000000AB.cnf.xml', '127.0.0.2')).status, 403);
      await waitFor(() => stack.logs.filter((l) => l.includes('SEP0000000000A')).length >= 2);
      assert.deepEqual(stack.ctx.activity.all().map((p) => [p.name, p.ip]), [['SEP008041AEFD7E', '127.0.0.1']]);
    } finally {
      inside.close();
      outside.close();
    }
  });
});
