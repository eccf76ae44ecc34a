/**
 * Static-root lookup: exact then case-insensitive per segment, symlinks kept
 * inside the root, directories are not files.
 */
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDiskFile, resolveStatic } from '../src/tftp/index.js';
import { makeTempDir, removeDir } from './helpers/tftp-fixture.js';

describe('resolveStatic', () => {
  let dir: string;
  let root: string;

  before(async () => {
    dir = await makeTempDir();
    root = join(dir, 'root');
    await mkdir(join(root, 'Desktops', '320x196x4'), { recursive: true });
    await writeFile(join(root, 'ringlist.xml'), 'lower');
    await writeFile(join(root, 'RingList.xml'), 'camel');
    await writeFile(join(root, 'Jar41sip.8-3-0-50.sbn'), 'jar');
    await writeFile(join(root, 'Desktops', '320x196x4', 'List.xml'), 'list');
    await writeFile(join(dir, 'outside.txt'), 'secret');
    await symlink(join(dir, 'outside.txt'), join(root, 'out.txt'));
    await symlink(join(root, 'ringlist.xml'), join(root, 'alias.xml'));
    await symlink(join(dir, 'missing'), join(root, 'dangling'));
  });

  after(() => removeDir(dir));

  const found = async (name: string) => {
    const result = await resolveStatic(root, name);
    assert.equal(result.status, 'found', name);
    return result.status === 'found' ? result.path : '';
  };

  it('prefers the exact name, then matches case-insensitively', async () => {
    assert.equal(await found('RingList.xml'), join(root, 'RingList.xml'));
    assert.equal(await found('ringlist.xml'), join(root, 'ringlist.xml'));
    assert.equal(await found('RINGLIST.XML'), join(root, 'RingList.xml')); // first in sorted order
    assert.equal(await found('jar41SIP.8-3-0-50.sbn'), join(root, 'Jar41sip.8-3-0-50.sbn'));
    assert.equal(await found('desktops/320X196X4/list.xml'), join(root, 'Desktops', '320x196x4', 'List.xml'));
  });

  it('reports missing files and directories as missing', async () => {
    assert.deepEqual(await resolveStatic(root, 'nothere.xml'), { status: 'missing' });
    assert.deepEqual(await resolveStatic(root, 'Desktops'), { status: 'missing' });
    assert.deepEqual(await resolveStatic(root, 'ringlist.xml/x'), { status: 'missing' });
    assert.deepEqual(await resolveStatic(root, 'dangling'), { status: 'missing' });
  });

  it('keeps symlinks inside the root', async () => {
    assert.deepEqual(await resolveStatic(root, 'out.txt'), { status: 'denied' });
    assert.equal(await found('ALIAS.xml'), join(root, 'ringlist.xml'));
  });

  it('opens a disk file for reads at offsets', async () => {
    const file = await openDiskFile(join(root, 'Jar41sip.8-3-0-50.sbn'));
    assert.ok(file);
    assert.equal(file.size, 3);
    assert.equal((await file.read(1, 10)).toString(), 'ar');
    assert.equal((await file.read(5, 10)).length, 0);
    await file.close?.();
    assert.equal(await openDiskFile(join(root, 'Desktops')), null);
  });
});
