import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDialer } from '../src/contacts/dialing.js';
import { ContactIndex, type SourceContacts } from '../src/contacts/search-index.js';
import { parseVCards } from '../src/contacts/vcard.js';

const FIRST = ['Anna', 'Bernd', 'Clara', 'Dieter', 'Eva', 'Frank', 'Greta', 'Hans', 'Ida', 'Jürgen'];
const book = (count: number, from: number): string =>
  Array.from({ length: count }, (_, i) =>
    ['BEGIN:VCARD', 'VERSION:3.0', `FN:${FIRST[i % 10]} Person ${from + i}`, `N:Person ${from + i};${FIRST[i % 10]};;;`, `TEL;TYPE=CELL:+49 171 ${1_000_000 + from + i}`, 'TEL;TYPE=WORK:+49 89 5550', 'END:VCARD'].join('\r\n'),
  ).join('\r\n');

describe('directory: the index', () => {
  test('built in slices, other work runs between them, and it answers as one built at once', async () => {
    const dialer = createDialer({ country: '49', internationalPrefix: '00', trunkPrefix: '0', outsideLinePrefix: '' });
    const sources: SourceContacts[] = [
      { source: '1', contacts: parseVCards(book(40, 0), 'a.vcf').contacts },
      { source: '2', contacts: parseVCards(book(20, 100), 'b.vcf').contacts },
    ];
    let building = true;
    let turns = 0;
    const otherWork = (): void => {
      if (!building) return;
      turns++;
      setImmediate(otherWork);
    };
    setImmediate(otherWork);
    // A slice of 0 ms ends after every contact.
    const sliced = await ContactIndex.inSlices(sources, dialer, 0);
    building = false;
    assert.ok(turns >= 50, `other work ran ${turns} times while 60 contacts were indexed`);

    const whole = ContactIndex.of(sources, dialer);
    assert.equal(sliced.count(), 60);
    assert.equal(sliced.count('2'), 20);
    for (const query of ['anna', 'jurgen person', '2662', '171 1000105', '0171', 'person 1']) {
      assert.deepEqual(sliced.search(query), whole.search(query), query);
    }
    assert.equal(sliced.search('jürgen').length, 2 * 6);
    assert.deepEqual(sliced.browse('2'), whole.browse('2'));
    assert.deepEqual([...sliced.groupSizes()], [...whole.groupSizes()]);
    // The first contact with a number keeps it for caller-ID, in both.
    assert.equal(sliced.lookup(dialer.key('089 5550')), 'Anna Person 0');
    assert.equal(whole.lookup(dialer.key('089 5550')), 'Anna Person 0');
  });
});
