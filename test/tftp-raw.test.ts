/**
 * The TFTP server against a raw dgram client: the protocol corners that real
 * clients do not exercise, abuse, limits and events. After each case the
 * server must still serve the next request correctly.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bufferFile, encodeAck, encodeError, encodeRequest, TftpServer, type TransferEndEvent, type TransferStartEvent } from '../src/tftp/index.js';
import { makeTempDir, removeDir, startServer, waitFor, writePatternFile, type RunningServer } from './helpers/tftp-fixture.js';
import { RawClient } from './helpers/tftp-raw-client.js';

let dir: string;
let root: string;
let big: Buffer;

before(async () => {
  dir = await makeTempDir();
  root = join(dir, 'root');
  await mkdir(join(root, 'sub'), { recursive: true });
  await writePatternFile(join(root, 'big.bin'), 300_000);
  big = await readFile(join(root, 'big.bin'));
  await writeFile(join(root, 'hello.txt'), 'hello\n');
  await writeFile(join(root, 'exact1024.bin'), Buffer.alloc(1024, 7));
  await writeFile(join(root, 'empty.bin'), '');
  await writeFile(join(dir, 'secret.txt'), 'outside the root\n');
  await symlink(join(dir, 'secret.txt'), join(root, 'link-out.txt'));
  await symlink(dir, join(root, 'dir-out'));
  await symlink(join(root, 'hello.txt'), join(root, 'link-in.txt'));
});

after(async () => {
  await removeDir(dir);
});

/** Fetches hello.txt with a fresh client: the server still works. */
async function assertStillServes(port: number): Promise<void> {
  const client = await RawClient.open();
  try {
    const { data } = await client.fetch(port, 'hello.txt');
    assert.equal(data.toString(), 'hello\n');
  } finally {
    client.close();
  }
}

/** The transfer-end event of the transfer started for `client` (matched by its port). */
function endOf(server: TftpServer, client: RawClient): Promise<TransferEndEvent> {
  return new Promise((resolve) => {
    let id = -1;
    const onStart = (e: TransferStartEvent) => {
      if (e.client.port === client.port) id = e.id;
    };
    const onEnd = (e: TransferEndEvent) => {
      if (e.id !== id) return;
      server.off('transfer-start', onStart);
      server.off('transfer-end', onEnd);
      resolve(e);
    };
    server.on('transfer-start', onStart);
    server.on('transfer-end', onEnd);
  });
}

async function firstReply(client: RawClient, port: number, packet: Buffer, waitMs = 3000) {
  client.send(packet, port);
  return client.next(waitMs);
}

