import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import {
  arbitraryAttemptOutcome,
  arbitraryDeliveredHistory,
  arbitraryEventSequence,
  arbitraryLegalHistory,
  arbitraryStatusOfClasses,
  ledgerLifecycleViolation,
  arbitraryProviderStatusAnswer,
  sampleNewTopUp,
  arbitraryTransactionStatus,
} from '../../testing/transaction.arbitraries';
import {
  attemptAccepted,
  type AttemptOutcome,
  attemptFailed,
  attemptSucceeded,
  attemptUnknown,
  failureOfStatus,
  providerFound,
  type ProviderStatusAnswer,
} from './attempt';
import { MAX_ATTEMPTS, retryDelayMinutes } from './retry.policy';
import { createTopUp, type TopUp, type TopUpChange } from './top-up';
import {
  applyProviderEvent,
  cancelTopUp,
  recordAttemptOutcome,
  rejectForRefusedHold,
  resolveUnknownAttempt,
  startAttempt,
} from './top-up-lifecycle';
import {
  type DetailedStatusOf,
  type FailureClass,
  isFailureClass,
  isFinalClass,
  isPendingClass,
  statusOfClass,
  type TransactionClass,
  type TransactionStatus,
} from './transaction-status';
import type { LedgerMovementKind } from './transaction.machine';

const t0 = new Date(Date.UTC(2025, 0, 1, 12, 0, 0));
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

const freshTopUp = (): TopUp => Either.getOrThrow(createTopUp(sampleNewTopUp({ now: t0 }))).topUp;
const startedTopUp = (): TopUp => Either.getOrThrow(startAttempt(freshTopUp(), t0)).topUp;

/** Applies provider events in order (one second apart), skipping refused ones. */
const deliver = (topUp: TopUp, events: readonly TransactionStatus[], startSecond = 1) => {
  let current = topUp;
  const movements: LedgerMovementKind[] = [];
  const classes: TransactionClass[] = [current.status.class];
  events.forEach((event, index) => {
    const change = applyProviderEvent(current, event, at(startSecond + index));
    if (Either.isRight(change)) {
      current = change.right.topUp;
      movements.push(...change.right.movements);
    }
    classes.push(current.status.class);
  });
  return { topUp: current, movements, classes };
};

const leavesFinalOnlyByReversal = (classes: readonly TransactionClass[]) =>
  classes.every((next, index) => {
    const previous = classes[index - 1];
    return (
      previous === undefined ||
      !isFinalClass(previous) ||
      previous === next ||
      (previous === 'COMPLETED' && next === 'REVERSED')
    );
  });

/** Where the ledger of a top-up stands, from the class it is in. */
const expectedLedgerStage = (transactionClass: TransactionClass): LedgerMovementKind =>
  transactionClass === 'COMPLETED'
    ? 'CAPTURE'
    : transactionClass === 'REVERSED'
      ? 'REVERSE'
      : isFailureClass(transactionClass)
        ? 'VOID'
        : 'AUTHORIZE';

describe('top-up under provider events', () => {
  test.prop([arbitraryEventSequence])('never leaves a final class except COMPLETED -> REVERSED', (events) => {
    expect(leavesFinalOnlyByReversal(deliver(startedTopUp(), events).classes)).toBe(true);
  });

  test.prop([arbitraryEventSequence])('implies a legal ledger lifecycle', (events) => {
    const { topUp, movements } = deliver(startedTopUp(), events);
    const all: LedgerMovementKind[] = ['AUTHORIZE', ...movements];
    expect(ledgerLifecycleViolation(all)).toBeUndefined();
    expect(all[all.length - 1]).toBe(expectedLedgerStage(topUp.status.class));
  });

  test.prop([arbitraryEventSequence])(
    'replaying the events gives the same top-up as delivering them once',
    (events) => {
      const once = deliver(startedTopUp(), events);
      const again = deliver(once.topUp, events, 1000);
      expect(again.topUp).toEqual(once.topUp);
      expect(again.movements).toEqual([]);
    },
  );

  test.prop([arbitraryDeliveredHistory()])(
    'a true history delivered shuffled with duplicates converges to its last status',
    ({ history, delivered }) => {
      const inOrder = deliver(startedTopUp(), history);
      const shuffled = deliver(startedTopUp(), delivered);
      const lastStatus = history[history.length - 1];
      expect(shuffled.topUp.attempts[0]?.providerStatus).toEqual(lastStatus);
      if (lastStatus && isFailureClass(lastStatus.class) && failureOfStatus(lastStatus).retryable) {
        // A retryable failure: the hold stays and the next attempt is scheduled (a minute on, or a "not now" delay).
        expect(isFinalClass(shuffled.topUp.status.class)).toBe(false);
        expect(shuffled.topUp.nextAttemptAt?.getTime()).toBeGreaterThanOrEqual(t0.getTime() + 60_000);
        expect(shuffled.topUp.nextAttemptAt).toEqual(inOrder.topUp.nextAttemptAt);
        expect(shuffled.movements).toEqual([]);
      } else {
        expect(shuffled.topUp.status).toEqual(lastStatus ?? freshTopUp().status);
        expect(shuffled.movements).toEqual(inOrder.movements);
      }
    },
  );
});

