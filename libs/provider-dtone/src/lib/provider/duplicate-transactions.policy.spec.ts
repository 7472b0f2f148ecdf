// Which duplicate a status query answers: by rank (unreadable, COMPLETED,
// pending, REVERSED, failure), then the latest; the same for any order.
import fc from 'fast-check';
import { sampleDvsTransaction } from '../../testing/dvs.fixture';
import type { DvsTransaction } from '../schemas/dvs-transaction.schema';
import { answeredAmongDuplicates, duplicateRankOf } from './duplicate-transactions.policy';

const STATUSES = [
  ['COMPLETED', 'COMPLETED', 1],
  ['CREATED', 'CREATED', 2],
  ['CONFIRMED', 'CONFIRMED', 2],
  ['SUBMITTED', 'SUBMITTED', 2],
  ['REVERSED', 'REVERSED', 3],
  ['DECLINED-BARRED-CREDIT-PARTY', 'DECLINED', 4],
  ['REJECTED', 'REJECTED', 4],
  ['CANCELLED', 'CANCELLED', 4],
  ['WEIRD', 'ODD', 0],
] as const;

const transaction = (id: number, index: number): DvsTransaction => {
  const [message, statusClass] = STATUSES[index % STATUSES.length] ?? STATUSES[0];
  return sampleDvsTransaction({
    id,
    status: { id: 1, message, class: { id: 1, message: statusClass } },
  }) as unknown as DvsTransaction;
};

describe('answeredAmongDuplicates', () => {
  it('ranks statuses: unreadable, COMPLETED, pending, REVERSED, failure', () => {
    STATUSES.forEach(([, , rank], index) => expect(duplicateRankOf(transaction(index + 1, index))).toBe(rank));
  });

  it('answers the lowest rank, then the highest DVS id, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat({ max: STATUSES.length - 1 }), { minLength: 8, maxLength: 8 }),
        fc.infiniteStream(fc.nat()),
        (ids, statuses, shuffle) => {
          const items = ids.map((id, index) => transaction(id, statuses[index] ?? 0));
          const answered = answeredAmongDuplicates(items);
          const best = Math.min(...items.map(duplicateRankOf));
          const latestOfBest = Math.max(
            ...items.filter((item) => duplicateRankOf(item) === best).map((item) => item.id),
          );
          expect(answered?.id).toBe(latestOfBest);
          const keys = [...shuffle.take(items.length)];
          const shuffled = items.map((item, index) => [keys[index] ?? 0, item] as const).sort((a, b) => a[0] - b[0]);
          expect(answeredAmongDuplicates(shuffled.map(([, item]) => item))?.id).toBe(latestOfBest);
        },
      ),
    );
  });

  it('answers nothing for none', () => {
    expect(answeredAmongDuplicates([])).toBeUndefined();
  });
});
