import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { clockText, dateText, eventRows } from '../src/idle/content.js';
import { packCip, unpackCip } from '../src/render/cip.js';
import { quantize } from '../src/render/quantize.js';
import { planLayout, renderScene, type Scene } from '../src/render/scene.js';
import { targetFor } from '../src/render/target.js';
import { ELLIPSIS, fitText, graphemes, textWidth } from '../src/render/text.js';
import { getModel } from '../src/phones/models.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = (id: '7940' | '7941' | '7970') => {
  const caps = getModel(id);
  return targetFor(caps.display, caps.png, caps.cipPane);
};

describe('CIP packing', () => {
  it('packs the documented example 1,3,2,0 into 2D', () => {
    assert.equal(packCip(Uint8Array.from([1, 3, 2, 0]), 4, 1), '2D');
  });

  it('pads the end with zero pixels and reads back what it wrote', () => {
    const values = Uint8Array.from({ length: 133 * 65 }, (_, i) => (i * 7 + (i >> 3)) % 4);
    const data = packCip(values, 133, 65);
    assert.equal(data.length, 2 * Math.ceil((133 * 65) / 4));
    assert.deepEqual(unpackCip(data, 133, 65), values);
    assert.equal(packCip(Uint8Array.from([3, 3, 3, 3, 3]), 5, 1), 'FF03');
    assert.throws(() => unpackCip('FF', 133, 65));
  });

  it('a rendered 7940 picture survives the round trip', async () => {
    const scene: Scene = { widgets: [{ type: 'clock', time: '9:41' }, { type: 'date', text: 'Tue, Jun 3' }] };
    const rendered = await renderScene(scene, target('7940'));
    assert.ok(rendered.cip);
    assert.deepEqual(unpackCip(rendered.cip.data, 133, 65), rendered.cip.values);
    assert.ok(rendered.cip.values.every((v) => v <= 3));
  });
});

describe('quantize', () => {
  it('snaps to the nearest level outside the dither mask and diffuses inside it', () => {
    const grey = new Uint8Array(64).fill(128);
    assert.deepEqual([...new Set(quantize(grey, 8, 8, [4]))], [2]);
    const dithered = quantize(grey, 8, 8, [4], new Uint8Array(64).fill(1));
    assert.deepEqual([...new Set(dithered)].sort(), [1, 2], 'a mid grey becomes a pattern of the two nearest levels');
  });
});

describe('text fitting', () => {
  const style = { size: 14, weight: 'regular' as const };

  it('keeps text that fits and shortens the rest at a grapheme with an ellipsis', async () => {
    assert.equal(await fitText('Team meeting', style, 500), 'Team meeting');
    const long = 'Cafe\u0301 '.repeat(30).trim();
    const fitted = await fitText(long, style, 120);
    assert.ok(fitted.endsWith(ELLIPSIS));
    assert.ok((await textWidth(fitted, style)) <= 120);
    const kept = graphemes(fitted.slice(0, -1));
    assert.ok(kept.every((g) => long.includes(g)));
    assert.ok(!/\u0301$/.test(fitted.slice(0, -1)) || fitted.slice(0, -1).endsWith('e\u0301'), 'no lone accent');
    assert.ok(fitted.normalize('NFC').includes('Café'), 'the accent stays on its letter');
    assert.equal(await fitText('Wide', style, 1), '');
  });
});

describe('layout', () => {
  it('drops event rows before it drops widgets', () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({ when: `1${i}:00`, title: `Event ${i}` }));
    const placed = planLayout(
      [{ type: 'clock', time: '12:00' }, { type: 'date', text: 'Tuesday' }, { type: 'events', rows, empty: '' }],
      target('7941'),
    );
    assert.equal(placed.length, 3);
    const events = placed[2]!;
    assert.ok(events.rows! >= 1 && events.rows! < 6);
    assert.ok(events.top + events.height <= 144);
  });

  it('lowers a picture taller than the display instead of leaving it out', async () => {
    const picture = await sharp({ create: { width: 100, height: 40, channels: 3, background: '#000' } }).png().toBuffer();
    const alone = planLayout([{ type: 'picture', source: picture, height: 200 }], target('7941'));
    assert.equal(alone.length, 1);
    assert.ok(alone[0]!.height > 100 && alone[0]!.top + alone[0]!.height <= 144, `${alone[0]!.top}+${alone[0]!.height}`);

    // One layout for every model: a 60-pixel picture under the clock still shows on the 65-pixel 7940.
    const widgets = [{ type: 'clock', time: '9:41' }, { type: 'picture', source: picture, height: 60 }] as const;
    const small = planLayout([...widgets], target('7940'));
    assert.deepEqual(small.map((p) => p.widget.type), ['clock', 'picture']);
    assert.ok(small[1]!.height >= 8 && small[1]!.top + small[1]!.height <= 65);
    const rendered = await renderScene({ widgets: [...widgets] }, target('7940'));
    assert.ok(rendered.cip!.values.slice(133 * 40).includes(3), 'the picture is drawn below the clock');
  });
});

