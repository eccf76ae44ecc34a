/** One date and time format for both firmware families, and the locale code from the locale name. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { type ConfigProblem } from '../src/config/problems.js';
import { parseConfig } from '../src/config/load.js';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { renderVirtualFile } from '../src/provisioning/virtual-files.js';
import { ConfigError } from '../src/errors.js';

const parser = new XMLParser({ parseTagValue: false });
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'locale-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function load(settings: string): ReturnType<typeof parseConfig> {
  return parseConfig(
    `server: { publicUrl: "http://10.0.0.5:8080", dataDir: ${dir}/data, tftp: { root: ${dir} } }\npbx: { host: pbx }\nphones:\n  - { mac: "008041AEFD7E", model: "7941", lines: [ { number: "620" } ]${settings} }\n  - { mac: "001120AABBCC", model: "7960", lines: [ { number: "622" } ]${settings} }\n`,
    join(dir, 'c.yaml'),
    { env: {} },
  );
}

/** `<dateTemplate>` and `userLocale` of the 7941, `date_format` and `time_format_24hr` of the 7960. */
async function formats(settings: string): Promise<{ template: string; langCode?: string; dateFormat: string; hour24: string }> {
  const ctx = createContext({ config: load(settings), log: createLogger('silent'), ephemeral: true });
  const sep = await renderVirtualFile(ctx, 'SEP008041AEFD7E.cnf.xml');
  const flat = await renderVirtualFile(ctx, 'SIP001120AABBCC.cnf');
  assert.ok(sep?.kind === 'file' && flat?.kind === 'file');
  const device = parser.parse(sep.body.toString('utf8')).device;
  const lines = new Map(flat.body.toString('latin1').split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
  return {
    template: device.devicePool.dateTimeSetting.dateTemplate,
    ...(device.userLocale ? { langCode: device.userLocale.langCode } : {}),
    dateFormat: lines.get('date_format')!,
    hour24: lines.get('time_format_24hr')!,
  };
}

describe('date, time and locale on both families', () => {
  it('follows the language when no dateTemplate is set: day first and 24 h in German, month first and AM/PM in English', async () => {
    assert.deepEqual(await formats(', language: de'), { template: 'D.M.YY', dateFormat: 'D/M/Y', hour24: '1' });
    assert.deepEqual(await formats(''), { template: 'M/D/YA', dateFormat: 'M/D/Y', hour24: '0' });
  });

  it('takes dateTemplate for both: the order for the 7940/7960, A for the 12-hour clock', async () => {
    assert.deepEqual(await formats(', dateTemplate: "Y-M-D"'), { template: 'Y-M-D', dateFormat: 'Y/M/D', hour24: '1' });
    assert.deepEqual(await formats(', language: de, dateTemplate: "DD/MM/YYA"'), { template: 'DD/MM/YYA', dateFormat: 'D/M/Y', hour24: '0' });
  });

  it('langCode comes from the locale name, not from the language of the screens', async () => {
    assert.equal((await formats(', userLocale: German_Germany')).langCode, 'de_DE');
    assert.equal((await formats(', language: de, userLocale: English_United_Kingdom')).langCode, 'en_GB');
    assert.equal((await formats(', userLocale: Czech_Czech_Republic')).langCode, 'cs_CZ');
    assert.equal((await formats(', userLocale: Portuguese_Brazil')).langCode, 'pt_BR');
    // A folder of the owner's own naming: the language's code.
    assert.equal((await formats(', language: de, userLocale: Office')).langCode, 'de_DE');
  });

  it('check refuses a dateTemplate the phones cannot read, with its path', () => {
    const problems = (() => {
      try {
        load(', dateTemplate: "TT.MM.JJJJ"');
        return [] as ConfigProblem[];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    })();
    assert.deepEqual(problems.map((p) => p.path), ['phones[0].dateTemplate', 'phones[1].dateTemplate']);
  });
});
