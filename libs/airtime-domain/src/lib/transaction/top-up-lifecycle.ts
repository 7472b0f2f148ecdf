import { Either } from 'effect';
import {
  type Attempt,
  type AttemptOutcome,
  type AttemptRef,
  findAttempt,
  isSettled,
  type ProviderStatusAnswer,
} from './attempt';
import { type AttemptReport, replaceAttempt, reportAttemptStatus } from './attempt-report';
import { providerExternalIdFor } from './external-id';
import { hasAttemptsLeft } from './retry.policy';
import { lastAttemptOf, type TopUp, type TopUpChange } from './top-up';
import {
  AttemptNotDue,
  AttemptNotFound,
  AttemptsExhausted,
  FailoverNotAllowed,
  InvalidTopUp,
  TopUpAlreadyFinal,
  UnresolvedAttempt,
} from './top-up.errors';
import { isFinalClass, statusOfClass, type TransactionStatus, transactionStatus } from './transaction-status';
import type { IllegalTransition } from './transaction.errors';
import { applyStatus, movementsOf } from './transaction.machine';

export interface StartedAttempt extends TopUpChange {
  readonly attempt: Attempt;
}

const unresolved = (topUp: TopUp): UnresolvedAttempt | undefined => {
  const last = lastAttemptOf(topUp);
  return last === undefined || isSettled(last)
    ? undefined
    : new UnresolvedAttempt({ topUpId: topUp.id, attemptNumber: last.number, state: last.state });
};

/** The attempt looked for, by kind of key: never the key itself, which may come from a provider's callback. */
const describeRef = (ref: AttemptRef | undefined): string =>
  ref === undefined
    ? '(none started)'
    : 'attemptNumber' in ref
      ? `#${ref.attemptNumber}`
      : 'providerExternalId' in ref
        ? 'with that provider external id'
        : 'with that provider transaction id';

const attemptOf = (topUp: TopUp, ref: AttemptRef | undefined): Either.Either<Attempt, AttemptNotFound> => {
  const attempt = findAttempt(topUp.attempts, ref);
  return attempt === undefined
    ? Either.left(new AttemptNotFound({ topUpId: topUp.id, ref: describeRef(ref) }))
    : Either.right(attempt);
};

/**
 * The provider external id of attempt `number`. After a definite failure a
 * fresh id (`-<number>`), since the provider has recorded the old one. After
 * "not found" on the same provider, the id the provider said it never had is
 * used again: should the original request still arrive late, the provider's
 * own duplicate check (DVS 1007001) refuses one of the two, so the top-up can
 * never be delivered twice.
 */
const providerExternalIdOfNextAttempt = (topUp: TopUp, number: number) => {
  const last = lastAttemptOf(topUp);
  return last?.failure?.reason === 'NOT_FOUND_AT_PROVIDER'
    ? last.providerExternalId
    : providerExternalIdFor(topUp.accountId, topUp.externalId, number);
};

/** After "not found" the resend stays with the provider that may still receive the original. */
const failoverRefused = (topUp: TopUp, providerId: string | undefined): FailoverNotAllowed | undefined => {
  const last = lastAttemptOf(topUp);
  return last?.failure?.reason === 'NOT_FOUND_AT_PROVIDER' && last.providerId !== providerId
    ? new FailoverNotAllowed({ topUpId: topUp.id, fromProviderId: last.providerId, toProviderId: providerId })
    : undefined;
};

/**
 * Starts the next provider attempt, with its provider external id. Refused
 * when the top-up is final, when it would fail over after "not found", while the last attempt is not settled (an
 * unknown outcome is never resent blindly), before a scheduled retry is
 * due, and when the schedule is exhausted.
 */
export const startAttempt = (
  topUp: TopUp,
  now: Date,
  providerId?: string,
): Either.Either<
  StartedAttempt,
  TopUpAlreadyFinal | UnresolvedAttempt | AttemptsExhausted | AttemptNotDue | FailoverNotAllowed
> => {
  if (isFinalClass(topUp.status.class))
    return Either.left(new TopUpAlreadyFinal({ topUpId: topUp.id, status: topUp.status }));
  const pending = unresolved(topUp);
  if (pending) return Either.left(pending);
  if (!hasAttemptsLeft(topUp.attempts.length)) {
    return Either.left(new AttemptsExhausted({ topUpId: topUp.id, attemptsMade: topUp.attempts.length }));
  }
  if (topUp.nextAttemptAt !== undefined && now.getTime() < topUp.nextAttemptAt.getTime()) {
    return Either.left(new AttemptNotDue({ topUpId: topUp.id, nextAttemptAt: topUp.nextAttemptAt, now }));
  }
  const failover = failoverRefused(topUp, providerId);
  if (failover) return Either.left(failover);
  const number = topUp.attempts.length + 1;
  const attempt: Attempt = {
    number,
    providerExternalId: providerExternalIdOfNextAttempt(topUp, number),
    providerId,
    startedAt: now,
    state: 'InFlight',
    providerStatus: undefined,
    providerTransactionId: undefined,
    failure: undefined,
    unknownReason: undefined,
    updatedAt: now,
  };
  return Either.right({
    topUp: { ...topUp, attempts: [...topUp.attempts, attempt], nextAttemptAt: undefined, updatedAt: now },
    movements: [],
    attempt,
  });
};

