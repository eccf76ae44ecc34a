import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paginate } from '../src/xml/index.js';

const list = Array.from({ length: 70 }, (_, i) => i + 1);

describe('paginate', () => {
  it('splits into pages of the given size', () => {
    const first = paginate(list, 32, 1);
    assert.deepEqual(first.items, list.slice(0, 32));
    assert.deepEqual({ page: first.page, pages: first.pages, hasPrevious: first.hasPrevious, hasNext: first.hasNext }, { page: 1, pages: 3, hasPrevious: false, hasNext: true });
    const middle = paginate(list, 32, 2);
    assert.deepEqual(middle.items, list.slice(32, 64));
    assert.equal(middle.hasPrevious, true);
    assert.equal(middle.hasNext, true);
    const last = paginate(list, 32, 3);
    assert.deepEqual(last.items, [65, 66, 67, 68, 69, 70]);
    assert.equal(last.hasNext, false);
  });

  it('clamps the page into range', () => {
    assert.equal(paginate(list, 32, 0).page, 1);
    assert.equal(paginate(list, 32, -5).page, 1);
    assert.equal(paginate(list, 32, 99).page, 3);
    assert.deepEqual(paginate(list, 32, 99).items, [65, 66, 67, 68, 69, 70]);
    assert.equal(paginate(list, 32, Number.NaN).page, 1);
    assert.equal(paginate(list, 32, Number.POSITIVE_INFINITY).page, 1);
    assert.equal(paginate(list, 32, 2.7).page, 2);
  });

  it('an empty list is one empty page', () => {
    assert.deepEqual(paginate([], 10, 3), { items: [], page: 1, pages: 1, hasPrevious: false, hasNext: false });
  });

  it('an exact multiple has no extra page', () => {
    assert.equal(paginate(list.slice(0, 64), 32, 1).pages, 2);
  });

  it('rejects page sizes that are not positive integers', () => {
    assert.throws(() => paginate(list, 0, 1), RangeError);
    assert.throws(() => paginate(list, 1.5, 1), RangeError);
  });
});
