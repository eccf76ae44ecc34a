/**
 * The owner's page in a real browser (Chromium via playwright-core) against the real server:
 * sign-in, the phones, the screen preview (Services → Agenda and back, a directory search, the
 * 7940's CIP idle screen), a TFTP download followed live, the masked config file, a source's
 * warnings about an event it could not fully read.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startWebServer, type WebServer } from './helpers/browser.js';
import { writePatternFile } from './helpers/tftp-fixture.js';

const ARTIFACTS = path.resolve('test-artifacts');
const ADMIN_PASSWORD = 'web-admin-pass';
const SIP_PASSWORD = 'secret-sip-620';

let server: WebServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Anything the page's Content-Security-Policy blocked (it must need nothing inline or foreign). */
const policyViolations: string[] = [];

/** A calendar with a line that has no colon: its source shows a warning naming the event. */
const PARTLY_READ_ICS = path.join(ARTIFACTS, 'partly-read.ics');

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(PARTLY_READ_ICS, 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x1\r\nDTSTART:20260101T100000Z\r\nSUMMARY=Broken\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
  server = await startWebServer(`pbx: { host: 127.0.0.1 }
admin: { username: owner, password: ${ADMIN_PASSWORD} }
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941", label: Office, lines: [ { number: "620", password: ${SIP_PASSWORD} } ], phonePassword: "4711-unlock" }
  - { mac: "0019.e8a1.7970", model: "7970", label: Kitchen, lines: [ { number: "621" } ] }
  - { mac: "001120AABBCC", model: "7940", label: Hall, lines: [ { number: "622" } ] }
directory: { sources: [ { type: vcard, name: Demo, path: ${path.resolve('assets/demo-contacts.vcf')} } ] }
calendar: { sources: [ { type: ics, name: Demo, path: ${path.resolve('assets/demo-calendar.ics')} }, { type: ics, name: Partly, path: ${PARTLY_READ_ICS} } ] }
`);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, httpCredentials: { username: 'owner', password: ADMIN_PASSWORD } });
  page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('without the password the page is refused; with it the phones are listed', async () => {
  const refused = await fetch(`${server.baseUrl}/`);
  assert.equal(refused.status, 401);
  assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic /);

  const response = await page.goto(`${server.baseUrl}/`);
  assert.equal(response?.status(), 200);
  const rows = page.locator('#phone-table tbody tr');
  await rows.first().waitFor();
  assert.deepEqual(await rows.locator('td:first-child strong').allTextContents(), ['Office', 'Kitchen', 'Hall']);
  await page.locator('#live.on').waitFor();
});

test('preview: Services → Agenda and back with Exit', async () => {
  await page.selectOption('#target', 'phone:SEP008041AEFD7E');
  await page.click('[data-open="/services"]');
  const screen = page.locator('#device .lcd');
  await screen.locator('.title', { hasText: 'Services' }).waitFor();
  assert.equal(await screen.getAttribute('data-theme'), 'grey');
  assert.deepEqual(await screen.locator('.item .name').allTextContents(), ['Directory', 'Agenda']);
  assert.deepEqual((await screen.locator('.softkey').allTextContents()).filter(Boolean), ['Select', 'Exit']);

  await screen.locator('.item', { hasText: 'Agenda' }).click();
  await page.locator('#device .title', { hasText: 'Agenda' }).waitFor();
  await page.locator('#device').screenshot({ path: path.join(ARTIFACTS, 'web-agenda-7941.png') });
  await page.locator('#device .softkey', { hasText: 'Exit' }).click();
  await page.locator('#device .title', { hasText: 'Services' }).waitFor();
});