/**
 * How one status reaches the top-up: a callback or poll, the send's own
 * outcome or a status query; or the send timing out after sending
 * ('unknown': its status is not used).
 */
type Channel = 'event' | 'outcome' | 'query' | 'unknown' | 'notSent';
interface Delivery {
  readonly status: TransactionStatus;
  readonly via: Channel;
  /** For 'notSent': the send's failure that says nothing reached the provider (its status is not used). */
  readonly notSent?: AttemptOutcome;
}

/** Send outcomes that say nothing was sent: 5xx or 429 before sending, a timeout connecting, a "not now" refusal. */
const arbitraryNotSentOutcome: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  fc
    .constantFrom('RATE_LIMITED', 'PROVIDER_UNAVAILABLE', 'TIMEOUT_BEFORE_SEND' as const)
    .map((reason) => attemptFailed({ reason })),
  fc
    .integer({ min: 0, max: 180 })
    .map((minutes) => attemptFailed({ reason: 'RETRY_LATER', notBefore: new Date(t0.getTime() + minutes * 60_000) })),
);

const outcomeOf = (status: TransactionStatus): AttemptOutcome | undefined => {
  if (isPendingClass(status.class))
    return attemptAccepted('tx-1', status.status as DetailedStatusOf<'CREATED' | 'CONFIRMED' | 'SUBMITTED'>);
  if (status.class === 'COMPLETED') return attemptSucceeded('tx-1');
  if (isFailureClass(status.class)) {
    const { reason } = failureOfStatus(status);
    return attemptFailed({ reason, status: status.status as DetailedStatusOf<FailureClass> });
  }
  return undefined; // REVERSED only comes by callback or query
};

const applyDelivery = (topUp: TopUp, delivery: Delivery, now: Date) => {
  const { status, via } = delivery;
  if (via === 'unknown') return recordAttemptOutcome(topUp, attemptUnknown('TIMEOUT_AFTER_SEND'), now);
  if (via === 'notSent' && delivery.notSent) return recordAttemptOutcome(topUp, delivery.notSent, now);
  const outcome = via === 'outcome' ? outcomeOf(status) : undefined;
  if (outcome) return recordAttemptOutcome(topUp, outcome, now);
  if (via === 'query') return resolveUnknownAttempt(topUp, providerFound(status, 'tx-1'), now);
  return applyProviderEvent(topUp, status, now);
};

/**
 * The events one attempt may bring: statuses of one true history (some
 * skipped), other details of its failure classes (a provider contradicting
 * itself within a class), each by any channel, some more than once, perhaps
 * the send timing out, and send outcomes that say nothing was sent (which the
 * provider's own word about the attempt overrides, in either order).
 */
const arbitraryEventSet: fc.Arbitrary<readonly Delivery[]> = arbitraryLegalHistory('CREATED')
  .chain((history) =>
    fc.tuple(
      fc.subarray([...history]),
      fc.array(
        history.some((status) => isFailureClass(status.class))
          ? arbitraryStatusOfClasses(history.filter((status) => isFailureClass(status.class)).map((st) => st.class))
          : fc.constant(statusOfClass('CREATED')),
        { maxLength: 3 },
      ),
      fc.boolean(),
      fc.boolean(),
      fc.array(arbitraryNotSentOutcome, { maxLength: 3 }),
    ),
  )
  .chain(([kept, others, withCreated, timedOut, notSent]) => {
    const statuses = [...(withCreated ? [statusOfClass('CREATED')] : []), ...kept, ...others];
    const way = fc.tuple(fc.constantFrom<Channel>('event', 'outcome', 'query'), fc.integer({ min: 1, max: 3 }));
    return fc.array(way, { minLength: statuses.length, maxLength: statuses.length }).map((ways) => [
      ...(timedOut ? [{ status: statusOfClass('CREATED'), via: 'unknown' as const }] : []),
      ...notSent.map((outcome): Delivery => ({ status: statusOfClass('CREATED'), via: 'notSent', notSent: outcome })),
      ...statuses.flatMap((status, index) => {
        const [via, copies] = ways[index] ?? ['event', 1];
        return Array.from({ length: copies }, (): Delivery => ({ status, via }));
      }),
    ]);
  });

