import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { createDialer } from '../src/contacts/dialing.js';

const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/libphonenumber-js/'));

test('libphonenumber-js loads with the first public number, not before', () => {
  const dialer = createDialer({ country: '49', internationalPrefix: '00', trunkPrefix: '0', outsideLinePrefix: '' });
  assert.equal(loaded(), false);
  assert.equal(dialer.dialable('620'), '620');
  assert.equal(dialer.dialable('**610'), '**610');
  assert.equal(loaded(), false, 'extensions and codes need no number metadata');
  assert.equal(dialer.dialable('+49 (0)30 1234567'), '0301234567');
  assert.equal(dialer.key('0049 30 1234567'), '+49301234567');
  assert.equal(loaded(), true);
});

test('forms() gives what dialable() and key() give, from one parse', () => {
  const dialer = createDialer({ country: '49', internationalPrefix: '00', trunkPrefix: '0', outsideLinePrefix: '0' });
  for (const raw of ['620', '**610', '+49 (0)30 1234567', '0049 89 1', '+1 212 555 0100', 'tel:+44-20-7946-0958;ext=2', '', 'abc']) {
    assert.deepEqual(dialer.forms(raw), { dial: dialer.dialable(raw), key: dialer.key(raw) }, raw);
  }
});