describe('TFTP protocol corners', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer(root, { initialTimeoutMs: 100, retries: 3 });
  });
  after(() => srv.stop());

  it('sends DATA 1 without OACK when no option is asked, and a final empty block for exact multiples', async () => {
    const client = await RawClient.open();
    const exact = await client.fetch(srv.port, 'exact1024.bin');
    assert.equal(exact.oack, null);
    assert.deepEqual([...exact.arrivals.keys()], [1, 2, 3]);
    assert.equal(exact.data.length, 1024);
    const empty = await client.fetch(srv.port, 'empty.bin');
    assert.equal(empty.data.length, 0);
    client.close();
  });

  it('negotiates options only when asked, lists only accepted ones, and caps them', async () => {
    const client = await RawClient.open();
    const result = await client.fetch(srv.port, 'big.bin', {
      options: { BlkSize: '65464', tsize: '0', windowsize: '64', timeout: '3', colour: 'blue' },
    });
    assert.deepEqual(Object.fromEntries(result.oack!), { blksize: '1468', tsize: String(big.length), windowsize: '16', timeout: '3' });
    assert.deepEqual(result.data, big);
    const unknownOnly = await client.fetch(srv.port, 'hello.txt', { options: { colour: 'blue' } });
    assert.equal(unknownOnly.oack, null);
    const tooSmall = await client.fetch(srv.port, 'hello.txt', { options: { blksize: '4' } });
    assert.equal(tooSmall.oack, null);
    client.close();
  });

  it('ends the transfer when the client refuses the OACK with ERROR 8', async () => {
    const client = await RawClient.open();
    const ended = endOf(srv.server, client);
    await client.rrq(srv.port, 'big.bin', 'octet', { blksize: '1024' });
    const oack = await client.next();
    assert.equal(oack?.packet.op, 'OACK');
    client.send(encodeError(8, 'options refused'), oack!.rinfo.port);
    const end = await ended;
    assert.equal(end.ok, false);
    client.close();
    await assertStillServes(srv.port);
  });

  it('ignores a duplicate ACK: no block is sent twice and the transfer completes', async () => {
    const quiet = await startServer(root); // default 1 s timer, so only a duplicate ACK could cause a resend
    const client = await RawClient.open();
    const result = await client.fetch(quiet.port, 'big.bin', { duplicateAckAt: 10 });
    assert.deepEqual(result.data, big);
    for (const [block, count] of result.arrivals) assert.equal(count, 1, `block ${block} arrived ${count} times`);
    client.close();
    await quiet.stop();
  });

  it('retransmits a lost DATA block after the timeout', async () => {
    const client = await RawClient.open();
    const result = await client.fetch(srv.port, 'big.bin', { drop: (block, seen) => block === 7 && seen === 1 });
    assert.deepEqual(result.data, big);
    assert.equal(result.arrivals.get(7), 2);
    client.close();
  });

  it('resends from the block after the acknowledged one when a window has a gap', async () => {
    const client = await RawClient.open();
    const result = await client.fetch(srv.port, 'big.bin', {
      options: { blksize: '1024', windowsize: '8' },
      drop: (block, seen) => block === 11 && seen === 1,
    });
    assert.deepEqual(result.data, big);
    assert.equal(result.arrivals.get(11), 2);
    client.close();
  });

  it('ignores an ERROR from a foreign port and completes the transfer', async () => {
    const client = await RawClient.open();
    const intruder = await RawClient.open();
    const result = await client.fetch(srv.port, 'big.bin', {
      onData: (block, server) => {
        if (block === 5) intruder.send(encodeError(0, 'bogus'), server.port);
        if (block === 6) intruder.send(encodeAck(200), server.port);
      },
    });
    assert.deepEqual(result.data, big);
    client.close();
    intruder.close();
  });

  it('gives up after the retries when the client goes silent', async () => {
    const client = await RawClient.open();
    const ended = endOf(srv.server, client);
    await client.rrq(srv.port, 'big.bin');
    let dataPackets = 0;
    let error: string | null = null;
    for (let got = await client.next(); got; got = await client.next(3000)) {
      if (got.packet.op === 'DATA') dataPackets++;
      if (got.packet.op === 'ERROR') {
        error = got.packet.message;
        break;
      }
    }
    assert.equal(dataPackets, 4); // first send + 3 retries
    assert.match(error ?? '', /timed out/);
    assert.equal((await ended).ok, false);
    client.close();
  });

  it('refuses a WRQ with ERROR 2', async () => {
    const client = await RawClient.open();
    const reply = await firstReply(client, srv.port, encodeRequest('WRQ', 'pwned.txt', 'octet'));
    assert.deepEqual(reply?.packet, { op: 'ERROR', code: 2, message: 'Access violation: read-only server' });
    client.close();
    await assertStillServes(srv.port);
  });

  for (const [name, code] of [
    ['../../etc/passwd', 2],
    ['sub/../../secret.txt', 2],
    ['C:\\boot.ini', 2],
    ['/etc/passwd', 1],
    ['link-out.txt', 2],
    ['dir-out/secret.txt', 2],
    ['sub', 1],
  ] as const) {
    it(`never serves ${name} (ERROR ${code})`, async () => {
      const client = await RawClient.open();
      const reply = await firstReply(client, srv.port, encodeRequest('RRQ', name, 'octet'));
      assert.equal(reply?.packet.op, 'ERROR');
      assert.equal(reply?.packet.op === 'ERROR' && reply.packet.code, code);
      client.close();
      await assertStillServes(srv.port);
    });
  }

  it('follows a symlink that stays inside the root', async () => {
    const client = await RawClient.open();
    const { data } = await client.fetch(srv.port, 'link-in.txt');
    assert.equal(data.toString(), 'hello\n');
    client.close();
  });

  it('answers a 600-byte garbage packet with ERROR 4 and keeps serving', async () => {
    const client = await RawClient.open();
    const garbage = Buffer.alloc(600, 0x41);
    const reply = await firstReply(client, srv.port, garbage);
    assert.equal(reply?.packet.op === 'ERROR' && reply.packet.code, 4);
    const longRrq = Buffer.concat([encodeRequest('RRQ', 'x'.repeat(520), 'octet')]);
    const reply2 = await firstReply(client, srv.port, longRrq);
    assert.equal(reply2?.packet.op === 'ERROR' && reply2.packet.code, 4);
    const noNul = Buffer.from([0, 1, 0x61, 0x62]);
    const reply3 = await firstReply(client, srv.port, noNul);
    assert.equal(reply3?.packet.op === 'ERROR' && reply3.packet.code, 4);
    const mail = await firstReply(client, srv.port, encodeRequest('RRQ', 'hello.txt', 'mail'));
    assert.equal(mail?.packet.op === 'ERROR' && mail.packet.code, 4);
    client.send(Buffer.from([1]), srv.port);
    client.close();
    await assertStillServes(srv.port);
  });

  it('serves netascii converted (LF → CR LF)', async () => {
    const client = await RawClient.open();
    const { data } = await client.fetch(srv.port, 'hello.txt', { mode: 'NetASCII' });
    assert.equal(data.toString('latin1'), 'hello\r\n');
    client.close();
  });
});

