/** Every configuration example in the README is a config ciscophone accepts. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { ConfigSchema } from '../src/config/schema.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const TOP_KEYS = new Set(Object.keys(ConfigSchema.properties));

/** ```yaml blocks whose top-level keys are all config keys (not Home Assistant's, say). */
function configExamples(): string[] {
  return [...README.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((block) => {
      const keys = [...block.matchAll(/^([A-Za-z]+):/gm)].map((k) => k[1]!);
      return keys.length > 0 && keys.every((k) => TOP_KEYS.has(k));
    });
}

describe('README configuration examples', () => {
  const examples = configExamples();

  it('finds the examples', () => {
    assert.ok(examples.length >= 8, `${examples.length} examples`);
  });

  for (const [i, example] of examples.entries()) {
    it(`example ${i + 1} (${example.split('\n')[0]!.slice(0, 40)}) is a valid config`, () => {
      const text = /^pbx:/m.test(example) ? example : `pbx: { host: 192.168.1.1 }\n${example}`;
      const env = Object.fromEntries([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)].map((m) => [m[1]!, 'secret']));
      // parseConfig throws a ConfigError listing every problem, the schema's and the features' own.
      assert.doesNotThrow(() => parseConfig(text, path.resolve('ciscophone.yaml'), { env }));
    });
  }
});
