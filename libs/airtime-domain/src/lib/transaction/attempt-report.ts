import { Either } from 'effect';
import { type Attempt, type AttemptFailure, type AttemptState, failureOfStatus } from './attempt';
import { hasAttemptsLeft, nextAttemptAt } from './retry.policy';
import type { TopUp, TopUpChange } from './top-up';
import {
  isFailureClass,
  isPendingClass,
  statusOfClass,
  TRANSACTION_STATUS_CATALOGUE,
  type TransactionStatus,
  transactionStatus,
} from './transaction-status';
import type { IllegalTransition } from './transaction.errors';
import { applyStatus, isReachable, movementsOf } from './transaction.machine';

/** What became known about one attempt: a status the provider reported for it. */
export interface AttemptReport {
  readonly status: TransactionStatus;
  readonly providerTransactionId?: string;
  /** The failure as the sender classified it; otherwise derived from a failure status. */
  readonly failure?: AttemptFailure;
  /**
   * Where the retry delay counts from: the attempt's start (the schedule's
   * "after the previous request"), or now when the failure is only now
   * established (an unknown outcome the provider turned out not to have).
   */
  readonly retryFrom?: 'attempt' | 'now';
}

const noChange = (topUp: TopUp): TopUpChange => ({ topUp, movements: [] });

const stateOf = (status: TransactionStatus): AttemptState =>
  isPendingClass(status.class) ? 'Pending' : isFailureClass(status.class) ? 'Failed' : 'Succeeded';

/**
 * The failure status a top-up ends in: the attempt's own when the top-up can
 * reach it, otherwise DECLINED (with the same detail when DVS has one), which
 * every non-final class reaches.
 */
export const topUpFailureStatus = (current: TransactionStatus, failing: TransactionStatus): TransactionStatus => {
  if (isReachable(current.class, failing.class)) return failing;
  const declined = failing.status.replace(/^(REJECTED|CANCELLED)/, 'DECLINED');
  return Object.prototype.hasOwnProperty.call(TRANSACTION_STATUS_CATALOGUE, declined)
    ? transactionStatus(declined as keyof typeof TRANSACTION_STATUS_CATALOGUE)
    : statusOfClass('DECLINED');
};

export const replaceAttempt = (topUp: TopUp, attempt: Attempt): readonly Attempt[] =>
  topUp.attempts.map((existing) => (existing.number === attempt.number ? attempt : existing));

const withAttempts = (topUp: TopUp, attempts: readonly Attempt[], now: Date): TopUp => ({
  ...topUp,
  attempts,
  awaitingStatusQuery: attempts[attempts.length - 1]?.state === 'Unknown',
  updatedAt: now,
});

/** Only the provider's transaction id became known. */
const fillInProviderTransactionId = (topUp: TopUp, attempt: Attempt, report: AttemptReport, now: Date): TopUpChange => {
  if (report.providerTransactionId === undefined || attempt.providerTransactionId !== undefined) return noChange(topUp);
  const updated: Attempt = { ...attempt, providerTransactionId: report.providerTransactionId, updatedAt: now };
  return noChange(withAttempts(topUp, replaceAttempt(topUp, updated), now));
};

/**
 * Applies a provider status to one attempt, then what it means to the
 * top-up: a pending or successful status moves the top-up through the
 * machine; a failure schedules a retry when it is retryable and attempts are
 * left, and otherwise ends the top-up (voiding the hold). Duplicates and
 * stale statuses change nothing.
 */
export const reportAttemptStatus = (
  topUp: TopUp,
  attempt: Attempt,
  report: AttemptReport,
  now: Date,
): Either.Either<TopUpChange, IllegalTransition> => {
  const previous = attempt.providerStatus;
  if (previous !== undefined) {
    const change = applyStatus(previous, report.status);
    if (Either.isLeft(change)) return Either.left(change.left);
    if (change.right._tag !== 'Advanced') return Either.right(fillInProviderTransactionId(topUp, attempt, report, now));
  }
  const failed = isFailureClass(report.status.class);
  const failure = failed ? (report.failure ?? failureOfStatus(report.status)) : undefined;
  const updatedAttempt: Attempt = {
    ...attempt,
    state: stateOf(report.status),
    providerStatus: report.status,
    providerTransactionId: report.providerTransactionId ?? attempt.providerTransactionId,
    failure,
    updatedAt: now,
  };
  const attempts = replaceAttempt(topUp, updatedAttempt);
  const isLatest = topUp.attempts[topUp.attempts.length - 1]?.number === attempt.number;

  if (failure === undefined || !isLatest) {
    if (failed) return Either.right(noChange(withAttempts(topUp, attempts, now)));
    return Either.map(applyStatus(topUp.status, report.status), (change) => ({
      topUp: {
        ...withAttempts(topUp, attempts, now),
        status: change._tag === 'Advanced' ? change.status : topUp.status,
      },
      movements: movementsOf(change),
    }));
  }

  const attemptsMade = topUp.attempts.length;
  if (failure.retryable && hasAttemptsLeft(attemptsMade)) {
    const from = report.retryFrom === 'now' ? now : attempt.startedAt;
    return Either.right(
      noChange({ ...withAttempts(topUp, attempts, now), nextAttemptAt: nextAttemptAt(from, attemptsMade) }),
    );
  }

  return Either.map(applyStatus(topUp.status, topUpFailureStatus(topUp.status, report.status)), (change) => ({
    topUp: {
      ...withAttempts(topUp, attempts, now),
      status: change._tag === 'Advanced' ? change.status : topUp.status,
      nextAttemptAt: undefined,
      failureReason: {
        reason: failure.reason,
        attemptsExhausted: failure.retryable,
        ...(failure.detail === undefined ? {} : { detail: failure.detail }),
      },
    },
    movements: movementsOf(change),
  }));
};
