// Phase 1 of a reconciliation, settle: every non-final top-up at the provider
// whose last attempt is old enough is asked about by external id, and the
// answer is applied as a callback would be, with a settlement recorded ahead
// of the change; what cannot be asked or applied waits for an operator.
import {
  AirtimeProvider,
  checkDeliveredAmount,
  Clock,
  findAttempt,
  isPendingClass,
  isSettled,
  type OurAttempt,
  preciseOf,
  type ProviderTransaction,
  providerNotFound,
  resolveUnknownAttempt,
  sameStatus,
} from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import {
  ReconciliationStore,
  type ReconciliationWindow,
  type SettlementRecord,
  windowKeyOf,
} from '../ports/reconciliation-store.port';
import { queryAttemptStatus } from '../send-attempt/send-attempt.use-case';
import { changeTopUpFrom, loadTopUp } from '../top-up-change/save-top-up-change.use-case';
import type { AwaitingDecision } from './awaiting-decision';
import { describeProviderFailure, nonStoppingProviderFailure } from './provider-failure.policy';
import type { ReconcileProgress } from './reconcile-progress';
import {
  type AppliedChange,
  applyAsProviderUpdate,
  attemptRefOf,
  checkStillDecided,
  settle,
  type SettlementIntent,
} from './settlement.use-case';

export interface SettlePhaseOptions {
  readonly now: Date;
  readonly settleAfterMs: number;
  readonly decisionAfterMs: number;
}

/** How many top-ups are asked about at once. */
export const SETTLE_CONCURRENCY = 4;

const ANSWER_FIELDS = { amount: 'receive.amount', currency: 'receive.currency' };

const intentOf = (window: ReconciliationWindow, attempt: OurAttempt) =>
  ({
    topUpId: attempt.topUpId,
    providerId: window.providerId,
    providerExternalId: attempt.providerExternalId,
    attemptNumber: attempt.attemptNumber,
    fromStatus: attempt.topUpStatus,
    actor: 'reconciler',
    operator: undefined,
    windowKey: windowKeyOf(window),
  }) as const;

/** How the reason of a settlement made because the provider never received the attempt begins. */
export const NOT_FOUND_REASON_START = 'provider has no transaction ';

/**
 * The apply of a "never received" settlement: the record's attempt (by its
 * number) asked about again and settled as the domain says
 * (`resolveUnknownAttempt`, as `settleUnknownAttempt` does), once
 * `checkStillDecided` holds (it is still the last attempt, the top-up still
 * at `fromStatus`), on the first read and again on the read the write is
 * made under. An attempt settled already, or a provider that cannot be
 * asked, changes nothing.
 */
export const applyAsNotFound = (record: SettlementRecord) =>
  Effect.gen(function* () {
    const first = yield* loadTopUp(record.topUpId);
    yield* checkStillDecided(record, first.topUp);
    const attempt = findAttempt(first.topUp.attempts, attemptRefOf(record));
    const unchanged: AppliedChange = { changed: false, topUp: first.topUp };
    if (attempt === undefined || isSettled(attempt)) return unchanged;
    const answer = yield* Effect.either(queryAttemptStatus(first.topUp, attempt));
    if (Either.isLeft(answer))
      return answer.left._tag === 'StatusQueryUnsupported' ? unchanged : yield* Effect.fail(answer.left);
    const result = yield* changeTopUpFrom(first, (current, now) =>
      Either.flatMap(checkStillDecided(record, current), () =>
        resolveUnknownAttempt(current, answer.right, now, { attemptNumber: attempt.number }),
      ),
    );
    return { changed: result.changed, topUp: result.topUp } satisfies AppliedChange;
  });

const refusedDecision = (attempt: OurAttempt, refusal: string | undefined): Option.Option<AwaitingDecision> =>
  Option.some({ attempt, reason: `the provider's answer could not be applied: ${refusal ?? 'refused'}` });

/** The provider holds a transaction for the attempt: its status is applied unless it changes nothing. */
const settleFound = (window: ReconciliationWindow, attempt: OurAttempt, found: ProviderTransaction) =>
  Effect.gen(function* () {
    const pendingBoth = isPendingClass(found.status.class) && attempt.state === 'Pending';
    if (pendingBoth || sameStatus(found.status, attempt.topUpStatus)) return Option.none<AwaitingDecision>();
    if (found.receive !== undefined) {
      const delivered = checkDeliveredAmount(
        window.providerId,
        preciseOf(attempt.receive),
        found.receive,
        ANSWER_FIELDS,
      );
      if (Either.isLeft(delivered))
        return Option.some({
          attempt,
          reason: `the provider reports ${found.status.status} but ${delivered.left.message}`,
        });
    }
    const intent: SettlementIntent = {
      ...intentOf(window, attempt),
      toStatus: found.status,
      reason:
        `provider reports ${found.status.status} at reconciliation (transaction ${found.providerTransactionId}); ` +
        `ours was ${attempt.topUpStatus.status}, attempt ${attempt.attemptNumber} ${attempt.state}`,
    };
    const record = yield* settle(intent, applyAsProviderUpdate);
    return record.state === 'REFUSED' ? refusedDecision(attempt, record.refusal) : Option.none<AwaitingDecision>();
  });

