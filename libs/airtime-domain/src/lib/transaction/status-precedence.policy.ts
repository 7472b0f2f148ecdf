// Which of two statuses of one class an attempt keeps, so that the same
// events give the same attempt in any order. Across classes the DVS machine
// decides (a class reached later wins; an earlier one is stale). Within one
// class, precedence decides, never arrival order.
import type { AttemptFailure } from './attempt';
import { retryLaterDelayMinutesOf } from './retry.policy';
import { DETAILED_STATUSES, isFailureClass, type TransactionStatus } from './transaction-status';

/** A status as an attempt holds it: failure statuses with the failure they stand for. */
export interface AttemptReading {
  readonly status: TransactionStatus;
  readonly failure: AttemptFailure | undefined;
}

const REASON_ORDER = [
  'DECLINED_BY_OPERATOR',
  'REJECTED_BY_PROVIDER',
  'CANCELLED_AT_PROVIDER',
  'INVALID_REQUEST',
  'OPERATOR_UNAVAILABLE',
  'NOT_FOUND_AT_PROVIDER',
  'RETRY_LATER',
  'PROVIDER_UNAVAILABLE',
  'RATE_LIMITED',
  'TIMEOUT_BEFORE_SEND',
];

/** Lower ranks first, position by position. */
const rankOf = ({ status, failure }: AttemptReading): readonly (number | string)[] => [
  // 1. a failure that ends the top-up (not retryable) over one that would retry
  failure?.retryable ? 1 : 0,
  // 2. of two that retry, the one that waits longer (a credit-party limit over operator unavailable)
  failure?.retryable ? -(retryLaterDelayMinutesOf(status) ?? 0) : 0,
  // 3. a specific detail (DECLINED-BARRED-CREDIT-PARTY) over the bare class (DECLINED)
  status.status === status.class ? 1 : 0,
  // 4. two specific details of one class contradict each other: the one listed first in the DVS table
  DETAILED_STATUSES.indexOf(status.status),
  // 5. the same status read as different failures (a send's outcome and a callback): by a fixed order
  failure === undefined ? -1 : REASON_ORDER.indexOf(failure.reason),
  failure?.detail ?? '',
];

const compareRanks = (a: readonly (number | string)[], b: readonly (number | string)[]): number => {
  for (const [index, left] of a.entries()) {
    const right = b[index] ?? left;
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
};

/**
 * Whether `incoming`, of the same class as `current`, replaces it. A
 * failure that ends the top-up wins over one that retries (so a
 * DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE never reopens a top-up that a
 * DECLINED has ended); of two that retry, the one that waits longer; then a
 * specific detail over the bare class; then the first in the DVS table;
 * then the failure reason and detail. The order is
 * total, so whichever arrives first, the same reading stays; an equal one is
 * a duplicate (false).
 */
export const supersedes = (current: AttemptReading, incoming: AttemptReading): boolean =>
  isFailureClass(incoming.status.class) && compareRanks(rankOf(incoming), rankOf(current)) < 0;
