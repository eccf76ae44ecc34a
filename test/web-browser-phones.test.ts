/**
 * Phones added, changed and removed on the owner's page in Chromium (playwright-core) against the
 * real server; after each change the phone's file is fetched over TFTP with curl.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startWebServer, type WebServer } from './helpers/browser.js';

const run = promisify(execFile);
const NEW = 'SEP001122334466';

let server: WebServer;
let browser: Browser;
let page: Page;

/** The file a phone gets over TFTP, or undefined when the server has none for it. */
async function tftpGet(name: string): Promise<string | undefined> {
  const out = path.join(server.dir, `${name}.out`);
  await rm(out, { force: true });
  try {
    await run('curl', ['-sS', '--max-time', '10', '-o', out, `tftp://127.0.0.1:${server.tftpPort}/${name}`]);
    return await readFile(out, 'utf8');
  } catch {
    return undefined;
  }
}

before(async () => {
  server = await startWebServer(`pbx: { host: 127.0.0.1 }
# the phones we have
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941", label: Office, lines: [ { number: "620", password: secret-620 } ] }
`);
  // An unknown phone boots: its config file (not there), then its firmware: the page guesses its model.
  assert.equal(await tftpGet(`${NEW}.cnf.xml`), undefined);
  await tftpGet('SIP41.9-4-2SR3-1S.loads');
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  await page.goto(`${server.baseUrl}/`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('an unknown phone is added from its row: model guessed from its firmware, then served over TFTP', async () => {
  const row = page.locator(`tr[data-phone="${NEW}"]`);
  await row.locator('[data-add]').click();
  const dialog = page.locator('#phone-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.locator('[name=mac]').inputValue(), '001122334466');
  assert.equal(await dialog.locator('[name=model]').inputValue(), '7941');
  assert.match(await dialog.locator('[name=model] option:checked').innerText(), /asked for its firmware/);
  await dialog.locator('[name=label]').fill('Hall');
  await dialog.locator('[name=number]').fill('622');
  await dialog.locator('[name=authName]').fill('hall');
  await dialog.locator('[name=password]').fill('pw-622');
  await dialog.locator('#phone-save').click();
  await row.locator('strong', { hasText: 'Hall' }).waitFor();
  const served = await tftpGet(`${NEW}.cnf.xml`);
  assert.match(served ?? '', /<authName>hall<\/authName>/);
  assert.match(served ?? '', /<authPassword>pw-622<\/authPassword>/);
  const text = await readFile(path.join(server.dir, 'ciscophone.yaml'), 'utf8');
  assert.match(text, /# the phones we have\nphones:\n  - \{ mac: "00:80:41:AE:FD:7E", model: "7941", label: Office, lines: \[ \{ number: "620", password: secret-620 \} \] \}\n  - mac: "001122334466"\n/);
});

test('a configured phone is edited (its password kept), and an invalid change shows the problem with its path', async () => {
  const row = page.locator(`tr[data-phone="${NEW}"]`);
  await row.locator('[data-edit]').click();
  const dialog = page.locator('#phone-dialog');
  assert.equal(await dialog.locator('[name=number]').inputValue(), '622');
  assert.equal(await dialog.locator('[name=authName]').inputValue(), 'hall');
  assert.equal(await dialog.locator('[name=password]').inputValue(), '', 'passwords are never sent to the page');
  await dialog.locator('[name=displayName]').fill('Hall desk');
  await dialog.locator('#phone-save').click();
  await dialog.waitFor({ state: 'hidden' });
  const served = await tftpGet(`${NEW}.cnf.xml`);
  assert.match(served ?? '', /<displayName>Hall desk<\/displayName>/);
  assert.match(served ?? '', /<authPassword>pw-622<\/authPassword>/, 'the password stays');

  await page.locator('#phone-new').click();
  await dialog.locator('[name=mac]').fill('00:11');
  await dialog.locator('[name=number]').fill('623');
  await dialog.locator('#phone-save').click();
  await page.locator('#phone-problems code', { hasText: 'phones[2].mac' }).waitFor();
  await page.locator('#phone-cancel').click();
});

test('a phone is removed: its row says "not in config" and TFTP no longer has its file', async () => {
  page.once('dialog', (d) => void d.accept());
  const row = page.locator(`tr[data-phone="${NEW}"]`);
  await row.locator('[data-remove]').click();
  await row.locator('.badge', { hasText: 'not in config' }).waitFor();
  assert.equal(await tftpGet(`${NEW}.cnf.xml`), undefined);
});
