/**
 * Ring tones and backgrounds over TFTP: the media provider behind a real TftpServer, fetched with
 * tftp-hpa and curl. Ring lists and image lists are parsed and every file they name is fetched
 * and checked (ring-tone length rules; PNG size, depth and thumbnails decoded with sharp).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { loadConfig, parseConfig } from '../src/config/load.js';
import { createContext, type AppContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { RENDERS_AT_ONCE } from '../src/media/backgrounds.js';
import { mediaProvider, ringtoneFileNames, ringtoneToPlay, RING_BLOCK, RING_MAX_SAMPLES } from '../src/media/index.js';
import { hugePng } from './helpers/huge-png.js';
import { makeWav, tone } from './helpers/media-wav.js';
import { makeTempDir, removeDir, runClient, startServer, type RunningServer } from './helpers/tftp-fixture.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'Ring' || name === 'ImageItem' });

interface Ring {
  DisplayName: string;
  FileName: string;
}

function contextFor(dir: string, yaml: string, warnings: string[]): AppContext {
  const sink = new Writable({
    write(chunk, _enc, done) {
      warnings.push(String(chunk));
      done();
    },
  });
  const config = parseConfig(yaml, join(dir, 'ciscophone.yaml'), { dataDir: join(dir, 'data') });
  return createContext({ config, log: createLogger('warn', sink), ephemeral: true });
}

/** A picture with a distinct left and right half, so crops can be told apart. */
function picture(width: number, height: number, format: 'png' | 'jpeg', alpha = false): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g"><stop offset="0" stop-color="#102040"/><stop offset="1" stop-color="#f0c080"/></linearGradient></defs>
    <rect width="${width}" height="${height}" fill="url(#g)" ${alpha ? 'fill-opacity="0.5"' : ''}/>
    <circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#40a040"/></svg>`;
  const img = sharp(Buffer.from(svg));
  return format === 'png' ? img.png().toBuffer() : img.jpeg().toBuffer();
}