test('preview: a directory search typed into the Input form', async () => {
  await page.locator('#device .item', { hasText: 'Directory' }).click();
  await page.locator('#device .item', { hasText: 'Search' }).click();
  const field = page.locator('#device form.input input').first();
  await field.waitFor();
  await field.fill('Berg');
  await page.locator('#device .softkey', { hasText: /Submit|Search/ }).first().click();
  await page.locator('#device .item .name', { hasText: 'Anna Berg' }).first().waitFor();
  const info = await page.locator('#preview-info').textContent();
  assert.match(info ?? '', /Berg/);
  await page.locator('#preview').screenshot({ path: path.join(ARTIFACTS, 'web-preview.png') });
  // Dialling from the list shows the call screen.
  await page.locator('#device .item', { hasText: 'Anna Berg' }).first().click();
  await page.locator('#device .softkey', { hasText: /^Dial$|^Wählen$/ }).first().click();
  await page.locator('#device .dialling').waitFor();
});

test('preview: the 7940 gets a CIP image, the 7970 is drawn in colour', async () => {
  await page.selectOption('#target', 'phone:SEP001120AABBCC');
  await page.click('[data-open="/idle"]');
  const canvas = page.locator('#device canvas.cip');
  await canvas.waitFor();
  assert.equal(await canvas.getAttribute('width'), '133');
  assert.equal(await page.locator('#device .lcd').getAttribute('data-theme'), 'mono');
  // Some pixels are dark (the clock), most are the LCD's light grey.
  const dark = await canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! < 60) n++;
    return n;
  });
  assert.ok(dark > 50, `dark pixels: ${dark}`);
  await page.locator('#device').screenshot({ path: path.join(ARTIFACTS, 'web-idle-7940.png') });

  await page.selectOption('#target', 'model:7970');
  await page.click('[data-open="/services"]');
  await page.locator('#device .lcd[data-theme=colour] .item').first().waitFor();
});

test('preview: an unknown path shows the phone\'s own text screen, as a phone gets it', async () => {
  await page.fill('#path-input', '/no-such-page?model=7941');
  await page.click('#open-path button');
  await page.locator('#device', { hasText: 'This page does not exist.' }).waitFor();
});