describe('words in the phone language and zone', () => {
  const at = new Date('2025-06-03T12:05:00Z');

  it('formats the clock and date per language and time zone', () => {
    assert.deepEqual(clockText(at, 'de', 'Europe/Berlin'), { time: '14:05' });
    assert.deepEqual(clockText(at, 'en', 'America/New_York'), { time: '8:05', period: 'AM' });
    assert.deepEqual(clockText(at, 'en', 'UTC', false), { time: '12:05' });
    assert.equal(dateText(at, 'de', 'Europe/Berlin', false), 'Dienstag, 3. Juni 2025');
    assert.equal(dateText(at, 'en', 'Asia/Tokyo', false), 'Tuesday, June 3, 2025');
  });

  it('says when each event is', () => {
    const ev = (start: string, end: string, allDay = false, location?: string) => ({
      start: new Date(start),
      end: new Date(end),
      allDay,
      title: 'Meeting',
      ...(location ? { location } : {}),
    });
    const rows = eventRows(
      [
        ev('2025-06-03T11:30:00Z', '2025-06-03T13:00:00Z'),
        ev('2025-06-03T14:30:00Z', '2025-06-03T15:00:00Z', false, 'Room 2'),
        ev('2025-06-04T07:00:00Z', '2025-06-04T08:00:00Z'),
        ev('2025-06-03T22:00:00Z', '2025-06-04T22:00:00Z', true),
        ev('2025-06-20T07:00:00Z', '2025-06-20T08:00:00Z'),
      ],
      at,
      'de',
      'Europe/Berlin',
    );
    assert.deepEqual(
      rows.map((r) => r.when),
      ['Jetzt', '16:30', 'Mi 09:00', 'Morgen', '20. Juni'],
    );
    assert.equal(rows[1]!.title, 'Meeting · Room 2');
    assert.ok(rows.every((r) => r.short === undefined), '24-hour times have nothing to shorten');

    const english = eventRows([ev('2025-06-03T14:30:00Z', '2025-06-03T15:00:00Z'), ev('2025-06-05T10:30:00Z', '2025-06-05T11:00:00Z')], at, 'en', 'Europe/Berlin');
    assert.deepEqual(
      english.map((r) => [r.when, r.short]),
      [['4:30\u202fPM', '4:30'], ['Thu 12:30\u202fPM', 'Thu 12:30']],
    );
  });

  it('keeps the time of an event this week on the 7940 by leaving out AM/PM', async () => {
    const events = (when: string, short?: string): Scene => ({
      widgets: [{ type: 'events', rows: [{ when, ...(short ? { short } : {}), title: 'Lunch' }], empty: '' }],
    });
    const withShort = await renderScene(events('Sun 12:30 PM', 'Sun 12:30'), target('7940'));
    const shortOnly = await renderScene(events('Sun 12:30'), target('7940'));
    const longOnly = await renderScene(events('Sun 12:30 PM'), target('7940'));
    assert.equal(withShort.cip!.data, shortOnly.cip!.data, 'the short form is drawn in full');
    assert.notEqual(withShort.cip!.data, longOnly.cip!.data, 'the long form would have been cut');
    // On the 7941 the long form fits and is kept.
    assert.deepEqual(
      (await renderScene(events('Sun 12:30 PM', 'Sun 12:30'), target('7941'))).png,
      (await renderScene(events('Sun 12:30 PM'), target('7941'))).png,
    );
  });
});

describe('fonts', () => {
  it('renders the same bytes when the machine has no fonts of its own', async () => {
    const scene: Scene = { widgets: [{ type: 'clock', time: '12:34' }, { type: 'text', lines: ['Grüße aus Köln'], size: 'medium', align: 'center' }] };
    const here = await renderScene(scene, target('7970'));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ciscophone-fonts-test-'));
    try {
      writeFileSync(path.join(dir, 'empty.conf'), '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n');
      const script = path.join(dir, 'render.mts');
      writeFileSync(
        script,
        `import { renderScene } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/render/scene.ts')).href)};
import { targetFor } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/render/target.ts')).href)};
import { getModel } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/phones/models.ts')).href)};
const caps = getModel('7970');
const out = await renderScene(${JSON.stringify(scene)}, targetFor(caps.display, caps.png, caps.cipPane));
process.stdout.write(out.png.toString('base64'));
`,
      );
      const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_CACHE_HOME: dir, FONTCONFIG_FILE: path.join(dir, 'empty.conf'), FONTCONFIG_PATH: dir, TMPDIR: dir };
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
      assert.equal(child.status, 0, child.stderr);
      assert.ok(Buffer.from(child.stdout, 'base64').equals(here.png), 'same picture without system fonts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
