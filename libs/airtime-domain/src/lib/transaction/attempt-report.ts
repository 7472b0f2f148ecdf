import { Either } from 'effect';
import {
  type Attempt,
  type AttemptFailure,
  type AttemptFailureReason,
  type AttemptState,
  failureOfStatus,
} from './attempt';
import { hasAttemptsLeft, nextAttemptAt, retryLaterDelayMinutesOf } from './retry.policy';
import { type AttemptReading, supersedes } from './status-precedence.policy';
import type { TopUp, TopUpChange, TopUpFailure } from './top-up';
import {
  isFailureClass,
  isFinalClass,
  isPendingClass,
  statusOfClass,
  TRANSACTION_STATUS_CATALOGUE,
  type TransactionStatus,
  transactionStatus,
} from './transaction-status';
import type { IllegalTransition } from './transaction.errors';
import { applyStatus, isReachable, type LedgerMovementKind, movementsOf } from './transaction.machine';

/** What became known about one attempt: a status the provider reported for it. */
export interface AttemptReport {
  readonly status: TransactionStatus;
  readonly providerTransactionId?: string | undefined;
  /** The failure as the sender classified it; otherwise derived from a failure status. */
  readonly failure?: AttemptFailure | undefined;
  /**
   * Where the retry delay counts from: the attempt's start (the schedule's
   * "after the previous request"), or now when the failure is only now
   * established (an unknown outcome the provider turned out not to have).
   */
  readonly retryFrom?: 'attempt' | 'now' | undefined;
  /** No retry before this time (a "not now" refusal that named one). */
  readonly notBefore?: Date | undefined;
}

const noChange = (topUp: TopUp): TopUpChange => ({ topUp, movements: [] });

/**
 * Failures that mean the request never reached the provider, as established
 * on our side. "Not found" by a status query too: it proves only that the
 * request had not arrived when asked, and a sender still alive (recovery
 * took its attempt for a crash) may deliver it after the query; the
 * provider's answer to that late original is its word about the attempt
 * and replaces the "not found", cancelling the resend it scheduled.
 */
const NOT_SENT_REASONS: readonly AttemptFailureReason[] = [
  'PROVIDER_UNAVAILABLE',
  'RATE_LIMITED',
  'TIMEOUT_BEFORE_SEND',
  'RETRY_LATER',
  'NOT_FOUND_AT_PROVIDER',
];

/**
 * A reading that nothing was sent, from the send's own outcome (a 5xx or 429
 * before sending, a timeout connecting, a "not now" refusal) rather than a
 * status the provider reported: DVS's own "not now" statuses
 * (`RETRY_LATER_DELAY_MINUTES`) are the provider's word and follow the
 * precedence table. A status the provider reports for the attempt replaces
 * such a reading, and such a reading never replaces one.
 */
export const isNotSentReading = ({ status, failure }: AttemptReading): boolean =>
  failure !== undefined &&
  NOT_SENT_REASONS.includes(failure.reason) &&
  !(failure.reason === 'RETRY_LATER' && retryLaterDelayMinutesOf(status) !== undefined);

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
 * The attempt after `report`, or undefined when the report changes nothing
 * about its status (a duplicate, a stale status, or a reading of the same
 * class that does not take precedence: see `supersedes`). An earlier
 * attempt keeps the reading a later attempt was started on (`refine`
 * false): e.g. the "not found" that let a resend reuse its external id.
 */
