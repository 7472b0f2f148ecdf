// Which of several simulated transactions under one external id the
// in-process adapter's status query answers: the same rule as the DT One
// adapter's (a duplicate means two deliveries may have happened; never
// refund a delivered top-up, never close one that may still deliver).
import { isFailureClass, isPendingClass, type ProviderTransaction } from '@airtime/domain';
import { Effect } from 'effect';

/** The message of the warning logged when the provider holds several transactions under one external id. */
export const DUPLICATE_AT_PROVIDER_WARNING = 'duplicate transactions at the provider for one external id';

/** 0 COMPLETED, 1 pending (may still deliver), 2 REVERSED, 3 a failure: the lowest is answered. */
const rankOf = (transaction: ProviderTransaction): number => {
  const statusClass = transaction.status.class;
  if (statusClass === 'COMPLETED') return 0;
  if (isPendingClass(statusClass)) return 1;
  if (statusClass === 'REVERSED') return 2;
  return isFailureClass(statusClass) ? 3 : 1;
};

/**
 * The one of `transactions` (one external id) a status query answers: by
 * rank (COMPLETED, pending, REVERSED, failure), then the highest numeric
 * transaction id; undefined for none. Several: logs
 * `DUPLICATE_AT_PROVIDER_WARNING` with the count and the ids (no phone number).
 */
export const answerAmongDuplicates = (
  provider: string,
  providerExternalId: string,
  transactions: readonly ProviderTransaction[],
): Effect.Effect<ProviderTransaction | undefined> => {
  const answered = [...transactions].sort(
    (a, b) => rankOf(a) - rankOf(b) || Number(b.providerTransactionId) - Number(a.providerTransactionId),
  )[0];
  if (transactions.length < 2) return Effect.succeed(answered);
  return Effect.logWarning(DUPLICATE_AT_PROVIDER_WARNING).pipe(
    Effect.annotateLogs({
      provider,
      providerExternalId,
      count: transactions.length,
      transactionIds: transactions
        .map((transaction) => Number(transaction.providerTransactionId))
        .sort((a, b) => a - b)
        .join(','),
      answeredTransactionId: answered?.providerTransactionId,
    }),
    Effect.as(answered),
  );
};
