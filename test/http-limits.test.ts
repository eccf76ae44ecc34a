/**
 * Small limits of the HTTP side, on the real server: live-event streams capped per client address
 * (clients bound to 127.0.0.2, .3 …) and in total, the server time limits, and a client that hangs
 * up before its answer still recorded with its address.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import Fastify from 'fastify';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { clientAddress, rememberClientAddress } from '../src/http/client-address.js';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../src/http/server-timeouts.js';
import { MAX_STREAMS_PER_CLIENT, StreamSlots } from '../src/web/stream-slots.js';
import { startWebServer, type WebServer } from './helpers/browser.js';
import { waitFor } from './helpers/tftp-fixture.js';

/** Opens the live-event stream from `localAddress`; resolves with the answer's head (the stream stays open). */
function openStream(base: string, localAddress: string): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  const url = new URL('/api/ui/events', base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, localAddress, agent: false }, (res) => resolve({ req, res }));
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP limits', () => {
  let server: WebServer;

  before(async () => {
    server = await startWebServer(`pbx: { host: 127.0.0.1 }
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941", label: Office, lines: [ { number: "620" } ] }
`);
  });
  after(() => server.close());

  it('caps live-event streams per client address; other addresses still get theirs', async () => {
    const open: ClientRequest[] = [];
    try {
      for (let i = 0; i < MAX_STREAMS_PER_CLIENT; i++) {
        const { req, res } = await openStream(server.baseUrl, '127.0.0.2');
        open.push(req);
        assert.equal(res.statusCode, 200);
      }
      const refused = await openStream(server.baseUrl, '127.0.0.2');
      open.push(refused.req);
      assert.equal(refused.res.statusCode, 429);
      const other = await openStream(server.baseUrl, '127.0.0.3');
      open.push(other.req);
      assert.equal(other.res.statusCode, 200);
      // A closed stream frees its slot.
      open[0]!.destroy();
      let again: Awaited<ReturnType<typeof openStream>> | undefined;
      for (let tries = 0; tries < 50; tries++) {
        again = await openStream(server.baseUrl, '127.0.0.2');
        open.push(again.req);
        if (again.res.statusCode === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(again?.res.statusCode, 200);
    } finally {
      for (const req of open) req.destroy();
    }
  });

  it('caps streams in total', () => {
    const slots = new StreamSlots(2, 3);
    const frees = [slots.take('a'), slots.take('a'), slots.take('b')];
    assert.ok(frees.every(Boolean));
    assert.equal(slots.take('a'), undefined, 'per client');
    assert.equal(slots.take('c'), undefined, 'in total');
    frees[2]!();
    frees[2]!(); // freeing twice frees one slot
    assert.ok(slots.take('c'));
    assert.equal(slots.take('d'), undefined);
  });

  it('sets the server time limits', () => {
    const http = server.running.http.server;
    assert.equal(http.headersTimeout, HEADERS_TIMEOUT_MS);
    assert.equal(http.requestTimeout, REQUEST_TIMEOUT_MS);
    assert.equal(http.keepAliveTimeout, KEEP_ALIVE_TIMEOUT_MS);
  });

  it('keeps the address of a client that hangs up before its answer', async () => {
    // Node forgets a closed socket's address; what the hooks read was taken when the request came in.
    const app = Fastify();
    rememberClientAddress(app);
    let afterClose: string | undefined = 'not read';
    app.get('/slow', async (request) => {
      await once(request.socket, 'close');
      afterClose = clientAddress(request);
      return 'late';
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = app.server.address() as net.AddressInfo;
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.7' }, () => {
        socket.write('GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('error', () => undefined);
      await waitFor(() => afterClose !== 'not read', 30_000);
      assert.equal(afterClose, '127.0.0.7');
    } finally {
      await app.close();
    }
  });
});