describe('TFTP limits and access control', () => {
  it('refuses requests beyond the per-client and total caps with "server busy"', async () => {
    const srv = await startServer(root, { maxTransfers: 4, maxPerClient: 3 });
    const clients = await Promise.all([
      ...Array.from({ length: 4 }, () => RawClient.open('127.0.0.1')),
      ...Array.from({ length: 4 }, () => RawClient.open('127.0.0.2')),
    ]);
    for (const client of clients) client.rrq(srv.port, 'big.bin');
    const replies = await Promise.all(clients.map((c) => c.next()));
    const data = replies.filter((r) => r?.packet.op === 'DATA');
    const busy = replies.filter((r) => r?.packet.op === 'ERROR' && /busy/i.test(r.packet.message));
    assert.equal(data.length, 4);
    assert.equal(busy.length, 4);
    const perIp = (ip: string) => replies.filter((r, i) => r?.packet.op === 'DATA' && clients[i]!.socket.address().address === ip).length;
    assert.ok(perIp('127.0.0.1') <= 3 && perIp('127.0.0.2') <= 3);
    // Abort the running transfers from their clients (RFC 1350 ERROR ends a transfer).
    replies.forEach((r, i) => r?.packet.op === 'DATA' && clients[i]!.send(encodeError(0, 'stop'), r.rinfo.port));
    await waitFor(() => srv.server.stats().active === 0);
    for (const c of clients) c.close();
    await assertStillServes(srv.port);
    await srv.stop();
  });

  it('ignores clients outside the allow-list', async () => {
    const srv = await startServer(root, { allow: ['127.0.0.2/32', '::1'] });
    const denied: string[] = [];
    srv.server.on('denied', (e) => denied.push(e.reason));
    const outsider = await RawClient.open('127.0.0.1');
    outsider.rrq(srv.port, 'hello.txt');
    assert.equal(await outsider.next(500), null);
    assert.deepEqual(denied, ['allow-list']);
    const insider = await RawClient.open('127.0.0.2');
    const { data } = await insider.fetch(srv.port, 'hello.txt');
    assert.equal(data.toString(), 'hello\n');
    outsider.close();
    insider.close();
    await srv.stop();
  });

  it('serves a locked file only to the IP it is locked to', async () => {
    const srv = await startServer(root, {
      providers: [{ resolve: (name) => (name === 'SEPAABBCCDDEEFF.cnf.xml' ? bufferFile('<secret/>', { lockedTo: '127.0.0.2' }) : null) }],
    });
    const other = await RawClient.open('127.0.0.1');
    const reply = await firstReply(other, srv.port, encodeRequest('RRQ', 'SEPAABBCCDDEEFF.cnf.xml', 'octet'));
    assert.equal(reply?.packet.op === 'ERROR' && reply.packet.code, 2);
    const phone = await RawClient.open('127.0.0.2');
    const { data } = await phone.fetch(srv.port, 'SEPAABBCCDDEEFF.cnf.xml');
    assert.equal(data.toString(), '<secret/>');
    other.close();
    phone.close();
    await srv.stop();
  });

  it('ignores a retransmitted RRQ for a transfer already running', async () => {
    const srv = await startServer(root);
    const client = await RawClient.open();
    client.rrq(srv.port, 'big.bin');
    client.rrq(srv.port, 'big.bin');
    const first = await client.next();
    assert.equal(first?.packet.op, 'DATA');
    assert.equal(await client.next(300), null);
    client.send(encodeError(0, 'done'), first!.rinfo.port);
    await waitFor(() => srv.server.stats().active === 0);
    client.close();
    await srv.stop();
  });
});