describe('media over TFTP', () => {
  let dir: string;
  let out: string;
  let ctx: AppContext;
  let srv: RunningServer;
  const warnings: string[] = [];

  before(async () => {
    dir = await makeTempDir('media-test-');
    out = join(dir, 'out');
    const rings = join(dir, 'rings');
    const pics = join(dir, 'pics');
    await Promise.all([mkdir(out), mkdir(rings), mkdir(pics), mkdir(join(dir, 'tftp'))]);
    await writeFile(join(rings, 'Morning Bell.wav'), makeWav({ rate: 44100, encoding: 's24', channels: [tone(44100, 1.2, [[660, 0.5, 1]]), tone(44100, 1.2, [[990, 0.3]])] }));
    await writeFile(
      join(rings, 'chunky.wav'),
      makeWav({
        rate: 22050,
        channels: [tone(22050, 0.6, [[440, 0.6, 2]])],
        extensible: true,
        before: [{ id: 'bext', data: Buffer.alloc(603, 0x20) }],
        after: [{ id: 'LIST', data: Buffer.from('INFOINAM\x03\x00\x00\x00ab\x00\x00', 'latin1') }],
      }),
    );
    await writeFile(join(rings, 'A very long ring tone name that goes on and on.wav'), makeWav({ rate: 48000, encoding: 'f32', channels: [tone(48000, 30, [[523, 0.6, 0.5]])] }));
    await writeFile(join(rings, 'broken.wav'), Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt \x02\x00\x00\x00\x01\x00', 'latin1'));
    await writeFile(join(rings, 'notes.txt'), 'not a ring tone');
    await writeFile(join(pics, 'Wide Lake.png'), await picture(1200, 500, 'png', true));
    await writeFile(join(pics, 'tall.jpg'), await picture(300, 900, 'jpeg'));
    await writeFile(join(pics, 'corrupt.png'), Buffer.from('\x89PNG\r\n\x1a\nnot really', 'latin1'));
    await writeFile(join(pics, 'huge.png'), hugePng(8000, 8000));
    const yaml = [
      'pbx: { host: 127.0.0.1 }',
      `server: { tftp: { root: ./tftp } }`,
      'ringtones: { folder: ./rings, names: { chunky: "Chunky Bell" } }',
      'backgrounds: { folder: ./pics }',
      // One model of each background size (7940 has none).
      'phones:',
      ...['7941', '7945', '7970', '7975', '7940'].map((model, i) => `  - { mac: "00112233440${i}", model: "${model}", lines: [ { number: "62${i}" } ] }`),
      '',
    ].join('\n');
    ctx = contextFor(dir, yaml, warnings);
    srv = await startServer(join(dir, 'tftp'), { providers: [mediaProvider(ctx)] });
  });

  after(async () => {
    await srv.stop();
    await removeDir(dir);
  });

  async function hpa(remote: string): Promise<Buffer> {
    const local = `${remote.replace(/[^A-Za-z0-9.-]/g, '_')}-${Math.random().toString(36).slice(2)}`;
    const run = await runClient('tftp', ['127.0.0.1', String(srv.port), '-m', 'binary', '-c', 'get', remote, local], out);
    const data = await readFile(join(out, local)).catch(() => null);
    assert.ok(data && !/Error/i.test(run.stdout + run.stderr), `tftp get ${remote}: ${run.stdout}${run.stderr}`);
    return data;
  }

  async function curl(remote: string): Promise<Buffer> {
    const local = join(out, `curl-${Math.random().toString(36).slice(2)}`);
    const run = await runClient('curl', ['-sS', '--tftp-blksize', '1428', '-o', local, `tftp://127.0.0.1:${srv.port}/${remote}`], out);
    assert.equal(run.code, 0, `curl ${remote}: ${run.stderr}`);
    return readFile(local);
  }

  async function ringList(name: string): Promise<Ring[]> {
    const body = await hpa(name);
    const lint = spawnSync('xmllint', ['--noout', '-'], { input: body });
    assert.equal(lint.status, 0, String(lint.stderr));
    const doc = parser.parse(body.toString('latin1')) as { CiscoIPPhoneRingList: { Ring: Ring[] } };
    return doc.CiscoIPPhoneRingList.Ring;
  }

  it('serves the ring list under every spelling, skipping the corrupt WAV with a warning', async () => {
    const rings = await ringList('Ringlist.xml');
    assert.deepEqual(
      rings.map((r) => r.DisplayName),
      ['A very long ring tone..', 'Chunky Bell', 'Morning Bell'],
    );
    for (const r of rings) {
      assert.ok(String(r.DisplayName).length <= 25 && r.FileName.length <= 25, JSON.stringify(r));
      assert.match(r.FileName, /^[A-Za-z0-9_-]+\.raw$/);
    }
    for (const spelling of ['ringlist.xml', 'RINGLIST.XML', 'RingList.xml', '/DistinctiveRingList.xml', 'distinctiveringlist.xml', 'DISTINCTIVERLIST.XML']) {
      assert.deepEqual(await ringList(spelling), rings, spelling);
    }
    const warned = warnings.map((w) => JSON.parse(w) as { file?: string; msg: string }).filter((w) => w.file === 'broken.wav');
    assert.equal(warned.length, 1, warnings.join(''));
    assert.match(warned[0]!.msg, /skipped/);
  });

  it('delivers every listed ring tone obeying the length rules, through tftp-hpa and curl', async () => {
    const rings = await ringList('Ringlist.xml');
    for (const ring of rings) {
      const raw = await hpa(ring.FileName);
      assert.ok(raw.length >= RING_BLOCK && raw.length <= RING_MAX_SAMPLES && raw.length % RING_BLOCK === 0, `${ring.FileName}: ${raw.length}`);
      assert.equal(raw[0], 0xff, 'starts from silence');
      assert.deepEqual(await curl(ring.FileName.toUpperCase()), raw, 'any letter case');
    }
    const long = rings.find((r) => r.DisplayName.startsWith('A very long'))!;
    assert.equal((await hpa(long.FileName)).length, RING_MAX_SAMPLES);
    assert.equal((await hpa(rings.find((r) => r.DisplayName === 'Morning Bell')!.FileName)).length, 9600);
  });

  it('serves RINGLIST.DAT for 7940/7960', async () => {
    const dat = (await hpa('RINGLIST.DAT')).toString('latin1');
    const rings = await ringList('Ringlist.xml');
    assert.equal(dat, rings.map((r) => `${r.DisplayName}\t${r.FileName}\r\n`).join(''));
  });

  it('answers nothing for names it does not own', async () => {
    const run = await runClient('curl', ['-sS', '-o', join(out, 'x'), `tftp://127.0.0.1:${srv.port}/nothere.raw`], out);
    assert.notEqual(run.code, 0);
    const bad = await runClient('curl', ['-sS', '-o', join(out, 'y'), `tftp://127.0.0.1:${srv.port}/Desktops/99999x1x4/List.xml`], out);
    assert.notEqual(bad.code, 0);
  });

  it('offers the ring tones for Play: under every name people type', async () => {
    const names = await ringtoneFileNames(ctx);
    assert.equal(names.length, 3);
    const chunky = names.find((n) => n.displayName === 'Chunky Bell')!;
    for (const typed of ['chunky.raw', 'CHUNKY', 'chunky.wav', 'chunky bell', ' Chunky Bell ']) {
      assert.deepEqual(await ringtoneToPlay(ctx, typed), { fileName: chunky.fileName }, typed);
    }
    assert.deepEqual(await ringtoneToPlay(ctx, 'Morning Bell'), { fileName: 'Morning_Bell.raw' });
    const unknown = await ringtoneToPlay(ctx, 'broken');
    assert.ok('problem' in unknown);
    assert.match(unknown.problem, /no ring tone "broken"; the ring tones are: .*chunky\.raw \(Chunky Bell\), Morning_Bell\.raw \(Morning Bell\)$/);
    // A .raw file the owner put in the TFTP root plays as it is; a missing one does not.
    await writeFile(join(dir, 'tftp', 'Handmade.raw'), Buffer.alloc(240, 0xff));
    assert.deepEqual(await ringtoneToPlay(ctx, 'Handmade.raw'), { fileName: 'Handmade.raw' });
    assert.ok('problem' in (await ringtoneToPlay(ctx, 'missing.raw')));
    assert.ok('problem' in (await ringtoneToPlay(ctx, '../etc/passwd.raw')));
  });

  const directories = [
    { dir: '320x196x4', thumb: [80, 49], channels: 1, levels: 16 },
    { dir: '320x212x12', thumb: [80, 53], channels: 3, levels: 16 },
    { dir: '320x212x16', thumb: [80, 53], channels: 3, levels: 64 },
    { dir: '320x216x16', thumb: [80, 53], channels: 3, levels: 64 },
  ] as const;

  for (const d of directories) {
    it(`serves Desktops/${d.dir}/List.xml and its pictures`, async () => {
      const body = await hpa(`Desktops/${d.dir}/List.xml`);
      const lint = spawnSync('xmllint', ['--noout', '-'], { input: body });
      assert.equal(lint.status, 0, String(lint.stderr));
      const items = (parser.parse(body.toString('latin1')) as { CiscoIPPhoneImageList: { ImageItem: { Image: string; URL: string }[] } })
        .CiscoIPPhoneImageList.ImageItem;
      assert.deepEqual(
        items.map((i) => i.URL),
        [`TFTP:Desktops/${d.dir}/tall.png`, `TFTP:Desktops/${d.dir}/Wide_Lake.png`],
      );
      for (const item of items) {
        assert.match(item.Image, new RegExp(`^TFTP:Desktops/${d.dir}/TN-`));
        for (const [url, [w, h]] of [[item.URL, d.dir.split('x').map(Number)], [item.Image, d.thumb]] as const) {
          const png = await hpa(url.slice('TFTP:'.length));
          const meta = await sharp(png).metadata();
          assert.equal(meta.format, 'png');
          assert.deepEqual([meta.width, meta.height], [w, h], url);
          assert.equal(meta.hasAlpha, false, url);
          assert.equal(meta.channels, d.channels, url);
          const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
          for (let c = 0; c < d.channels; c++) {
            const values = new Set<number>();
            for (let i = c; i < data.length; i += d.channels) values.add(data[i]!);
            const limit = d.levels === 64 && c !== 1 ? 32 : d.levels; // 16-bit colour is 5-6-5
            assert.ok(values.size <= limit && values.size > 2, `${url} channel ${c}: ${values.size} levels`);
          }
        }
      }
    });
  }

  it('crops to fill: a tall picture keeps its middle', async () => {
    const png = await hpa('Desktops/320x212x16/tall.png');
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => data[(y * info.width + x) * 3 + 1]!;
    assert.ok(at(160, 106) > 120, 'green circle in the centre');
  });

  it('warns about the unreadable picture and leaves it out', () => {
    assert.ok(warnings.some((w) => w.includes('corrupt.png')), warnings.join(''));
  });

  it('leaves out a picture above the pixel limit (8000×8000 in a few kB), with the reason', () => {
    assert.ok(warnings.some((w) => w.includes('huge.png') && /pixel limit/.test(w)), warnings.join(''));
  });

  it('caches converted files in the data folder and redoes them when the source changes', async () => {
    const cacheDir = join(dir, 'data', 'media', 'ringtones');
    assert.equal((await readdir(cacheDir)).filter((n) => n.endsWith('.raw')).length, 3);
    const rings = await ringList('Ringlist.xml');
    const chunky = rings.find((r) => r.DisplayName === 'Chunky Bell')!;
    const before = await hpa(chunky.FileName);
    await writeFile(join(dir, 'rings', 'chunky.wav'), makeWav({ rate: 8000, channels: [tone(8000, 0.3, [[1000, 0.9, 1]])] }));
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'rings', 'chunky.wav'), later, later);
    const after = await hpa(chunky.FileName);
    assert.notDeepEqual(after, before);
    assert.equal(after.length, 2400);
    assert.equal((await readdir(cacheDir)).filter((n) => n.endsWith('.raw')).length, 3, 'old conversion removed');

    const pictureBefore = await hpa('Desktops/320x196x4/tall.png');
    await writeFile(join(dir, 'pics', 'tall.jpg'), await picture(300, 900, 'jpeg', false).then((b) => sharp(b).negate().jpeg().toBuffer()));
    await utimes(join(dir, 'pics', 'tall.jpg'), later, later);
    assert.notDeepEqual(await hpa('Desktops/320x196x4/tall.png'), pictureBefore);
  });

  it('answers "file not found" for a size no configured model uses, rendering nothing', async () => {
    await hpa('Desktops/320x212x12/tall.png');
    for (const name of ['Desktops/640x480x24/List.xml', 'Desktops/640x480x24/tall.png', 'Desktops/101x100x24/TN-tall.png']) {
      const run = await runClient('curl', ['-sS', '-o', join(out, 'odd'), `tftp://127.0.0.1:${srv.port}/${name}`], out);
      assert.equal(run.code, 68, `${name}: curl exits 68 on TFTP "file not found" (${run.stderr.trim()})`);
    }
    const kept = await readdir(join(dir, 'data', 'media', 'backgrounds'));
    assert.ok(kept.some((n) => n.endsWith('-320x212x12.png')), kept.join(' '));
    assert.deepEqual(kept.filter((n) => /640x480|x100x/.test(n)), []);
  });

  it('renders a burst of requests at most two at a time and serves repeats from the cache', async () => {
    const spec = { width: 320, height: 216, depth: 16, dir: '320x216x16' };
    const names = ['tall.png', 'TN-tall.png', 'Wide_Lake.png', 'TN-Wide_Lake.png'];
    // A fresh data folder: nothing rendered yet.
    const freshDir = await makeTempDir('media-burst-');
    const fresh = contextFor(
      freshDir,
      `pbx: { host: 127.0.0.1 }\nbackgrounds: { folder: ${join(dir, 'pics')} }\nphones: [ { mac: "001122334499", model: "7975", lines: [ { number: "1" } ] } ]\n`,
      [],
    );
    const library = fresh.media.backgrounds;
    const first = await Promise.all([...names, ...names, ...names].map((n) => library.file(spec, n)));
    assert.ok(first.every((png) => png && png.length > 0));
    assert.equal(library.stats().renders, names.length, 'each file rendered once');
    assert.ok(library.stats().mostAtOnce <= RENDERS_AT_ONCE, `${library.stats().mostAtOnce} at once`);
    await Promise.all(names.map((n) => library.file(spec, n)));
    assert.equal(library.stats().renders, names.length, 'repeats served from memory');
    await removeDir(freshDir);
  });

  it('a new process reuses the data-folder cache', async () => {
    const cacheDir = join(dir, 'data', 'media', 'ringtones');
    const [entry] = (await readdir(cacheDir)).filter((n) => n.includes('-ring'));
    // A marked cache entry is served as is: proof it was read instead of converted again.
    const marked = Buffer.alloc(480, 0x42);
    const files = (await readdir(cacheDir)).filter((n) => n.endsWith('.raw'));
    for (const f of files) await writeFile(join(cacheDir, f), marked);
    assert.ok(entry);
    const fresh = contextFor(dir, 'pbx: { host: 127.0.0.1 }\nringtones: { folder: ./rings }\nbackgrounds: { folder: ./pics }\n', []);
    const provider = mediaProvider(fresh);
    const client = { address: '127.0.0.1', port: 1, family: 'IPv4' as const };
    const file = await provider.resolve('Morning_Bell.raw', client);
    assert.ok(file);
    assert.deepEqual(Buffer.from(await file.read(0, file.size)), marked);
  });

  it('answers nothing when the folders are empty, so the TFTP root applies', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const bare = contextFor(dir, 'pbx: { host: 127.0.0.1 }\nringtones: { folder: ./empty }\nbackgrounds: { folder: ./missing }\n', []);
    const provider = mediaProvider(bare);
    const client = { address: '127.0.0.1', port: 1, family: 'IPv4' as const };
    assert.equal(await provider.resolve('Ringlist.xml', client), null);
    assert.equal(await provider.resolve('RINGLIST.DAT', client), null);
    assert.equal(await provider.resolve('Desktops/320x196x4/List.xml', client), null);
    await rm(empty, { recursive: true });
  });
});

