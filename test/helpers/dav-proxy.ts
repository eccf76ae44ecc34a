/**
 * Test helper: a reverse proxy in front of a DAV server that demands RFC 7616 Digest (MD5,
 * qop=auth) like Baïkal's default, forwarding with Basic; plus a second origin that answers every
 * request with a 307 to the proxy (a cross-origin redirect, as iCloud's partition hosts do).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface DigestProxy {
  /** The Digest-protected proxy. */
  url: string;
  /** Another origin redirecting (307) every request to the proxy. */
  redirectUrl: string;
  /** Requests that arrived with a valid Digest response. */
  digestRequests(): number;
  close(): Promise<void>;
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

export async function createDigestProxy(target: string, account: { user: string; password: string }): Promise<DigestProxy> {
  const realm = 'test-realm';
  const nonce = randomBytes(16).toString('hex');
  let valid = 0;
  const upstream = new URL(target);
  const check = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Digest ')) return false;
    const p: Record<string, string> = {};
    for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1]!] = m[2] ?? m[3] ?? '';
    const ha1 = md5(`${account.user}:${realm}:${account.password}`);
    const ha2 = md5(`${req.method}:${p.uri}`);
    const expected = md5(`${ha1}:${nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
    return p.username === account.user && p.nonce === nonce && p.uri === req.url && p.response === expected;
  };
  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!check(req)) {
      res.writeHead(401, { 'WWW-Authenticate': `Digest realm="${realm}", nonce="${nonce}", qop="auth", algorithm=MD5` });
      res.end('No Digest header');
      return;
    }
    valid++;
    const headers = { ...req.headers, host: upstream.host, authorization: `Basic ${Buffer.from(`${account.user}:${account.password}`).toString('base64')}` };
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  const url = await listen(proxy);
  const redirector = createServer((req, res) => {
    req.resume();
    res.writeHead(307, { Location: new URL(req.url ?? '/', url).href });
    res.end();
  });
  const redirectUrl = await listen(redirector);
  return {
    url,
    redirectUrl,
    digestRequests: () => valid,
    close: async () => {
      proxy.closeAllConnections();
      redirector.closeAllConnections();
      await Promise.all([new Promise((r) => proxy.close(r)), new Promise((r) => redirector.close(r))]);
    },
  };
}
