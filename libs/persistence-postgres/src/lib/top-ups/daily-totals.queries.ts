import { currencyOf, type Money, money, PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { decodeStored } from '../shared/codec-support';
import { BigIntFromDecimal } from '../shared/money.codec';
import { sql } from '../unit-of-work/sql';

/** What one account was charged in one currency for the top-ups completed from one UTC day. */
export interface DailyTotal {
  readonly accountId: string;
  readonly count: number;
  /** Sum of the costs (what the account is charged), in the cost currency. */
  readonly total: Money;
}

const TotalRow = Schema.Struct({
  account_id: Schema.String,
  cost_currency: Schema.String,
  count: Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative()),
  total_minor: BigIntFromDecimal,
});

const decodeTotalRow = decodeStored(TotalRow);

const MS_PER_DAY = 86_400_000;

/**
 * Per account and cost currency: how many top-ups created on the UTC day of
 * `day` are COMPLETED, and the sum of their cost (for the reconciler to
 * compare with the ledger's captures and the provider's statement). Ordered
 * by account, then currency.
 */
export const dailyTotals = (
  dataSource: DataSource,
  day: Date,
): Effect.Effect<readonly DailyTotal[], PersistenceFailure> =>
  Effect.gen(function* () {
    if (Number.isNaN(day.getTime()))
      return yield* Effect.fail(
        new PersistenceFailure({ reason: 'daily totals: the day is not a valid date', retryable: false }),
      );
    const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    const rows = yield* sql(
      dataSource,
      `SELECT account_id, cost_currency, count(*)::text AS count, sum(cost_minor)::text AS total_minor
       FROM top_ups
       WHERE status_class = 'COMPLETED' AND created_at >= $1::timestamptz AND created_at < $2::timestamptz
       GROUP BY account_id, cost_currency
       ORDER BY account_id, cost_currency`,
      [new Date(start).toISOString(), new Date(start + MS_PER_DAY).toISOString()],
    );
    return yield* Either.all(
      rows.map((row) =>
        Either.flatMap(decodeTotalRow(row, 'daily total'), (total) =>
          Either.match(currencyOf(total.cost_currency), {
            onLeft: () =>
              Either.left(
                new PersistenceFailure({
                  reason: `daily total of ${total.account_id} in unknown currency ${total.cost_currency}`,
                  retryable: false,
                }),
              ),
            onRight: (currency) =>
              Either.right({
                accountId: total.account_id,
                count: total.count,
                total: money(total.total_minor, currency),
              }),
          }),
        ),
      ),
    );
  });