test('a TFTP download is followed live with a progress bar', async () => {
  // The phone asks for its configuration first: its row follows at once (activity 'fetch' event).
  const config = spawn('curl', ['-sS', '-o', path.join(server.dir, 'sep.xml'), `tftp://127.0.0.1:${server.tftpPort}/SEP008041AEFD7E.cnf.xml`], { stdio: 'ignore' });
  assert.equal(await new Promise((resolve) => config.on('exit', resolve)), 0);
  await page.locator('tr[data-phone="SEP008041AEFD7E"] td', { hasText: 'SEP008041AEFD7E.cnf.xml' }).waitFor();

  await writePatternFile(path.join(server.tftpRoot, 'SIP41.9-4-2SR3-1S.loads'), 20 * 1024 * 1024);
  const out = path.join(server.dir, 'download.bin');
  const client = spawn('curl', ['-sS', '--tftp-blksize', '512', '-o', out, `tftp://127.0.0.1:${server.tftpPort}/SIP41.9-4-2SR3-1S.loads`], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => client.on('exit', resolve));

  const bar = page.locator('#transfers li[data-file="SIP41.9-4-2SR3-1S.loads"] progress');
  await bar.waitFor();
  const seen: number[] = [];
  let shot = false;
  for (;;) {
    const { value, max, done } = await bar.evaluate((p: HTMLProgressElement) => ({ value: p.value, max: p.max, done: p.closest('li')!.classList.contains('done') }));
    seen.push(value);
    if (!shot && value > 0 && value < max) {
      await page.locator('#phones').screenshot({ path: path.join(ARTIFACTS, 'web-transfer.png') });
      shot = true;
    }
    if (done) {
      assert.equal(value, max);
      break;
    }
    await page.waitForTimeout(50);
  }
  assert.equal(await exited, 0);
  await page.locator('tr[data-phone="SEP008041AEFD7E"] td', { hasText: 'SIP41.9-4-2SR3-1S.loads' }).first().waitFor();
  const between = seen.filter((v) => v > 0 && v < 20 * 1024 * 1024);
  assert.ok(new Set(between).size >= 2, `progress should move: ${JSON.stringify([...new Set(seen)])}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, 'progress never goes back');
});

test('health and the masked configuration file', async () => {
  await page.click('#health-refresh');
  await page.locator('#health-sources .source', { hasText: 'contacts' }).waitFor();
  await page.locator('#health-tftp dd').first().waitFor();
  const partly = page.locator('#health-sources .source', { hasText: 'Partly' });
  assert.equal(await partly.locator('.dot.warning').count(), 1);
  assert.equal(await partly.locator('.unread').textContent(), '1 event(s) not fully read:');
  assert.equal(await partly.locator('.warnings li').textContent(), 'partly-read.ics: event (UID x1): line 5 "SUMMARY=Broken" has no colon, left out');
  await page.selectOption('#show-config select', 'SEP008041AEFD7E');
  await page.click('#show-config button');
  const pre = page.locator('#config-file');
  await pre.waitFor();
  const text = (await pre.textContent()) ?? '';
  assert.match(text, /SEP008041AEFD7E\.cnf\.xml/);
  assert.match(text, /<authPassword>\*+<\/authPassword>/);
  assert.doesNotMatch(text, new RegExp(`${SIP_PASSWORD}|4711-unlock`));
  const html = await page.content();
  assert.doesNotMatch(html, new RegExp(`${SIP_PASSWORD}|4711-unlock|${ADMIN_PASSWORD}`));
  await page.screenshot({ path: path.join(ARTIFACTS, 'web-page.png'), fullPage: true });
});

test("each phone's config lock is shown and released from the page", async () => {
  // The TFTP test above fetched Office's config from 127.0.0.1: that address holds its lock.
  await page.reload();
  const cell = page.locator('tr[data-phone="SEP008041AEFD7E"] td', { has: page.locator('[data-release]') });
  await cell.waitFor();
  assert.match((await cell.textContent()) ?? '', /127\.0\.0\.1/);
  await cell.locator('[data-release]').click();
  await page.locator('tr[data-phone="SEP008041AEFD7E"] td', { hasText: 'first to fetch' }).waitFor();
  assert.equal(server.running.ctx.configLocks.get('SEP008041AEFD7E'), undefined);

  // The phone, now at 127.0.0.2, fetches again: the lock follows it and the row shows it live.
  const fetched = spawn('curl', ['-sS', '--interface', '127.0.0.2', '-o', path.join(server.dir, 'moved.xml'), `tftp://127.0.0.1:${server.tftpPort}/SEP008041AEFD7E.cnf.xml`], { stdio: 'ignore' });
  assert.equal(await new Promise((resolve) => fetched.on('exit', resolve)), 0);
  await page.locator('tr[data-phone="SEP008041AEFD7E"] td', { hasText: '127.0.0.2' }).locator('[data-release]').waitFor();
  assert.deepEqual(policyViolations, [], 'the page runs under its Content-Security-Policy');
});

test('a push the phone does not take is reported on the page', async () => {
  await page.fill('#push-text textarea', 'Dinner is ready');
  await page.click('#push-text button');
  await page.locator('#action-result.error').waitFor();
  assert.match((await page.locator('#action-result').textContent()) ?? '', /Office/);
});

test('Announce: a ring tone or spoken text; a phone that refuses is reported', async () => {
  assert.equal(await page.locator('#announce-say-label').isVisible(), false);
  await page.selectOption('#announce-kind', 'say');
  assert.equal(await page.locator('#announce-ringtone-label').isVisible(), false);
  await page.fill('#announce textarea[name=say]', 'Dinner is ready');
  await page.selectOption('#announce select[name=phone]', 'SEP008041AEFD7E');
  await page.fill('#announce input[name=volume]', '70');
  await page.click('#announce button[type=submit]');
  // No push credentials in this config: the phone cannot be told (espeak-ng missing is reported too).
  await page.locator('#action-result.error').waitFor();
  assert.match((await page.locator('#action-result').textContent()) ?? '', /Office: no push credentials|espeak-ng is not installed/);
  assert.equal(await page.locator('#announce-stop').isDisabled(), true, 'nothing to stop');
  await page.selectOption('#announce-kind', 'ringtone');
  assert.equal(await page.locator('#announce-ringtone-label').isVisible(), true);
  assert.equal(await page.locator('#announce-ringtone option').count(), await page.locator('#ringtones option').count(), 'the same ring tones as Play');
});

test('the emulator reads objects as the phone parser does (XML Error [4] / [5])', async () => {
  // A string, so the page runs it as written (the test's own transpiler would add helpers).
  const results = await page.evaluate(`(async () => {
    const { readPhoneObject } = await import('/ui/phone-object.js');
    const { models } = await (await fetch('/api/ui/phones')).json();
    const m7941 = models.find((m) => m.id === '7941');
    const m7940 = models.find((m) => m.id === '7940');
    function read(xml, model) {
      try {
        return readPhoneObject(new DOMParser().parseFromString(xml, 'text/xml'), model).kind;
      } catch (err) {
        return err.screen ?? String(err);
      }
    }
    const key = '<SoftKeyItem><Name>Exit</Name><URL>SoftKey:Exit</URL></SoftKeyItem>';
    return {
      menu: read('<CiscoIPPhoneMenu><MenuItem><Name>A</Name><URL>http://x/</URL></MenuItem></CiscoIPPhoneMenu>', m7941),
      rawAmpersand: read('<CiscoIPPhoneMenu><MenuItem><Name>A</Name><URL>http://x/?a=1&b=2</URL></MenuItem></CiscoIPPhoneMenu>', m7941),
      wrongCase: read('<CiscoIPPhoneMenu><menuitem/></CiscoIPPhoneMenu>', m7941),
      notAnObject: read('<html><body/></html>', m7941),
      iconMenuOn7940: read('<CiscoIPPhoneIconMenu/>', m7940),
      keyWithoutPosition7941: read('<CiscoIPPhoneText>' + key + '</CiscoIPPhoneText>', m7941),
      keyWithoutPosition7940: read('<CiscoIPPhoneText>' + key + '</CiscoIPPhoneText>', m7940),
      inputWithoutUrl: read('<CiscoIPPhoneInput><InputItem><DisplayName>a</DisplayName><QueryStringParam>q</QueryStringParam><InputFlags>A</InputFlags></InputItem></CiscoIPPhoneInput>', m7941),
    };
  })()`);
  assert.deepEqual(results, {
    menu: 'Menu',
    rawAmpersand: 'XML Error [4]',
    wrongCase: 'XML Error [4]',
    notAnObject: 'XML Error [4]',
    iconMenuOn7940: 'XML Error [5]',
    keyWithoutPosition7941: 'XML Error [4]',
    keyWithoutPosition7940: 'Text',
    inputWithoutUrl: 'XML Error [4]',
  });
});

test('CIP data decodes as the spec packs it (leftmost pixel in the low bits)', async () => {
  const { decodeCip } = (await import(pathToFileURL(path.resolve('assets/web/cip.js')).href)) as { decodeCip: (hex: string, w: number, h: number, d?: number) => Uint8Array };
  // Cisco's CIP example (developer notes 7.1(3)): pixels 1,3,2,0 are the byte 0x2D.
  assert.deepEqual([...decodeCip('2D', 4, 1)], [1, 3, 2, 0]);
  assert.deepEqual([...decodeCip('2DFF', 5, 1)], [1, 3, 2, 0, 3]);
  assert.deepEqual([...decodeCip('', 2, 1)], [0, 0]);
});
