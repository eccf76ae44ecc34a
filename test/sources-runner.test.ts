/**
 * The source runner every directory and calendar source runs on: one back-off policy, a refresh
 * that runs once at a time, 401 recognised by status, items not fully read in the status. The stores on
 * top of it are tested against Radicale and real feeds (directory-carddav, calendar-caldav,
 * calendar-agenda); here the runner alone, with refresh functions that succeed or fail on cue.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../src/logger.js';
import { failureReason, isAuthFailure, nextRefreshSeconds, RETRY_FIRST_SECONDS, SourceRunner } from '../src/sources/runner.js';
import { MAX_LISTED_UNREAD } from '../src/sources/unread.js';
import { DavError } from '../src/errors.js';

function runner(refresh: () => Promise<void>, lastSync?: () => string | undefined, unread: () => readonly string[] = () => []): SourceRunner {
  return new SourceRunner({
    name: 'Office',
    type: 'caldav',
    holds: 'calendar',
    intervalSeconds: 300,
    log: createLogger('silent'),
    refresh,
    lastSync: lastSync ?? (() => undefined),
    count: () => 7,
    unread,
  });
}

describe('back-off policy', () => {
  it('a healthy source waits its interval', () => {
    assert.equal(nextRefreshSeconds(300, 0, false), 300);
  });

  it('failures retry sooner, doubling, never later than the interval', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => nextRefreshSeconds(300, n, false)), [30, 60, 120, 240, 300, 300]);
    assert.equal(nextRefreshSeconds(3600, 1, false), RETRY_FIRST_SECONDS);
    assert.equal(nextRefreshSeconds(20, 1, false), 20);
  });

  it('a refused password waits the full interval', () => {
    assert.equal(nextRefreshSeconds(300, 1, true), 300);
    assert.equal(nextRefreshSeconds(300, 4, true), 300);
  });

  it('401 is recognised by the status, not by the text', () => {
    assert.equal(isAuthFailure(new DavError('anything', 401)), true);
    assert.equal(isAuthFailure(new DavError('HTTP 401 in the text only', 500)), false);
    assert.equal(isAuthFailure(new Error('HTTP 401')), false);
    assert.equal(failureReason(new DavError('x', 401)), 'authentication failed (HTTP 401): check username and password');
    assert.equal(failureReason(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })), 'file not found');
  });
});

describe('SourceRunner', () => {
  it('runs one refresh at a time: callers who ask meanwhile share it', async () => {
    let runs = 0;
    let release!: () => void;
    const r = runner(async () => {
      runs++;
      await new Promise<void>((resolve) => (release = resolve));
    });
    const first = r.refresh();
    const second = r.refresh();
    assert.equal(first, second);
    release();
    await Promise.all([first, second]);
    assert.equal(runs, 1);
    const third = r.refresh();
    assert.notEqual(third, first, 'a refresh asked after the first ended runs anew');
    release();
    await third;
    assert.equal(runs, 2);
    await r.stop();
  });

  it('status: pending, then ok, then error with what is still shown', async () => {
    let fail: Error | undefined;
    let synced: string | undefined;
    const r = runner(async () => {
      if (fail) throw fail;
      synced = '2026-10-23T06:00:00.000Z';
    }, () => synced);
    assert.equal(r.status().state, 'pending');
    await r.refresh();
    assert.deepEqual(r.status(), {
      name: 'Office', type: 'caldav', count: 7, state: 'ok', lastSync: '2026-10-23T06:00:00.000Z',
    });
    fail = new DavError('authentication failed at http://127.0.0.1:1 (HTTP 401): check username and password', 401);
    await r.refresh();
    assert.equal(r.status().state, 'error');
    assert.equal(r.failing, true);
    assert.equal(r.status().lastError, 'authentication failed (HTTP 401): check username and password; showing the calendar as of 2026-10-23T06:00:00.000Z');
    fail = undefined;
    await r.refresh();
    assert.equal(r.status().state, 'ok');
    assert.equal(r.status().lastError, undefined);
    await r.stop();
  });

  it('a failure before any data says so', async () => {
    const r = runner(async () => {
      throw new DavError('cannot reach http://127.0.0.1:9: ECONNREFUSED');
    });
    await r.refresh();
    assert.equal(r.status().lastError, 'cannot reach http://127.0.0.1:9: ECONNREFUSED; no calendar data yet');
    await r.stop();
  });

  it('a source with cards or events not fully read is in state warning, with their count and the first lines', async () => {
    const lines = Array.from({ length: MAX_LISTED_UNREAD + 5 }, (_, i) => `book.vcf: card ${i + 1}: skipped: no END:VCARD`);
    let unread: string[] = [];
    const r = runner(async () => undefined, () => '2026-10-23T06:00:00.000Z', () => unread);
    await r.refresh();
    assert.equal(r.status().state, 'ok');
    assert.equal(r.status().unread, undefined);
    unread = lines;
    const status = r.status();
    assert.equal(status.state, 'warning');
    assert.equal(status.unread, MAX_LISTED_UNREAD + 5);
    assert.deepEqual(status.warnings, lines.slice(0, MAX_LISTED_UNREAD));
    await r.stop();
  });

  it('stop() waits for a refresh under way and schedules nothing after it', async () => {
    let release!: () => void;
    let runs = 0;
    const r = runner(async () => {
      runs++;
      await new Promise<void>((resolve) => (release = resolve));
    });
    r.start();
    const stopping = r.stop();
    release();
    await stopping;
    assert.equal(runs, 1);
    assert.equal(r.status().state, 'ok');
  });
});
