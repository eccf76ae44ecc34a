import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { configValidatorSource, generatedFiles } from '../scripts/generate.js';
import { AnnounceApiBody } from '../src/announce/body-schema.js';
import { ConfigSchema } from '../src/config/schema.js';
import { PushApiBody } from '../src/push/body-schema.js';
import { announceApiBody, pushApiBody } from '../src/generated/api-bodies.js';
import { configSchema, validate } from '../src/generated/config-validator.js';
import { validateConfig } from '../src/config/validate.js';

describe('the generated schema modules', () => {
  it('are what the generator makes from the current schemas (else: npm run generate)', async () => {
    for (const { file, text } of generatedFiles()) {
      assert.ok((await readFile(file, 'utf8')) === text, `${file} is out of date: run \`npm run generate\` and commit it`);
    }
  });

  it('would be out of date after a change to the schema', () => {
    const changed = Type.Object({ ...ConfigSchema.properties, extra: Type.Optional(Type.String()) }, { additionalProperties: false });
    assert.notEqual(configValidatorSource(changed), configValidatorSource());
  });

  it('export the schemas themselves (ciscophone schema, paths, secrets, API routes read them)', () => {
    assert.deepEqual(configSchema, JSON.parse(JSON.stringify(ConfigSchema)));
    assert.deepEqual(pushApiBody, JSON.parse(JSON.stringify(PushApiBody)));
    assert.deepEqual(announceApiBody, JSON.parse(JSON.stringify(AnnounceApiBody)));
  });

  it('validates with the mac format, defaults and coercion', () => {
    const document: Record<string, unknown> = { pbx: { host: 'pbx' }, phones: [{ mac: '0080.41ae.fd7e', model: 7941, lines: [{ number: 620 }] }] };
    assert.equal(validate(document), true);
    assert.equal((document['server'] as { http: { port: number } }).http.port, 8080);
    assert.deepEqual((document['phones'] as unknown[])[0], { mac: '0080.41ae.fd7e', model: '7941', lines: [{ number: '620' }], keys: [] });
    assert.deepEqual(validateConfig({ pbx: { host: 'pbx' }, phones: [{ mac: '00:11', model: '7941' }] }).problems, [
      { path: 'phones[0].mac', message: '"00:11" is not a MAC address' },
    ]);
  });
});
