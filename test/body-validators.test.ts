import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { lenientBodies, strictBodies } from '../src/body-validators.js';

const ajvLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/ajv/'));
const schema = { type: 'object', required: ['phone'], additionalProperties: false, properties: { phone: { type: 'string' }, volume: { type: 'integer' } } };

test('body validators compile with their first request, and only then load Ajv', () => {
  const strict = strictBodies({ schema });
  const lenient = lenientBodies({ schema });
  assert.equal(ajvLoaded(), false, 'handing validators to the routes loads nothing');

  assert.equal(strict({ phone: 'all', txt: 'typo' }), false);
  assert.equal(ajvLoaded(), true);
  assert.deepEqual(strict.errors?.map((e) => [e.keyword, e.params]), [['additionalProperties', { additionalProperty: 'txt' }]]);
  assert.equal(strict({ phone: 'all', volume: 5 }), true);
  assert.equal(strict.errors, null, 'the last call\'s errors, not an earlier one\'s');
  assert.equal(strict({ phone: 'all', volume: '5' }), false, 'nothing coerced');

  // Fastify's defaults: unknown properties dropped, types coerced.
  const body: Record<string, unknown> = { phone: 'all', volume: '5', txt: 'typo' };
  assert.equal(lenient(body), true);
  assert.deepEqual(body, { phone: 'all', volume: 5 });
  assert.equal(lenient({ volume: 5 }), false);
  assert.deepEqual(lenient.errors?.map((e) => e.keyword), ['required']);
});
