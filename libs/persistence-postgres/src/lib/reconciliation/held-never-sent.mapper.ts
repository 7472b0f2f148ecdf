// Rows of `heldNeverSent` (a top-up with no attempt and its ledger hold still HELD) as the
// application's HeldNeverSent: each column checked, a row that does not read naming its top-up.
import type { HeldNeverSent } from '@airtime/application';
import { currencyOf, money, type PersistenceFailure } from '@airtime/domain';
import { Either } from 'effect';
import { undecodable } from '../shared/codec-support';
import { statusOf } from '../top-ups/status.codec';

type Row = Record<string, unknown>;

const INTEGER_TEXT = /^(0|[1-9]\d*)$/;

const textOf = (row: Row, column: string): Either.Either<string, string> => {
  const value = row[column];
  return typeof value === 'string' ? Either.right(value) : Either.left(`${column} is not text`);
};

/** One row as a top-up held and never sent; a column that does not read is a non-retryable PersistenceFailure. */
export const heldNeverSentOf = (row: Row): Either.Either<HeldNeverSent, PersistenceFailure> => {
  const topUpId = typeof row['top_up_id'] === 'string' ? row['top_up_id'] : '(no id)';
  return Either.mapLeft(
    Either.gen(function* () {
      const statusClass = yield* textOf(row, 'status_class');
      const status = yield* statusOf(statusClass, yield* textOf(row, 'status'));
      const createdAt = row['created_at'];
      if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime()))
        return yield* Either.left('created_at is not a valid instant');
      const minor = yield* textOf(row, 'held_minor');
      if (!INTEGER_TEXT.test(minor)) return yield* Either.left('held_minor is not a whole amount');
      const code = yield* textOf(row, 'held_currency');
      const currency = yield* Either.mapLeft(currencyOf(code), () => 'held_currency is not a known currency');
      return {
        topUpId: yield* textOf(row, 'top_up_id'),
        accountId: yield* textOf(row, 'account_id'),
        externalId: yield* textOf(row, 'external_id'),
        status,
        createdAt,
        held: money(BigInt(minor), currency),
      };
    }),
    (reason) => undecodable(`top-up ${topUpId} (held and never sent)`, reason),
  );
};