const markUnknown = (
  topUp: TopUp,
  attempt: Attempt,
  outcome: Extract<AttemptOutcome, { _tag: 'Unknown' }>,
  now: Date,
): TopUpChange => {
  // Anything heard from the provider (even a callback before the send returned) outranks "no answer".
  if (attempt.state !== 'InFlight') return { topUp, movements: [] };
  const updated: Attempt = { ...attempt, state: 'Unknown', unknownReason: outcome.reason, updatedAt: now };
  const attempts = replaceAttempt(topUp, updated);
  return {
    topUp: {
      ...topUp,
      attempts,
      awaitingStatusQuery: attempts[attempts.length - 1]?.state === 'Unknown',
      updatedAt: now,
    },
    movements: [],
  };
};

const reportOf = (outcome: Exclude<AttemptOutcome, { _tag: 'Unknown' }>): AttemptReport => {
  switch (outcome._tag) {
    case 'Succeeded':
      return { status: statusOfClass('COMPLETED'), providerTransactionId: outcome.providerTransactionId };
    case 'Accepted':
      return { status: transactionStatus(outcome.status), providerTransactionId: outcome.providerTransactionId };
    case 'Failed':
      return {
        status: transactionStatus(outcome.status),
        ...(outcome.providerTransactionId === undefined
          ? {}
          : { providerTransactionId: outcome.providerTransactionId }),
        failure: {
          reason: outcome.reason,
          retryable: outcome.retryable,
          ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
        },
        ...(outcome.notBefore === undefined ? {} : { notBefore: outcome.notBefore }),
      };
  }
};

/**
 * Records what a send came back with (for the last attempt unless `ref`
 * names another). Succeeded: COMPLETED (CAPTURE). Accepted: the pending
 * status. Failed: a retry per the schedule while retryable and attempts are
 * left (no movement: the hold stays), otherwise the top-up fails (VOID).
 * Unknown: the attempt waits for a status query; nothing moves. An outcome
 * behind what the provider already reported (a callback first) is a no-op,
 * and so is a "not sent" failure once the provider has reported a status for
 * the attempt; such a failure recorded first yields to the provider's status
 * when it comes (`isNotSentReading`), which cancels the scheduled retry. A
 * not-before time is kept even then: the next attempt waits for the latest.
 */
export const recordAttemptOutcome = (
  topUp: TopUp,
  outcome: AttemptOutcome,
  now: Date,
  ref?: AttemptRef,
): Either.Either<TopUpChange, AttemptNotFound | IllegalTransition> =>
  Either.flatMap(attemptOf(topUp, ref), (attempt): Either.Either<TopUpChange, IllegalTransition> => {
    if (outcome._tag === 'Unknown') return Either.right(markUnknown(topUp, attempt, outcome, now));
    // A "not sent" failure never replaces a status the provider reported for the attempt (see `isNotSentReading`).
    return reportAttemptStatus(topUp, attempt, reportOf(outcome), now);
  });

/** How long a "not found" on the last attempt waits for a second one before the hold is voided. */
export const NOT_FOUND_CONFIRMATION_MINUTES = 10;

/**
 * With no attempt left, "not found" ends the top-up and voids its hold, and a
 * request still on its way would then be delivered unpaid. So the first
 * "not found" only marks the attempt; a second one at least
 * NOT_FOUND_CONFIRMATION_MINUTES later confirms it. Returns the change to
 * make, or undefined once confirmed.
 */
const awaitNotFoundConfirmation = (topUp: TopUp, attempt: Attempt, now: Date): TopUpChange | undefined => {
  if (attempt.unknownReason === 'NOT_FOUND_AWAITING_CONFIRMATION') {
    const waitedMs = now.getTime() - attempt.updatedAt.getTime();
    return waitedMs >= NOT_FOUND_CONFIRMATION_MINUTES * 60_000 ? undefined : { topUp, movements: [] };
  }
  const marked: Attempt = {
    ...attempt,
    state: 'Unknown',
    unknownReason: 'NOT_FOUND_AWAITING_CONFIRMATION',
    updatedAt: now,
  };
  return {
    topUp: { ...topUp, attempts: replaceAttempt(topUp, marked), awaitingStatusQuery: true, updatedAt: now },
    movements: [],
  };
};