const mergeIntoAttempt = (
  attempt: Attempt,
  report: AttemptReport,
  now: Date,
  refine: boolean,
): Either.Either<Attempt | undefined, IllegalTransition> => {
  const failure = isFailureClass(report.status.class) ? (report.failure ?? failureOfStatus(report.status)) : undefined;
  const previous = attempt.providerStatus;
  const heldNotSent = previous !== undefined && isNotSentReading({ status: previous, failure: attempt.failure });
  const incomingNotSent = isNotSentReading({ status: report.status, failure });
  // the provider's word about the attempt outranks our reading that nothing was sent, whichever came first
  if (previous !== undefined && !heldNotSent && incomingNotSent) return Either.right(undefined);
  if (previous !== undefined && !(heldNotSent && !incomingNotSent && refine)) {
    const change = applyStatus(previous, report.status);
    if (Either.isLeft(change)) return Either.left(change.left);
    const replaces =
      change.right._tag === 'Advanced' ||
      (change.right._tag === 'AlreadyReflected' &&
        refine &&
        supersedes({ status: previous, failure: attempt.failure }, { status: report.status, failure }));
    if (!replaces) return Either.right(undefined);
  }
  return Either.right({
    ...attempt,
    state: stateOf(report.status),
    providerStatus: report.status,
    providerTransactionId: attempt.providerTransactionId ?? report.providerTransactionId,
    failure,
    updatedAt: now,
  });
};

/** What the top-up is, given its latest attempt (see `reportAttemptStatus`). */
interface TopUpTarget {
  readonly status: TransactionStatus;
  readonly nextAttemptAt: Date | undefined;
  readonly failureReason: TopUpFailure | undefined;
}

/**
 * The latest of the `scheduled` times (the schedule's, one already set) and,
 * for a "not now" refusal, its delay counted from the attempt's start
 * (`retryLaterDelayMinutesOf`) or the time the refusal named.
 */
const retryAt = (
  scheduled: readonly (Date | undefined)[],
  attempt: Attempt,
  report: AttemptReport,
): Date | undefined => {
  const delayMinutes = attempt.providerStatus && retryLaterDelayMinutesOf(attempt.providerStatus);
  const earliest = [
    ...scheduled,
    delayMinutes === undefined ? undefined : new Date(attempt.startedAt.getTime() + delayMinutes * 60_000),
    report.notBefore,
  ].filter((date): date is Date => date !== undefined);
  return earliest.length === 0 ? undefined : new Date(Math.max(...earliest.map((date) => date.getTime())));
};

const targetOf = (topUp: TopUp, attempt: Attempt, report: AttemptReport, now: Date): TopUpTarget => {
  const status = attempt.providerStatus ?? statusOfClass('CREATED');
  const failure = attempt.failure;
  if (failure === undefined) {
    // while the provider holds the attempt, the earliest next attempt already known stays (see `withRetryConstraint`)
    return {
      status,
      nextAttemptAt: isFinalClass(status.class) ? undefined : topUp.nextAttemptAt,
      failureReason: undefined,
    };
  }
  if (failure.retryable && hasAttemptsLeft(topUp.attempts.length)) {
    const from = report.retryFrom === 'now' ? now : attempt.startedAt;
    return {
      status: statusOfClass('CREATED'),
      // a reading that takes precedence never brings a scheduled retry forward (see `supersedes`)
      nextAttemptAt: retryAt([topUp.nextAttemptAt, nextAttemptAt(from, topUp.attempts.length)], attempt, report),
      failureReason: undefined,
    };
  }
  return {
    status: topUpFailureStatus(isFinalClass(topUp.status.class) ? statusOfClass('CREATED') : topUp.status, status),
    nextAttemptAt: undefined,
    failureReason: {
      reason: failure.reason,
      attemptsExhausted: failure.retryable,
      ...(failure.detail === undefined ? {} : { detail: failure.detail }),
    },
  };
};

/**
 * Moves the top-up to `target`. A top-up that is not final follows its
 * latest attempt, back to CREATED too when that attempt failed and a retry
 * is scheduled (the hold stays: no movement). A final top-up stays final: it
 * only moves on along the machine (COMPLETED -> REVERSED) or takes a reading
 * of its own class that took precedence on the attempt (a more specific
 * detail, with its failure); a top-up its caller cancelled stays CANCELLED.
 */