describe('TFTP server lifecycle and observability', () => {
  it('emits transfer, miss and denied events and counts them in stats()', async () => {
    const srv = await startServer(root, { progressIntervalMs: 0 });
    const starts: TransferStartEvent[] = [];
    const progress: number[] = [];
    const ends: TransferEndEvent[] = [];
    const misses: string[] = [];
    srv.server.on('transfer-start', (e) => starts.push(e));
    srv.server.on('transfer-progress', (e) => progress.push(e.bytes));
    srv.server.on('transfer-end', (e) => ends.push(e));
    srv.server.on('miss', (e) => misses.push(`${e.file} ${e.mac}`));
    const client = await RawClient.open();
    await client.fetch(srv.port, 'big.bin', { options: { blksize: '1428', windowsize: '4' } });
    await waitFor(() => ends.length === 1);
    const reply = await firstReply(client, srv.port, encodeRequest('RRQ', 'SEP0011223344AA.cnf.xml', 'octet'));
    assert.equal(reply?.packet.op === 'ERROR' && reply.packet.code, 1);
    await firstReply(client, srv.port, encodeRequest('WRQ', 'x', 'octet'));
    assert.equal(starts.length, 1);
    assert.deepEqual({ ...starts[0], client: undefined }, { id: starts[0]!.id, file: 'big.bin', client: undefined, size: big.length, blksize: 1428, windowsize: 4 });
    assert.equal(progress.at(-1), big.length);
    assert.ok(progress.every((b, i) => i === 0 || b >= progress[i - 1]!));
    assert.equal(ends[0]!.ok, true);
    assert.equal(ends[0]!.bytes, big.length);
    assert.deepEqual(misses, ['SEP0011223344AA.cnf.xml 0011223344AA']);
    assert.deepEqual(srv.server.stats(), { requests: 3, served: 1, notFound: 1, denied: 1, errors: 0, bytesSent: big.length, active: 0, cache: { files: 1, bytes: big.length, hits: 0, misses: 1 } });
    client.close();
    await srv.stop();
  });

  it('logs progress at 25/50/75/100 % for large files', async () => {
    const lines: Array<{ msg: string | undefined; obj: Record<string, unknown> }> = [];
    const log = (obj: object, msg?: string) => lines.push({ obj: obj as Record<string, unknown>, msg });
    const large = join(root, 'large.bin');
    await writePatternFile(large, 2 * 1024 * 1024);
    const srv = await startServer(root, { logger: { info: log, warn: log, error: log, debug() {} } });
    const client = await RawClient.open();
    await client.fetch(srv.port, 'large.bin', { options: { blksize: '1428', windowsize: '16' } });
    await waitFor(() => lines.some((l) => l.msg === 'tftp sent'));
    assert.deepEqual(
      lines.filter((l) => l.msg === 'tftp progress').map((l) => l.obj.percent),
      [25, 50, 75, 100],
    );
    client.close();
    await srv.stop();
  });

  it('rejects start() with a one-line hint when the port is taken', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    const server = new TftpServer({ host: '127.0.0.1', port: holder.address().port, root });
    await assert.rejects(server.start(), (err: Error) => {
      assert.match(err.message, /already in use/);
      assert.match(err.message, /--tftp-port 6969/);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
    holder.close();
  });

  it('rejects start() when the root does not exist', async () => {
    const server = new TftpServer({ host: '127.0.0.1', port: 0, root: join(dir, 'nope') });
    await assert.rejects(server.start(), /does not exist/);
  });

  it('aborts running transfers on stop()', async () => {
    const srv = await startServer(root);
    const client = await RawClient.open();
    const ended = endOf(srv.server, client);
    await client.rrq(srv.port, 'big.bin');
    assert.equal((await client.next())?.packet.op, 'DATA');
    await srv.stop();
    assert.equal((await ended).ok, false);
    const reply = await client.next();
    assert.equal(reply?.packet.op, 'ERROR');
    client.close();
  });
});
