import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ActivityLog, deviceNameInPath, PATH_MAX_CHARS, UNKNOWN_DEVICES_MAX } from '../src/activity/activity-log.js';
import { writeFileAtomic } from '../src/data/atomic-write.js';
import { recordFetch } from '../src/provisioning/fetch-log.js';
import { testApp } from './helpers/app.js';

const OFFICE = 'SEP008041AEFD7E';

describe('activity log', () => {
  it('finds the device in the file names phones ask for', () => {
    assert.equal(deviceNameInPath('SEP008041aefd7e.cnf.xml'), OFFICE);
    assert.equal(deviceNameInPath('/CTLSEP008041AEFD7E.tlv'), OFFICE);
    assert.equal(deviceNameInPath('SIP008041AEFD7E.cnf'), OFFICE);
    assert.equal(deviceNameInPath('dialplan.xml'), undefined);
  });

  it('shows the last contact of any kind (pushes and config locks never read it)', () => {
    const log = new ActivityLog();
    log.record({ via: 'tftp', ip: '192.168.1.50', path: `${OFFICE}.cnf.xml`, status: 'ok' });
    log.record({ via: 'http', ip: '192.168.1.66', path: '/services', status: 'ok', name: OFFICE });
    assert.equal(log.get(OFFICE)?.ip, '192.168.1.66');
    assert.equal(log.nameAt('192.168.1.50'), OFFICE);
  });

  it('attributes firmware fetches to the phone at that address and survives a restart', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'activity-')), 'activity.json');
    const log = new ActivityLog({ file, clock: () => new Date('2026-01-02T03:04:05Z'), save: writeFileAtomic });
    log.record({ via: 'tftp', ip: '192.168.1.50', path: `${OFFICE}.cnf.xml`, status: 'ok' });
    log.record({ via: 'tftp', ip: '192.168.1.50', path: 'SIP41.9-4-2SR3-1S.loads', status: 'ok' });
    await log.flush();
    const again = new ActivityLog({ file });
    await again.load();
    const office = again.get(OFFICE)!;
    assert.equal(office.firmware, 'SIP41.9-4-2SR3-1S.loads');
    assert.equal(office.lastTftp?.at, '2026-01-02T03:04:05.000Z');
    assert.equal(again.get(OFFICE)?.ip, '192.168.1.50');
  });
});

describe('activity log bounds', () => {
  it('after 100,000 misses for unknown MACs: configured phones kept, the most recent unknown ones, a bounded file and API answer', async () => {
    const t = await testApp();
    try {
      recordFetch(t.ctx, { via: 'tftp', ip: '192.168.1.50', path: `${OFFICE}.cnf.xml`, status: 'ok' });
      const misses = 100_000;
      const mac = (i: number) => `SEP${(0x0a0000000000 + i).toString(16).toUpperCase().padStart(12, '0')}`;
      for (let i = 0; i < misses; i++) {
        const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
        recordFetch(t.ctx, { via: 'tftp', ip, path: `${mac(i)}.cnf.xml${'x'.repeat(i % 3 === 0 ? 400 : 0)}`, status: 'missing' });
      }
      const all = t.ctx.activity.all();
      assert.equal(all.length, 1 + UNKNOWN_DEVICES_MAX);
      assert.equal(all[0]?.name, OFFICE, 'a configured phone is never pushed out');
      assert.equal(all.at(-1)?.name, mac(misses - 1), 'the most recent unknown device is kept, last');
      assert.equal(t.ctx.activity.get(mac(0)), undefined, 'the least recently seen ones are dropped');
      assert.ok(all.every((p) => (p.lastTftp?.path.length ?? 0) <= PATH_MAX_CHARS));
      assert.equal(t.ctx.activity.get(OFFICE)?.ip, '192.168.1.50');

      const saved = JSON.stringify(all, null, 1).length;
      assert.ok(saved < 150_000, `saved activity: ${saved} bytes`);
      const res = await t.app.inject({ url: '/api/ui/phones', remoteAddress: '127.0.0.1' });
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.length < 150_000, `/api/ui/phones: ${res.body.length} bytes`);
      assert.equal((JSON.parse(res.body) as { phones: unknown[] }).phones.length, 3 + UNKNOWN_DEVICES_MAX);
    } finally {
      await t.close();
    }
  });

  it('keeps the most recent unknown devices across a restart', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'activity-')), 'activity.json');
    const log = new ActivityLog({ file, save: writeFileAtomic });
    for (let i = 0; i < UNKNOWN_DEVICES_MAX + 10; i++) log.record({ via: 'http', ip: `10.0.1.${i % 250}`, path: '/services', status: 'ok', name: `SEP00000000${String(1000 + i)}` });
    log.record({ via: 'http', ip: '10.0.2.1', path: '/services', status: 'ok', name: 'SEP000000001005' });
    await log.flush();
    const again = new ActivityLog({ file });
    await again.load();
    const names = again.all().map((p) => p.name);
    assert.equal(names.length, UNKNOWN_DEVICES_MAX);
    assert.equal(names.at(-1), 'SEP000000001005', 'seen again: now the most recent');
    assert.equal(again.get('SEP000000001010'), undefined, 'the oldest not seen again is gone');
  });
});