/** A top-up whose first attempt, or its last one (none left after it), has just been started. */
const topUpAtAttempt = (lastAttempt: boolean): TopUp => {
  let topUp = startedTopUp();
  while (lastAttempt && topUp.attempts.length < MAX_ATTEMPTS) {
    const failed = Either.getOrThrow(recordAttemptOutcome(topUp, attemptFailed({ reason: 'RATE_LIMITED' }), t0));
    topUp = Either.getOrThrow(startAttempt(failed.topUp, failed.topUp.nextAttemptAt ?? t0)).topUp;
  }
  return topUp;
};

/** Everything about the top-up that its events decide (not the times they came at). */
const settledView = (topUp: TopUp, movements: readonly LedgerMovementKind[]) => {
  const attempt = topUp.attempts[topUp.attempts.length - 1];
  return {
    status: topUp.status,
    failureReason: topUp.failureReason,
    nextAttemptAt: topUp.nextAttemptAt,
    awaitingStatusQuery: topUp.awaitingStatusQuery,
    attempt: attempt && {
      state: attempt.state,
      providerStatus: attempt.providerStatus,
      providerTransactionId: attempt.providerTransactionId,
      failure: attempt.failure,
    },
    movements,
  };
};

describe('top-up under events in any order', () => {
  test.prop([
    arbitraryEventSet.chain((events) =>
      fc.tuple(
        fc.shuffledSubarray([...events], { minLength: events.length }),
        fc.shuffledSubarray([...events], { minLength: events.length }),
      ),
    ),
    fc.boolean(),
  ])('any permutation of the same events converges: same status, detail, failure and movements', ([a, b], last) => {
    const start = topUpAtAttempt(last);
    // On the last attempt a "not sent" failure voids the hold, which a later delivery cannot capture: see below.
    const events = (deliveries: readonly Delivery[]) =>
      last ? deliveries.filter((d) => d.via !== 'notSent') : deliveries;
    const run = (events: readonly Delivery[]) => {
      let topUp = start;
      const movements: LedgerMovementKind[] = [];
      events.forEach((delivery, index) => {
        // the events of one true history never contradict each other
        const change = Either.getOrThrow(applyDelivery(topUp, delivery, at(10 + index)));
        topUp = change.topUp;
        movements.push(...change.movements);
      });
      return settledView(topUp, movements);
    };
    expect(run(events(b))).toEqual(run(events(a)));
  });
});

type Command =
  | { readonly kind: 'start'; readonly providerId: string }
  | { readonly kind: 'outcome'; readonly outcome: AttemptOutcome }
  | { readonly kind: 'event'; readonly status: TransactionStatus; readonly attemptNumber: number | undefined }
  | { readonly kind: 'resolve'; readonly answer: ProviderStatusAnswer }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'wait'; readonly minutes: number };

/** Retryable failures and unknown outcomes weigh more, so that runs reach later attempts. */
const outcomeArb: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  { arbitrary: arbitraryAttemptOutcome, weight: 2 },
  {
    arbitrary: fc.constantFrom<AttemptOutcome>(
      attemptFailed({ reason: 'OPERATOR_UNAVAILABLE', status: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE' }),
      attemptFailed({ reason: 'RATE_LIMITED' }),
      attemptUnknown('TIMEOUT_AFTER_SEND'),
    ),
    weight: 3,
  },
);

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.constantFrom('dtone', 'africastalking').map((providerId): Command => ({ kind: 'start', providerId })),
    weight: 30,
  },
  { arbitrary: outcomeArb.map((outcome): Command => ({ kind: 'outcome', outcome })), weight: 30 },
  {
    arbitrary: fc
      .tuple(arbitraryTransactionStatus, fc.option(fc.integer({ min: 1, max: MAX_ATTEMPTS }), { nil: undefined }))
      .map(([status, attemptNumber]): Command => ({ kind: 'event', status, attemptNumber })),
    weight: 6,
  },
  { arbitrary: arbitraryProviderStatusAnswer.map((answer): Command => ({ kind: 'resolve', answer })), weight: 15 },
  { arbitrary: fc.constant<Command>({ kind: 'cancel' }), weight: 1 },
  {
    arbitrary: fc.constantFrom(1, 2, 5, 30, 60, 120).map((minutes): Command => ({ kind: 'wait', minutes })),
    weight: 20,
  },
);

const run = (topUp: TopUp, command: Command, now: Date): Either.Either<TopUpChange, unknown> => {
  switch (command.kind) {
    case 'start':
      return startAttempt(topUp, now, command.providerId);
    case 'outcome':
      return recordAttemptOutcome(topUp, command.outcome, now);
    case 'event':
      return applyProviderEvent(
        topUp,
        command.status,
        now,
        command.attemptNumber === undefined ? undefined : { attemptNumber: command.attemptNumber },
      );
    case 'resolve':
      return resolveUnknownAttempt(topUp, command.answer, now);
    case 'cancel':
      return cancelTopUp(topUp, now);
    case 'wait':
      return Either.right({ topUp, movements: [] });
  }
};

