// Which of several DVS transactions under one external id a status query
// answers. A duplicate at DVS means two deliveries may have happened; the
// answer must never let us refund a customer for airtime that was delivered,
// nor close a top-up another transaction may still deliver. The reconciler
// reports every duplicate (DUPLICATE_AT_PROVIDER) from the listing.
import { isFailureClass, isPendingClass } from '@airtime/domain';
import { Either } from 'effect';
import { statusOfDvs } from '../mappers/dvs-transaction.mapper';
import type { DvsTransaction } from '../schemas/dvs-transaction.schema';

/**
 * The rank of a transaction among duplicates, lowest answered first:
 * 0 a status that cannot be read (the answer then fails loudly rather than
 * settle on another one), 1 COMPLETED (delivered: the customer is charged,
 * never refunded for it), 2 pending (CREATED, CONFIRMED, SUBMITTED: may still
 * deliver, so the top-up stays open), 3 REVERSED (delivered then taken back),
 * 4 a failure (DECLINED, REJECTED, CANCELLED: delivered nothing).
 */
export const duplicateRankOf = (transaction: DvsTransaction): number =>
  Either.match(statusOfDvs(transaction.status), {
    onLeft: () => 0,
    onRight: (status) =>
      status.class === 'COMPLETED'
        ? 1
        : isPendingClass(status.class)
          ? 2
          : status.class === 'REVERSED'
            ? 3
            : isFailureClass(status.class)
              ? 4
              : 0,
  });

/**
 * The one of `transactions` (all under one external id, at least one) a
 * status query answers: the lowest `duplicateRankOf`, then the highest DVS
 * id (the latest). Deterministic whatever the order DVS lists them in. E.g.
 * COMPLETED id 7 and DECLINED id 9: id 7 (the DECLINED one would refund a
 * delivered top-up); SUBMITTED id 7 and DECLINED id 9: id 7 (still open).
 */
export const answeredAmongDuplicates = (transactions: readonly DvsTransaction[]): DvsTransaction | undefined =>
  [...transactions].sort((a, b) => duplicateRankOf(a) - duplicateRankOf(b) || b.id - a.id)[0];
