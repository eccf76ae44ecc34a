import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ActivityLog, deviceNameInPath } from '../src/activity/activity-log.js';

const OFFICE = 'SEP008041AEFD7E';

describe('activity log', () => {
  it('finds the device in the file names phones ask for', () => {
    assert.equal(deviceNameInPath('SEP008041aefd7e.cnf.xml'), OFFICE);
    assert.equal(deviceNameInPath('/CTLSEP008041AEFD7E.tlv'), OFFICE);
    assert.equal(deviceNameInPath('SIP008041AEFD7E.cnf'), OFFICE);
    assert.equal(deviceNameInPath('dialplan.xml'), undefined);
  });

  it('shows the last contact of any kind (pushes and config locks never read it)', () => {
    const log = new ActivityLog(undefined);
    log.record({ via: 'tftp', ip: '192.168.1.50', path: `${OFFICE}.cnf.xml`, status: 'ok' });
    log.record({ via: 'http', ip: '192.168.1.66', path: '/services', status: 'ok', name: OFFICE });
    assert.equal(log.get(OFFICE)?.ip, '192.168.1.66');
    assert.equal(log.nameAt('192.168.1.50'), OFFICE);
  });

  it('attributes firmware fetches to the phone at that address and survives a restart', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'activity-')), 'activity.json');
    const log = new ActivityLog(file, () => new Date('2026-01-02T03:04:05Z'));
    log.record({ via: 'tftp', ip: '192.168.1.50', path: `${OFFICE}.cnf.xml`, status: 'ok' });
    log.record({ via: 'tftp', ip: '192.168.1.50', path: 'SIP41.9-4-2SR3-1S.loads', status: 'ok' });
    await log.flush();
    const again = new ActivityLog(file);
    await again.load();
    const office = again.get(OFFICE)!;
    assert.equal(office.firmware, 'SIP41.9-4-2SR3-1S.loads');
    assert.equal(office.lastTftp?.at, '2026-01-02T03:04:05.000Z');
    assert.equal(again.get(OFFICE)?.ip, '192.168.1.50');
  });
});
