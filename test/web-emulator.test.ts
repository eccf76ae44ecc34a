/**
 * The screen emulator in a real browser (Chromium via playwright-core) against services made for
 * the test: a broken object shows the phone's "XML Error [4]", a Refresh header moves on by itself,
 * a German phone's own keys and clock follow its language and zone, and a narrow window gets a
 * smaller screen instead of a page wider than the window; a CardDAV source that cannot be reached
 * shows its error under Health. No admin.password: loopback gets in.
 */
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { defineService, discoverServices } from '../src/http/services.js';
import { DEMO_PHONES, testApp, type TestApp } from './helpers/app.js';
import { launchBrowser } from './helpers/browser.js';

const PUBLIC_URL = 'http://phones.test:8080';

/** A service that answers what a careless service would: a raw `&`, an HTTP error, and a page that refreshes to the next. */
const testService = defineService({
  id: 'test',
  title: { en: 'Test service', de: 'Testdienst' },
  path: '/test/broken',
  order: 1,
  plugin: async (app) => {
    app.get('/test/gone', async (_request, reply) => reply.code(404).type('text/plain').send('gone'));
    app.get('/test/broken', async (_request, reply) =>
      reply.type('text/xml; charset=utf-8').send('<CiscoIPPhoneText><Title>Broken</Title><Text>Tom & Jerry</Text></CiscoIPPhoneText>'),
    );
    app.get('/test/first', async (_request, reply) =>
      reply
        .type('text/xml; charset=utf-8')
        .header('Refresh', `3; url=${PUBLIC_URL}/test/second`)
        .send('<CiscoIPPhoneText><Title>First</Title><Text>wait</Text></CiscoIPPhoneText>'),
    );
    app.get('/test/second', async (_request, reply) =>
      reply.type('text/xml; charset=utf-8').send('<CiscoIPPhoneText><Title>Second</Title><Text>done</Text></CiscoIPPhoneText>'),
    );
  },
});

let t: TestApp;
let baseUrl: string;
let browser: Browser;
let closedPort: number;

before(async () => {
  // A loopback port just freed: nothing listens, the CardDAV source fails at once.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const yaml = `server: { publicUrl: "${PUBLIC_URL}" }
pbx: { host: 127.0.0.1 }
defaults: { timeZone: Europe/Berlin }
directory: { sources: [ { type: carddav, name: Cloud, url: "http://127.0.0.1:${closedPort}/dav/", username: me, password: "dav-secret-31" } ] }
${DEMO_PHONES}`;
  t = await testApp(yaml, { services: [...(await discoverServices()), testService] });
  await t.ctx.contacts.start();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await t?.ctx.contacts.stop();
  await t?.close();
});

async function openPage(width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  const response = await page.goto(`${baseUrl}/`);
  assert.equal(response?.status(), 200, 'no password: loopback gets the page');
  await page.locator('#phone-table tbody tr').first().waitFor();
  // The page opens the first phone's Services menu; its answer writes its path into the path
  // field, so a test types a path only after it (it would otherwise overwrite what was typed).
  await page.locator('#device .title', { hasText: 'Services' }).waitFor();
  return page;
}

test('a broken object shows XML Error [4]; Exit goes back to the Services menu', async () => {
  const page = await openPage(1280);
  try {
    await page.selectOption('#target', 'phone:SEP008041AEFD7E');
    // Picking a phone opens its Services menu.
    const item = page.locator('#device .item', { hasText: 'Test service' });
    await item.waitFor();
    await item.click();
    await page.locator('#device .prompt.error', { hasText: 'XML Error [4]' }).waitFor();
    assert.match((await page.locator('#preview-info').textContent()) ?? '', /not well-formed/);
    assert.deepEqual((await page.locator('#device .softkey').allTextContents()).filter(Boolean), ['Exit']);
    await page.locator('#device .softkey', { hasText: 'Exit' }).click();
    await page.locator('#device .title', { hasText: 'Services' }).waitFor();
  } finally {
    await page.close();
  }
});

test('an HTTP error status shows the phone\'s HTTP Error [8]', async () => {
  const page = await openPage(1280);
  try {
    await page.fill('#path-input', '/test/gone?model=7941');
    await page.click('#open-path button');
    await page.locator('#device .prompt.error', { hasText: 'HTTP Error [8]' }).waitFor();
  } finally {
    await page.close();
  }
});

test('a Refresh header with a URL loads that page after its seconds', async () => {
  const page = await openPage(1280);
  try {
    await page.selectOption('#target', 'model:7941');
    // The pick opens the model's Services menu: wait for its answer, as openPage does.
    await page.waitForFunction(() => (document.querySelector('#path-input') as HTMLInputElement).value === '/services?model=7941');
    await page.fill('#path-input', '/test/first');
    await page.click('#open-path button');
    await page.locator('#device .title', { hasText: 'First' }).waitFor();
    // Without own keys and with a Refresh URL the phone offers Next at position 1.
    assert.equal(await page.locator('#device .softkey[data-position="1"]').textContent(), 'Next');
    await page.locator('#device .title', { hasText: 'Second' }).waitFor({ timeout: 15_000 });
  } finally {
    await page.close();
  }
});

test('a German phone labels its own keys in German and shows its own time zone', async () => {
  const page = await openPage(1280);
  try {
    await page.selectOption('#target', 'phone:SEP0019E8A17970');
    await page.locator('#device .item', { hasText: 'Telefonbuch' }).click();
    await page.locator('#device .item', { hasText: 'Suchen' }).click();
    await page.locator('#device form.input input').first().waitFor();
    const keys = (await page.locator('#device .softkey').allTextContents()).filter(Boolean);
    assert.deepEqual(keys, ['Senden', '<<', 'Abbrechen']);
    const berlinHour = (): string => new Date().toLocaleString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' });
    const before = berlinHour();
    const clock = (await page.locator('#device .statusbar span').first().textContent()) ?? '';
    // The hour may turn while the screen is read; the screen writes it without a leading zero (0:03).
    const shown = /^(\d{1,2}):/.exec(clock)?.[1];
    assert.ok([before, berlinHour()].some((hour) => Number(shown) === Number(hour)), `clock ${clock}, Berlin ${before} h`);
  } finally {
    await page.close();
  }
});

test('in a 400 px window the page does not scroll sideways and the screen fits', async () => {
  const page = await openPage(400);
  try {
    await page.selectOption('#target', 'model:7970');
    await page.locator('#device .lcd[data-theme=colour] .item').first().waitFor();
    const { scrollWidth, clientWidth, right } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      right: document.querySelector('#device')!.getBoundingClientRect().right,
    }));
    assert.equal(scrollWidth, clientWidth);
    assert.ok(right <= clientWidth, `phone ends at ${right} px`);
  } finally {
    await page.close();
  }
});

test('Health shows a CardDAV source that cannot be reached, with its error and no password', async () => {
  const page = await openPage(1280);
  try {
    await t.ctx.contacts.refresh().catch(() => {});
    await page.click('#health-refresh');
    const source = page.locator('#health-sources .source', { hasText: 'Cloud' });
    await source.locator('.dot.error').waitFor();
    assert.match((await source.locator('div.error').textContent()) ?? '', new RegExp(`cannot reach http://127\\.0\\.0\\.1:${closedPort}`));
    assert.doesNotMatch(await page.content(), /dav-secret-31/);
  } finally {
    await page.close();
  }
});