describe('the demo configuration', () => {
  it('offers the shipped chime and evening picture', async () => {
    const dir = await makeTempDir('media-demo-');
    try {
      const config = await loadConfig(new URL('../assets/demo/ciscophone.yaml', import.meta.url).pathname, { dataDir: join(dir, 'data') });
      const ctx = createContext({ config, log: createLogger('silent'), ephemeral: true });
      const srv = await startServer(join(dir), { providers: [mediaProvider(ctx)] });
      try {
        const get = async (name: string) => {
          const local = join(dir, `f-${Math.random().toString(36).slice(2)}`);
          const run = await runClient('curl', ['-sS', '-o', local, `tftp://127.0.0.1:${srv.port}/${name}`], dir);
          assert.equal(run.code, 0, `${name}: ${run.stderr}`);
          return readFile(local);
        };
        const rings = (await get('Ringlist.xml')).toString('latin1');
        assert.match(rings, /<DisplayName>Chime<\/DisplayName>/);
        const raw = await get('Chime.raw');
        assert.equal(raw.length % RING_BLOCK, 0);
        assert.match((await get('Desktops/320x196x4/List.xml')).toString('latin1'), /URL="TFTP:Desktops\/320x196x4\/Evening.png"/);
        const meta = await sharp(await get('Desktops/320x212x12/TN-Evening.png')).metadata();
        assert.deepEqual([meta.width, meta.height], [80, 53]);
      } finally {
        await srv.stop();
      }
    } finally {
      await removeDir(dir);
    }
  });
});
