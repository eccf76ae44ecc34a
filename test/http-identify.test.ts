import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { charsetFromHeader, identifyPhone, modelFromDisplay, modelFromName } from '../src/http/identify.js';
import { Inventory } from '../src/phones/inventory.js';
import { DEMO_PHONES, phoneHeaders } from './helpers/app.js';

const inventory = new Inventory(parseConfig(`pbx: { host: pbx }\ndefaults: { timeZone: Europe/Berlin }\n${DEMO_PHONES}`, path.resolve('c.yaml')));

describe('phone identification', () => {
  it('reads the display header in the forms phones send', () => {
    assert.equal(modelFromDisplay('298, 168, 12, C')?.id, '7970');
    assert.equal(modelFromDisplay('298,144,3,G')?.display.depth, 4, 'a 7942 sending depth 3 is still the 4-bit grey family');
    assert.equal(modelFromDisplay(' 298 ,  156 , 16 , C ')?.id, '7945');
    assert.equal(modelFromDisplay('133, 65, 2, G')?.id, '7940');
    assert.equal(modelFromDisplay('176, 140, 16, C'), undefined);
    assert.equal(modelFromDisplay('garbage'), undefined);
  });

  it('reads the model name header', () => {
    assert.equal(modelFromName('CP-7941G')?.id, '7941');
    assert.equal(modelFromName('CP-7941G-GE')?.id, '7941');
    assert.equal(modelFromName('Cisco CP-7975G')?.id, '7975');
    assert.equal(modelFromName('CP-7921G'), undefined);
  });

  it('picks UTF-8 only when the phone prefers it', () => {
    assert.equal(charsetFromHeader('utf-8,iso-8859-1;q=0.8'), 'utf-8');
    assert.equal(charsetFromHeader('iso-8859-1, utf-8;q=0.8'), 'iso-8859-1');
    assert.equal(charsetFromHeader('iso-8859-1'), 'iso-8859-1');
    assert.equal(charsetFromHeader('UTF-8'), 'utf-8');
    assert.equal(charsetFromHeader(undefined), undefined);
  });

  it('knows an inventory phone by name= whatever headers say', () => {
    const view = identifyPhone({ query: { name: 'SEP0019E8A17970' }, headers: {} }, inventory, 'UTC');
    assert.equal(view.name, 'SEP0019E8A17970');
    assert.equal(view.phone?.label, 'Kitchen');
    assert.equal(view.caps.id, '7970');
    assert.equal(view.language, 'de');
    assert.equal(view.charset, 'utf-8');
    assert.equal(view.timeZone, 'Europe/Berlin');
  });

  it('falls back to headers (lower-cased by Node, any spacing), then to a 7940', () => {
    const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
    const fromHeaders = identifyPhone({ query: { name: 'SEP00000000BEEF' }, headers: lower(phoneHeaders('7945')) }, inventory, 'UTC');
    assert.equal(fromHeaders.name, 'SEP00000000BEEF');
    assert.equal(fromHeaders.phone, undefined);
    assert.equal(fromHeaders.caps.id, '7945');
    assert.equal(fromHeaders.charset, 'utf-8');

    const displayOnly = identifyPhone({ query: {}, headers: { 'x-ciscoipphonedisplay': '298,144,3,G' } }, inventory, 'UTC');
    assert.equal(displayOnly.caps.display.width, 298);

    const bare = identifyPhone({ query: {}, headers: {} }, inventory, 'UTC');
    assert.equal(bare.caps.id, '7940');
    assert.equal(bare.charset, 'iso-8859-1');
    assert.equal(bare.language, 'en');
  });

  it('takes the language from Accept-Language for unknown phones and ignores hostile names', () => {
    const view = identifyPhone({ query: { name: 'x'.repeat(10_000) }, headers: { 'accept-language': 'de-DE,de;q=0.9' } }, inventory, 'UTC');
    assert.equal(view.name, undefined);
    assert.equal(view.language, 'de');
  });

  it('previews a model without a device name', () => {
    const view = identifyPhone({ query: { model: '7970', lang: 'de' }, headers: {} }, inventory, 'UTC');
    assert.equal(view.previewModel, '7970');
    assert.equal(view.caps.id, '7970');
    assert.equal(view.language, 'de');
  });
});
