/**
 * The owner's page answers only its owner: the real server, HTTP clients bound to loopback
 * addresses (127.0.0.2, .3 …) with forged Host, proxy and Origin headers, the security headers,
 * an encoded preview path, and the throttle on the admin password and the API token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWebServer, type WebServer } from './helpers/browser.js';
import { previewMarker } from '../src/http/preview-marker.js';
import { httpFrom } from './helpers/http-from.js';

const PHONES = `pbx: { host: 127.0.0.1 }
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941", label: Office, lines: [ { number: "620" } ] }
`;

describe('loopback-only mode (no admin.password)', () => {
  let server: WebServer;
  let port: string;
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET', body?: string) =>
    httpFrom('127.0.0.1', `${server.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });

  before(async () => {
    server = await startWebServer(PHONES);
    port = new URL(server.baseUrl).port;
  });
  after(() => server.close());

  it('refuses a Host that is not this computer (DNS rebinding) with a one-line reason', async () => {
    const evil = await get('/', { Host: 'evil.example' });
    assert.equal(evil.status, 403);
    assert.match(evil.body, /^The ciscophone page without admin\.password answers only to http:\/\/localhost or http:\/\/127\.0\.0\.1, not to "evil\.example"\.\n$/);
    const api = await get('/api/ui/phones', { Host: `evil.example:${port}` });
    assert.equal(api.status, 403);
    assert.match(JSON.parse(api.body).error, /evil\.example/);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`, `phones.localhost:${port}`]) {
      assert.equal((await get('/api/ui/phones', { Host: host })).status, 200, host);
    }
  });

  it('does not take a request through a proxy on this computer for a local one', async () => {
    assert.equal((await get('/api/ui/phones', { 'X-Forwarded-For': '192.0.2.1' })).status, 403);
    const forwarded = await get('/', { Forwarded: 'for=192.0.2.1' });
    assert.equal(forwarded.status, 403);
    assert.match(forwarded.body, /proxy/);
  });

  it('refuses a state-changing request from another site, takes one from its own page', async () => {
    const push = JSON.stringify({ phone: 'Office', text: 'hi' });
    const json = { 'Content-Type': 'application/json' };
    const crossSite = await get('/api/ui/push', { ...json, Origin: 'http://evil.example' }, 'POST', push);
    assert.equal(crossSite.status, 403);
    assert.match(JSON.parse(crossSite.body).error, /another site/);
    assert.equal((await get('/api/ui/push', { ...json, Origin: 'null' }, 'POST', push)).status, 403);
    assert.equal((await get('/api/ui/phones/Office/lock', { Origin: `http://localhost:${Number(port) + 1}` }, 'DELETE')).status, 403);
    assert.equal((await get('/api/ui/push', { ...json, Origin: `http://127.0.0.1:${port}` }, 'POST', push)).status, 200);
    assert.equal((await get('/api/ui/push', json, 'POST', push)).status, 200, 'curl and scripts send no Origin');
    // A GET changes nothing: a link from elsewhere still opens the page.
    assert.equal((await get('/', { Origin: 'http://evil.example' })).status, 200);
  });

  it('sends the security headers with the page, its files and its API', async () => {
    for (const path of ['/', '/ui/app.js', '/api/ui/phones']) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, `${path}: no inline script`);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(res.headers['x-frame-options'], 'DENY', path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', path);
    }
    // Phone services are not owner routes: a phone gets no such headers.
    assert.equal((await get('/services?name=SEP008041AEFD7E')).headers['content-security-policy'], undefined);
  });

  it('decodes the preview path fully before deciding, and never reaches an owner route', async () => {
    for (const path of ['/%2561pi/ui/phones', '/api/ui/phones', '/%252561pi/ui/health', '/services/../api/ui/phones', '/%2e%2e/ui/app.js', '/API/ui/phones', '/%zz']) {
      const res = await get(`/api/ui/preview?path=${encodeURIComponent(path)}`);
      assert.equal(res.status, 400, path);
    }
    const fine = await get(`/api/ui/preview?path=${encodeURIComponent('/services?name=SEP008041AEFD7E')}`);
    assert.equal(fine.status, 200);
    assert.match(JSON.parse(fine.body).body, /CiscoIPPhoneMenu/);
    // Should a path ever get past the check, the owner routes refuse the preview's own requests.
    const marked = await server.running.http.inject({ url: '/api/ui/phones', headers: previewMarker(), remoteAddress: '127.0.0.1' });
    assert.equal(marked.statusCode, 403);
  });
});

describe('admin password and API token under guessing', () => {
  let server: WebServer;
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  before(async () => {
    server = await startWebServer(`${PHONES}admin: { username: owner, password: right-admin-pass }\napi: { token: right-api-token-0123456789 }\n`);
  });
  after(() => server.close());

  it('refuses an address after 10 wrong passwords, even the right one; another address gets in', async () => {
    const page = (from: string, password: string) => httpFrom(from, `${server.baseUrl}/api/ui/phones`, { headers: { Authorization: basic('owner', password) } });
    // Asking without credentials is how every browser starts: not a guess.
    for (let i = 0; i < 12; i++) assert.equal((await httpFrom('127.0.0.2', `${server.baseUrl}/`)).status, 401);
    for (let i = 0; i < 10; i++) assert.equal((await page('127.0.0.2', `guess-${i}`)).status, 401);
    const throttled = await page('127.0.0.2', 'right-admin-pass');
    assert.equal(throttled.status, 429);
    assert.match(JSON.parse(throttled.body).error, /try again in a minute/);
    assert.equal((await page('127.0.0.3', 'right-admin-pass')).status, 200);
  });

  it('throttles the API token the same way (HTTP 429)', async () => {
    const push = (from: string, token: string) =>
      httpFrom(from, `${server.baseUrl}/api/push`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ phone: 'Office', text: 'hi' }),
      });
    for (let i = 0; i < 10; i++) assert.equal((await push('127.0.0.4', `wrong-token-${i}`)).status, 401);
    assert.equal((await push('127.0.0.4', 'right-api-token-0123456789')).status, 429);
    const other = await push('127.0.0.5', 'right-api-token-0123456789');
    assert.equal(other.status, 200);
    assert.equal(other.headers['x-content-type-options'], 'nosniff');
  });
});
