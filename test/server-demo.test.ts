/**
 * The built-in demo as a new user meets it: `startServer` on the demo config, a real TFTP client
 * fetching what a 7941 fetches at boot and from its settings menus, and the phone services over HTTP.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/logger.js';
import { DEMO_CONFIG } from '../src/package-root.js';
import { startServer, type RunningServer } from '../src/server.js';
import { phoneHeaders } from './helpers/app.js';
import { checkPhoneXml, injectPath } from './helpers/phone-xml.js';
import { makeTempDir, removeDir, runClient } from './helpers/tftp-fixture.js';

const OFFICE = 'SEP008041AEFD7E';
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

describe('the built-in demo, end to end', () => {
  let server: RunningServer;
  let dir: string;
  let tftpPort: number;
  let httpBase: string;
  let provisioningBase: string;

  before(async () => {
    dir = await makeTempDir('ciscophone-demo-');
    const config = await loadConfig(DEMO_CONFIG, { httpPort: 0, tftpPort: 0, dataDir: path.join(dir, 'data') });
    config.server.http.host = '127.0.0.1';
    config.server.tftp.host = '127.0.0.1';
    config.server.provisioningHttp.port = 0;
    server = await startServer({ config, log: createLogger('silent') });
    tftpPort = server.tftp!.address()!.port;
    httpBase = `http://127.0.0.1:${(server.http.server.address() as AddressInfo).port}`;
    provisioningBase = `http://127.0.0.1:${(server.provisioningHttp!.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await server.stop();
    await removeDir(dir);
  });

  async function tftpGet(remote: string): Promise<Buffer> {
    const local = path.join(dir, remote.replace(/[/\\]/g, '_'));
    const run = await runClient('tftp', ['127.0.0.1', String(tftpPort), '-m', 'binary', '-c', 'get', remote, local], dir);
    assert.equal(run.code, 0, `${remote}: ${run.stderr}${run.stdout}`);
    assert.ok(!/Error code/.test(run.stdout + run.stderr), `${remote}: ${run.stdout}${run.stderr}`);
    return readFile(local);
  }

  it('boots a 7941 over TFTP: its SEP file points at the services, the dial plan parses', async () => {
    const sep = parser.parse((await tftpGet(`${OFFICE}.cnf.xml`)).toString('utf8')).device;
    assert.equal(sep.deviceProtocol, 'SIP');
    assert.equal(sep.sipProfile.sipLines.line[0]?.authName ?? sep.sipProfile.sipLines.line.authName, 'office');
    assert.match(sep.servicesURL, new RegExp(`/services\\?name=${OFFICE}$`));
    assert.match(sep.idleURL, new RegExp(`/idle\\?name=${OFFICE}$`));
    assert.ok('DIALTEMPLATE' in parser.parse((await tftpGet('dialplan.xml')).toString('utf8')));
    // The same bytes over the provisioning HTTP port.
    const viaHttp = Buffer.from(await (await fetch(`${provisioningBase}/${OFFICE}.cnf.xml`)).arrayBuffer());
    assert.deepEqual(viaHttp, await tftpGet(`${OFFICE}.cnf.xml`));
  });

  it('offers the demo ring tone and background, and serves the files the lists name', async () => {
    const rings = parser.parse((await tftpGet('RINGLIST.XML')).toString('utf8')).CiscoIPPhoneRingList;
    const ring = [rings.Ring].flat()[0];
    assert.equal(ring.DisplayName, 'Chime');
    const raw = await tftpGet(ring.FileName);
    assert.ok(raw.length >= 240 && raw.length <= 16_080 && raw.length % 240 === 0, `${raw.length} samples`);

    const list = parser.parse((await tftpGet('Desktops/320x196x4/List.xml')).toString('utf8')).CiscoIPPhoneImageList;
    const item = [list.ImageItem].flat()[0];
    const picture = await sharp(await tftpGet(item['@URL'].replace(/^TFTP:/, ''))).metadata();
    assert.deepEqual([picture.width, picture.height], [320, 196]);
    const thumb = await sharp(await tftpGet(item['@Image'].replace(/^TFTP:/, ''))).metadata();
    assert.deepEqual([thumb.width, thumb.height], [80, 49]);
  });

  it('answers the phone buttons with valid objects: services, directory, agenda, idle', async () => {
    const get = async (url: string) => {
      const res = await fetch(`${httpBase}${url.startsWith('/') ? url : injectPath(url)}`, { headers: phoneHeaders('7941') });
      return { res, body: Buffer.from(await res.arrayBuffer()) };
    };
    const services = await get(`/services?name=${OFFICE}`);
    const menu = checkPhoneXml(services.body, services.res.headers.get('content-type') ?? undefined);
    assert.deepEqual(menu.items.map((i) => i.name).sort(), ['Agenda', 'Directory']);
    for (const item of menu.items) {
      const page = await get(item.url);
      assert.equal(page.res.status, 200, item.url);
      assert.ok(checkPhoneXml(page.body, page.res.headers.get('content-type') ?? undefined).kind);
    }
    const idle = await get(`/idle?name=${OFFICE}`);
    const image = checkPhoneXml(idle.body, idle.res.headers.get('content-type') ?? undefined);
    assert.equal(image.kind, 'ImageFile');
    const png = await get(image.url!);
    assert.equal(png.res.headers.get('content-type'), 'image/png');
    assert.deepEqual([(await sharp(png.body).metadata()).width, (await sharp(png.body).metadata()).height], [298, 144]);
  });

  it('remembers what the phone fetched', () => {
    const office = server.ctx.activity.get(OFFICE);
    assert.ok(office?.lastTftp && office.lastHttp, JSON.stringify(office));
  });
});