/**
 * Settles an attempt (the last unless `ref` names another) with the
 * provider's answer to "status by external id". Found: the status is applied
 * as any provider event. NotFound: the provider never received it, so the
 * attempt is a definite, retryable failure (next attempt per the schedule,
 * counted from now); on the last attempt, only once a second NotFound has
 * confirmed it (see NOT_FOUND_CONFIRMATION_MINUTES). Once a status has been
 * heard for the attempt, NotFound is stale and ignored.
 */
export const resolveUnknownAttempt = (
  topUp: TopUp,
  answer: ProviderStatusAnswer,
  now: Date,
  ref?: AttemptRef,
): Either.Either<TopUpChange, AttemptNotFound | IllegalTransition> =>
  Either.flatMap(attemptOf(topUp, ref), (attempt): Either.Either<TopUpChange, IllegalTransition> => {
    if (answer._tag === 'Found') {
      return reportAttemptStatus(
        topUp,
        attempt,
        answer.providerTransactionId === undefined
          ? { status: answer.status }
          : { status: answer.status, providerTransactionId: answer.providerTransactionId },
        now,
      );
    }
    if (attempt.providerStatus !== undefined || (attempt.state !== 'Unknown' && attempt.state !== 'InFlight')) {
      return Either.right({ topUp, movements: [] });
    }
    if (!hasAttemptsLeft(topUp.attempts.length) && attempt.number === topUp.attempts.length) {
      const awaiting = awaitNotFoundConfirmation(topUp, attempt, now);
      if (awaiting) return Either.right(awaiting);
    }
    return reportAttemptStatus(
      topUp,
      attempt,
      {
        status: statusOfClass('DECLINED'),
        failure: { reason: 'NOT_FOUND_AT_PROVIDER', retryable: true, detail: 'the provider never received it' },
        retryFrom: 'now',
      },
      now,
    );
  });

/**
 * Applies a provider callback or poll result about an attempt (the last
 * unless `ref` names it; prefer the provider external id, which a callback
 * carries even before the send has returned). Duplicates and stale events
 * change nothing and imply no movement; a contradicting one is an
 * `IllegalTransition`.
 */
export const applyProviderEvent = (
  topUp: TopUp,
  status: TransactionStatus,
  now: Date,
  ref?: AttemptRef,
): Either.Either<TopUpChange, AttemptNotFound | IllegalTransition> =>
  Either.flatMap(attemptOf(topUp, ref), (attempt) => reportAttemptStatus(topUp, attempt, { status }, now));

/** Cancels a top-up still in CREATED with no unsettled attempt (VOID). Cancelling twice is a no-op. */
export const cancelTopUp = (
  topUp: TopUp,
  now: Date,
): Either.Either<TopUpChange, UnresolvedAttempt | IllegalTransition> => {
  const pending = unresolved(topUp);
  if (pending) return Either.left(pending);
  return Either.map(applyStatus(topUp.status, statusOfClass('CANCELLED')), (change) =>
    change._tag === 'Advanced'
      ? {
          topUp: {
            ...topUp,
            status: change.status,
            nextAttemptAt: undefined,
            failureReason: { reason: 'CANCELLED', attemptsExhausted: false },
            updatedAt: now,
          },
          movements: movementsOf(change),
        }
      : { topUp, movements: [] },
  );
};

/**
 * A new top-up (CREATED, no attempt) whose hold the ledger refused for funds:
 * REJECTED-INSUFFICIENT-BALANCE with the reason INSUFFICIENT_FUNDS, never
 * retried. Nothing was held, so no movement follows (no VOID). Refusing a
 * top-up already refused for funds is a no-op; any other top-up has been
 * held already (or never will be) and is an `InvalidTopUp`.
 */
export const rejectForRefusedHold = (topUp: TopUp, now: Date): Either.Either<TopUpChange, InvalidTopUp> => {
  if (topUp.failureReason?.reason === 'INSUFFICIENT_FUNDS') return Either.right({ topUp, movements: [] });
  if (topUp.status.class !== 'CREATED' || topUp.attempts.length > 0) {
    return Either.left(
      new InvalidTopUp({ topUpId: topUp.id, reason: 'only a new top-up, before any attempt, has its hold refused' }),
    );
  }
  return Either.right({
    topUp: {
      ...topUp,
      status: transactionStatus('REJECTED-INSUFFICIENT-BALANCE'),
      nextAttemptAt: undefined,
      awaitingStatusQuery: false,
      failureReason: {
        reason: 'INSUFFICIENT_FUNDS',
        attemptsExhausted: false,
        detail: `the ${topUp.quote.cost.currency.code} account cannot hold the cost`,
      },
      updatedAt: now,
    },
    movements: [],
  });
};
