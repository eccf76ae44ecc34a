/**
 * Test helper: a real Radicale (Debian's /usr/bin/radicale) on a free loopback port, with its own
 * temporary storage folder and htpasswd users, plus small HTTP helpers to create address books
 * and calendars and to put or delete items.
 *
 *   const dav = await startRadicale();                       // user alice / secret
 *   const book = await makeAddressBook(dav, 'alice', 'contacts');
 *   await putItem(book, 'anna.vcf', vcardText, dav.users[0]);
 *   ...
 *   await dav.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RadicaleUser {
  name: string;
  password: string;
}

export interface RadicaleServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  /** The temporary folder holding config, users and collections. */
  storageDir: string;
  users: RadicaleUser[];
  /** Stops the server (waits for the process) and removes the storage folder. */
  stop(): Promise<void>;
}

export interface RadicaleOptions {
  /** Default: alice / secret. */
  users?: RadicaleUser[];
}

export const RADICALE_BIN = '/usr/bin/radicale';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function basic(user: RadicaleUser): string {
  return `Basic ${Buffer.from(`${user.name}:${user.password}`, 'utf8').toString('base64')}`;
}

/** Starts Radicale and waits until it answers an authenticated PROPFIND. */
export async function startRadicale(options: RadicaleOptions = {}): Promise<RadicaleServer> {
  const users = options.users ?? [{ name: 'alice', password: 'secret' }];
  const storageDir = await mkdtemp(path.join(tmpdir(), 'radicale-test-'));
  const port = await freePort();
  await writeFile(path.join(storageDir, 'users'), users.map((u) => `${u.name}:${u.password}\n`).join(''));
  // Always -C our own config (Debian's /etc/radicale/config is not wanted), delay 0.
  await writeFile(
    path.join(storageDir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${path.join(storageDir, 'users')}`,
      'htpasswd_encryption = plain',
      'delay = 0',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${path.join(storageDir, 'collections')}`,
      '[web]',
      'type = none',
      '[logging]',
      'level = warning',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(RADICALE_BIN, ['-C', path.join(storageDir, 'config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (alive) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(storageDir, { recursive: true, force: true });
  };
  const first = users[0]!;
  for (let i = 0; i < 200; i++) {
    if (!alive) {
      await stop();
      throw new Error(`radicale exited during start-up: ${stderr}`);
    }
    try {
      const res = await fetch(`${url}${first.name}/`, { method: 'PROPFIND', headers: { Depth: '0', Authorization: basic(first) } });
      await res.arrayBuffer();
      if (res.status < 500) return { url, port, storageDir, users, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`radicale did not answer on ${url}: ${stderr}`);
}

function userOf(server: RadicaleServer, name: string): RadicaleUser {
  const user = server.users.find((u) => u.name === name);
  if (!user) throw new Error(`no Radicale user ${name}`);
  return user;
}

async function expectOk(res: Response, what: string): Promise<void> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
}

/** A collection handle: its URL and the user owning it. */
export interface Collection {
  url: string;
  user: RadicaleUser;
}

/** MKCOL an address book `/<user>/<name>/`. */
export async function makeAddressBook(server: RadicaleServer, user: string, name: string, displayName = name): Promise<Collection> {
  const owner = userOf(server, user);
  const url = `${server.url}${user}/${name}/`;
  const body =
    '<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>' +
    `<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>${escapeXml(displayName)}</d:displayname>` +
    '</d:prop></d:set></d:mkcol>';
  await expectOk(await fetch(url, { method: 'MKCOL', headers: { Authorization: basic(owner), 'Content-Type': 'application/xml' }, body }), `MKCOL ${url}`);
  return { url, user: owner };
}

/** MKCALENDAR a VEVENT calendar `/<user>/<name>/`. */
export async function makeCalendar(server: RadicaleServer, user: string, name: string, displayName = name): Promise<Collection> {
  const owner = userOf(server, user);
  const url = `${server.url}${user}/${name}/`;
  const body =
    '<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>' +
    `<d:displayname>${escapeXml(displayName)}</d:displayname>` +
    '<c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>';
  await expectOk(await fetch(url, { method: 'MKCALENDAR', headers: { Authorization: basic(owner), 'Content-Type': 'application/xml' }, body }), `MKCALENDAR ${url}`);
  return { url, user: owner };
}

/** PUTs one item (`.vcf` → text/vcard, `.ics` → text/calendar unless given); returns its URL. */
export async function putItem(collection: Collection, fileName: string, body: string, contentType?: string): Promise<string> {
  const url = new URL(encodeURIComponent(fileName), collection.url).href;
  const type = contentType ?? (fileName.endsWith('.ics') ? 'text/calendar; charset=utf-8' : 'text/vcard; charset=utf-8');
  await expectOk(await fetch(url, { method: 'PUT', headers: { Authorization: basic(collection.user), 'Content-Type': type }, body }), `PUT ${url}`);
  return url;
}

/** DELETEs one item by file name or absolute URL. */
export async function deleteItem(collection: Collection, fileNameOrUrl: string): Promise<void> {
  const url = /^https?:/.test(fileNameOrUrl) ? fileNameOrUrl : new URL(encodeURIComponent(fileNameOrUrl), collection.url).href;
  await expectOk(await fetch(url, { method: 'DELETE', headers: { Authorization: basic(collection.user) } }), `DELETE ${url}`);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
