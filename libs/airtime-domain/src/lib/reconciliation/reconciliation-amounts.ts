// The money of a reconciliation per currency: what each side captured and
// how much the mismatches put at stake.
import type { PreciseMoney } from '../money/precise-money';
import type { ProviderTransaction } from '../ports/airtime-provider.port';
import { preciseZero, totalIn, totalsPerCurrency } from './currency-totals';
import type { Mismatch, OurAttempt } from './reconciliation';
import { distinctTransactions } from './transaction-match';

export interface CurrencyAmounts {
  readonly currency: string;
  /** What our books say the provider captured (`capturedByUs`). */
  readonly ours: PreciseMoney;
  /** What the provider says it captured (`capturedByThem`). */
  readonly theirs: PreciseMoney;
  /** The amounts at stake in the mismatches (`amountAtStake`). */
  readonly mismatched: PreciseMoney;
}

/**
 * Per currency (sorted by code), the sum `charged` of our attempts the
 * provider completed (status class COMPLETED); an attempt listed twice
 * (same top-up and number) counts once.
 */
export const capturedByUs = (ours: readonly OurAttempt[]): readonly PreciseMoney[] => {
  const distinct = new Map<string, OurAttempt>();
  for (const attempt of ours) distinct.set(`${attempt.topUpId}\u0000${attempt.attemptNumber}`, attempt);
  return totalsPerCurrency(
    [...distinct.values()].filter((attempt) => attempt.status.class === 'COMPLETED').map((attempt) => attempt.charged),
  );
};

/**
 * Per currency (sorted by code), the sum `charged` of the provider's
 * COMPLETED transactions that give it; a transaction listed twice counts once.
 */
export const capturedByThem = (theirs: readonly ProviderTransaction[]): readonly PreciseMoney[] =>
  totalsPerCurrency(
    distinctTransactions(theirs).flatMap((transaction) =>
      transaction.status.class === 'COMPLETED' && transaction.charged !== undefined ? [transaction.charged] : [],
    ),
  );

/**
 * What a mismatch puts at stake: our `charged` when we have the attempt,
 * else the `charged` the provider gave for its transactions (possibly none),
 * each transaction once (one listed with conflicting snapshots included).
 */
export const amountAtStake = (mismatch: Mismatch): readonly PreciseMoney[] =>
  mismatch.ours !== undefined
    ? [mismatch.ours.charged]
    : distinctTransactions(mismatch.theirs).flatMap((transaction) =>
        transaction.charged === undefined ? [] : [transaction.charged],
      );

/**
 * Per currency that occurs on either side or in a mismatch (sorted by code):
 * captured by us, captured by them and at stake in the mismatches, zero
 * where a side has none.
 */
export const amountsPerCurrency = (
  ours: readonly OurAttempt[],
  theirs: readonly ProviderTransaction[],
  mismatches: readonly Mismatch[],
): readonly CurrencyAmounts[] => {
  const our = capturedByUs(ours);
  const their = capturedByThem(theirs);
  const stake = totalsPerCurrency(mismatches.flatMap(amountAtStake));
  const currencies = totalsPerCurrency([...our, ...their, ...stake].map((total) => preciseZero(total.currency)));
  return currencies.map(({ currency }) => ({
    currency: currency.code,
    ours: totalIn(our, currency),
    theirs: totalIn(their, currency),
    mismatched: totalIn(stake, currency),
  }));
};
