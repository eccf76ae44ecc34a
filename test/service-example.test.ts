/** The README's "Write a service" example is this repository's examples/hello, mounted and asked like a phone. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import hello from '../examples/hello/index.js';
import { phoneHeaders, testApp, type TestApp } from './helpers/app.js';
import { checkPhoneXml } from './helpers/phone-xml.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const EXAMPLE = readFileSync(new URL('../examples/hello/index.ts', import.meta.url), 'utf8');
const NOON = new Date('2026-06-01T10:00:00Z');

let t: TestApp;
before(async () => {
  t = await testApp(undefined, { services: [hello], clock: () => NOON });
});
after(async () => t.close());

test('the README quotes examples/hello/index.ts as it is', () => {
  const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.includes(EXAMPLE), 'a ```ts block equal to examples/hello/index.ts');
});

test('the example is in the Services menu, in the phone\'s language', async () => {
  for (const [name, title] of [['SEP008041AEFD7E', 'Hello'], ['SEP0019E8A17970', 'Hallo']] as const) {
    const res = await t.app.inject({ url: `/services?name=${name}`, headers: phoneHeaders('7941') });
    const menu = checkPhoneXml(res.body, res.headers['content-type']);
    const item = menu.items.find((i) => i.name === title);
    assert.ok(item, `${title} in ${menu.items.map((i) => i.name).join(', ')}`);
    assert.match(item.url, /\/hello\?name=/);
  }
});

test('the example greets the phone by its label at its local time, with an Exit key', async () => {
  const res = await t.app.inject({ url: '/hello?name=SEP008041AEFD7E', headers: phoneHeaders('7941') });
  assert.equal(res.statusCode, 200);
  const page = checkPhoneXml(res.body, res.headers['content-type']);
  assert.equal(page.kind, 'Text');
  assert.equal(page.title, 'Hello');
  assert.match(page.text ?? '', /^Hello Office, it is \d{1,2}:\d{2}/);
  assert.deepEqual(page.softKeys.map((k) => k.url), ['SoftKey:Exit']);

  const de = await t.app.inject({ url: '/hello?name=SEP0019E8A17970', headers: phoneHeaders('7970') });
  assert.match(checkPhoneXml(de.body, de.headers['content-type']).text ?? '', /^Hallo Kitchen, es ist /);
});