describe('top-up under any sequence of commands', () => {
  test.prop([fc.array(commandArb, { minLength: 1, maxLength: 80, size: 'max' })])(
    'keeps its invariants',
    (commands) => {
      let topUp = freshTopUp();
      let nowMs = t0.getTime();
      const movements: LedgerMovementKind[] = ['AUTHORIZE'];
      const classes: TransactionClass[] = [topUp.status.class];
      for (const command of commands) {
        nowMs += command.kind === 'wait' ? command.minutes * 60_000 : 1000;
        const result = run(topUp, command, new Date(nowMs));
        if (Either.isLeft(result)) continue;
        topUp = result.right.topUp;
        movements.push(...result.right.movements);
        classes.push(topUp.status.class);

        expect(ledgerLifecycleViolation(movements)).toBeUndefined();
        expect(movements[movements.length - 1]).toBe(expectedLedgerStage(topUp.status.class));
        expect(leavesFinalOnlyByReversal(classes)).toBe(true);
        // At most one attempt is unsettled, and only the last: nothing is resent over an unknown outcome.
        topUp.attempts.slice(0, -1).forEach((attempt) => expect(['Succeeded', 'Failed']).toContain(attempt.state));
        expect(topUp.attempts.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
        expect(topUp.attempts.map((attempt) => attempt.number)).toEqual(topUp.attempts.map((_, index) => index + 1));
        // a provider external id is used again only by the resend that follows its "not found" on the same provider
        topUp.attempts.forEach((attempt, index) => {
          const earlier = topUp.attempts
            .slice(0, index)
            .filter((a) => a.providerExternalId === attempt.providerExternalId);
          const previous = topUp.attempts[index - 1];
          if (earlier.length > 0) {
            expect(earlier).toContain(previous);
            for (const reused of earlier) {
              expect(reused.failure?.reason).toBe('NOT_FOUND_AT_PROVIDER');
              expect(reused.providerId).toBe(attempt.providerId);
            }
          }
        });
        topUp.attempts.forEach((attempt, index) => {
          const previous = topUp.attempts[index - 1];
          if (!previous) return;
          // no attempt starts before the schedule allows (counted from the previous start at the earliest)
          expect(attempt.startedAt.getTime() - previous.startedAt.getTime()).toBeGreaterThanOrEqual(
            (retryDelayMinutes(index) ?? 0) * 60_000,
          );
          // a change of provider only follows a definite failure the provider knows of
          if (attempt.providerId !== previous.providerId) {
            expect(previous.state).toBe('Failed');
            expect(previous.failure?.reason).not.toBe('NOT_FOUND_AT_PROVIDER');
          }
        });
        expect(topUp.awaitingStatusQuery).toBe(topUp.attempts[topUp.attempts.length - 1]?.state === 'Unknown');
        if (isFinalClass(topUp.status.class)) expect(topUp.nextAttemptAt).toBeUndefined();
        if (isFailureClass(topUp.status.class)) expect(topUp.failureReason).toBeDefined();
      }
    },
  );
});

describe('a hold refused for funds', () => {
  const isNew = (topUp: TopUp) => topUp.status.class === 'CREATED' && topUp.attempts.length === 0;

  test.prop([fc.array(commandArb, { minLength: 1, maxLength: 40, size: 'max' })])(
    'is refused only to a new top-up, wherever the top-up stands',
    (commands) => {
      let topUp = freshTopUp();
      let nowMs = t0.getTime();
      for (const command of commands) {
        nowMs += command.kind === 'wait' ? command.minutes * 60_000 : 1000;
        const refused = rejectForRefusedHold(topUp, new Date(nowMs));
        if (isNew(topUp)) {
          expect(Either.getOrThrow(refused).topUp.failureReason?.reason).toBe('INSUFFICIENT_FUNDS');
        } else {
          expect(Either.isLeft(refused) && refused.left._tag).toBe('InvalidTopUp');
        }
        const result = run(topUp, command, new Date(nowMs));
        if (Either.isRight(result)) topUp = result.right.topUp;
      }
    },
  );

  test.prop([fc.array(commandArb, { minLength: 1, maxLength: 40, size: 'max' })])(
    'ends the top-up: no command changes it or moves money after it',
    (commands) => {
      const refused = Either.getOrThrow(rejectForRefusedHold(freshTopUp(), t0));
      expect(refused.movements).toEqual([]);
      let nowMs = t0.getTime();
      for (const command of commands) {
        nowMs += command.kind === 'wait' ? command.minutes * 60_000 : 1000;
        const result = run(refused.topUp, command, new Date(nowMs));
        if (Either.isLeft(result)) continue;
        expect(result.right.topUp).toBe(refused.topUp);
        expect(result.right.movements).toEqual([]);
      }
    },
  );
});