/** The provider never received the attempt: an unknown one is settled as the domain says (`settleUnknownAttempt`). */
const settleNotFound = (window: ReconciliationWindow, attempt: OurAttempt) =>
  Effect.gen(function* () {
    if (attempt.state === 'Pending')
      return Option.some<AwaitingDecision>({
        attempt,
        reason: `the provider no longer knows attempt ${attempt.attemptNumber}, which it had accepted`,
      });
    const { topUp } = yield* loadTopUp(attempt.topUpId);
    const now = yield* (yield* Clock).now();
    const predicted = resolveUnknownAttempt(topUp, providerNotFound, now, { attemptNumber: attempt.attemptNumber });
    if (Either.isRight(predicted) && predicted.right.topUp === topUp) return Option.none<AwaitingDecision>();
    const toStatus = Either.isRight(predicted) ? predicted.right.topUp.status : topUp.status;
    const record = yield* settle(
      {
        ...intentOf(window, attempt),
        toStatus,
        reason:
          `${NOT_FOUND_REASON_START}${attempt.providerExternalId} at reconciliation ` +
          `(attempt ${attempt.attemptNumber}, ${attempt.state}): settled as the provider never received it`,
      },
      applyAsNotFound,
    );
    return record.state === 'REFUSED' ? refusedDecision(attempt, record.refusal) : Option.none<AwaitingDecision>();
  });

/**
 * Settles every non-final top-up at the window's provider whose last
 * attempt started `settleAfterMs` or more before `now` and is not settled:
 * - the provider has it → its status applied (`applyProviderUpdate`, ledger
 *   included) after a settlement is recorded, unless it changes nothing (both
 *   pending); a delivered amount that does not hold to the request, or a
 *   refused change, waits for a decision;
 * - the provider never received it → an unknown attempt goes through
 *   `settleUnknownAttempt` (recorded likewise); a pending one waits for a decision;
 * - the provider cannot be asked → it waits for a decision once its attempt
 *   is `decisionAfterMs` old, else is left;
 * - the provider's answer about this top-up cannot be used (a failure that
 *   does not stop the run, see `stopsTheRun`: an unreadable or mismatched
 *   answer, a definite refusal...) → it waits for a decision, with the
 *   error's code and message, and the phase goes on.
 * Answers the top-ups awaiting a decision. Transport failures (unavailable,
 * rate limited, an unknown outcome of the query) fail the phase.
 */
export const settlePhase = (window: ReconciliationWindow, options: SettlePhaseOptions, progress: ReconcileProgress) =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const provider = yield* AirtimeProvider;
    const stale = yield* store.nonFinalSince(
      window.providerId,
      new Date(options.now.getTime() - options.settleAfterMs),
    );
    progress.phase('settle', stale.length);
    const one = (attempt: OurAttempt) =>
      Effect.gen(function* () {
        if (attempt.state === 'Succeeded' || attempt.state === 'Failed') return Option.none<AwaitingDecision>();
        const answer = yield* Effect.either(provider.statusByExternalId(attempt.providerExternalId));
        if (Either.isRight(answer))
          return yield* Option.match(answer.right, {
            onNone: () => settleNotFound(window, attempt),
            onSome: (found) => settleFound(window, attempt, found),
          });
        if (answer.left._tag !== 'StatusQueryUnsupported') return yield* Effect.fail(answer.left);
        const waited = options.now.getTime() - attempt.startedAt.getTime();
        return waited >= options.decisionAfterMs
          ? Option.some<AwaitingDecision>({
              attempt,
              reason: `${answer.left.provider} cannot be asked for a status: ${answer.left.howToSettle}`,
            })
          : Option.none<AwaitingDecision>();
      }).pipe(
        Effect.catchAll((error) => {
          const failure = nonStoppingProviderFailure(error);
          return failure === undefined
            ? Effect.fail(error)
            : Effect.succeed(
                Option.some<AwaitingDecision>({
                  attempt,
                  reason: `the provider's answer about it could not be used: ${describeProviderFailure(failure)}`,
                }),
              );
        }),
        Effect.tap(() => Effect.sync(() => progress.tick(1))),
      );
    const decisions = yield* Effect.forEach(stale, one, { concurrency: SETTLE_CONCURRENCY });
    progress.done();
    return decisions.flatMap((decision) => Option.toArray(decision));
  });