const moveTopUp = (
  topUp: TopUp,
  attempts: readonly Attempt[],
  target: TopUpTarget,
  now: Date,
): Either.Either<TopUpChange, IllegalTransition> => {
  const recorded = withAttempts(topUp, attempts, now);
  const moved = (status: TransactionStatus, movements: readonly LedgerMovementKind[]): TopUpChange => ({
    topUp: { ...recorded, status, nextAttemptAt: target.nextAttemptAt, failureReason: target.failureReason },
    movements,
  });
  const current = topUp.status;
  if (isFinalClass(current.class)) {
    if (topUp.failureReason?.reason === 'CANCELLED') return Either.right(noChange(recorded));
    if (target.status.class === current.class) return Either.right(moved(target.status, []));
    if (!isReachable(current.class, target.status.class)) return Either.right(noChange(recorded));
  }
  if (!isFinalClass(target.status.class) && !isReachable(current.class, target.status.class)) {
    // back to waiting for the next attempt, or a pending status of a new attempt: the hold stays as it is
    return Either.right(moved(target.status, []));
  }
  return Either.map(applyStatus(current, target.status), (change) =>
    moved(change._tag === 'Advanced' ? change.status : target.status, movementsOf(change)),
  );
};

const isLatestOf = (topUp: TopUp, attempt: Attempt): boolean =>
  topUp.attempts[topUp.attempts.length - 1]?.number === attempt.number;

/**
 * A report that changes nothing about the attempt may still name a later
 * earliest next attempt: a "not now" refusal's `notBefore` or its DVS delay,
 * and the schedule a "not sent" failure would have set. While the top-up is
 * not final, its latest attempt's next one waits for the latest of all of
 * them, whatever the order they came in (also while the provider holds the
 * attempt, so that a later retryable failure still waits for them).
 */
const withRetryConstraint = (topUp: TopUp, attempt: Attempt, report: AttemptReport, now: Date): TopUp => {
  if (isFinalClass(topUp.status.class) || !isLatestOf(topUp, attempt) || !isFailureClass(report.status.class))
    return topUp;
  const failure = report.failure ?? failureOfStatus(report.status);
  const delayMinutes = retryLaterDelayMinutesOf(report.status);
  const constraints = [
    topUp.nextAttemptAt,
    report.notBefore,
    delayMinutes === undefined ? undefined : new Date(attempt.startedAt.getTime() + delayMinutes * 60_000),
    isNotSentReading({ status: report.status, failure }) && failure.retryable
      ? nextAttemptAt(attempt.startedAt, topUp.attempts.length)
      : undefined,
  ].filter((date): date is Date => date !== undefined);
  if (constraints.length === 0) return topUp;
  const latest = new Date(Math.max(...constraints.map((date) => date.getTime())));
  return latest.getTime() === topUp.nextAttemptAt?.getTime()
    ? topUp
    : { ...topUp, nextAttemptAt: latest, updatedAt: now };
};

/**
 * Applies a provider status to one attempt, then what it means to the
 * top-up. The same reports give the same top-up in any order:
 * - on the attempt, a class reached later wins (an earlier one is stale);
 *   within a class, `supersedes` decides; duplicates change nothing;
 * - the top-up follows its latest attempt: CREATED while nothing is heard
 *   and while a retry is scheduled after a retryable failure; the
 *   attempt's pending status; COMPLETED (CAPTURE) or REVERSED; or, on a
 *   failure that is not retryable or has no attempt left, the failure
 *   status (VOID). A final top-up stays final (see `moveTopUp`);
 * - a report about an earlier attempt is recorded on it (a class reached
 *   later only) and moves nothing.
 */
export const reportAttemptStatus = (
  topUp: TopUp,
  attempt: Attempt,
  report: AttemptReport,
  now: Date,
): Either.Either<TopUpChange, IllegalTransition> =>
  Either.flatMap(mergeIntoAttempt(attempt, report, now, isLatestOf(topUp, attempt)), (updated) => {
    if (updated === undefined) {
      return Either.right(
        fillInProviderTransactionId(withRetryConstraint(topUp, attempt, report, now), attempt, report, now),
      );
    }
    const attempts = replaceAttempt(topUp, updated);
    if (!isLatestOf(topUp, attempt)) return Either.right(noChange(withAttempts(topUp, attempts, now)));
    return moveTopUp(topUp, attempts, targetOf(topUp, updated, report, now), now);
  });
