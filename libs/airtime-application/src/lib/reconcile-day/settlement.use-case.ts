// Settling a top-up, write-ahead: the settlement (who, why, from which status
// to which) is recorded before the change, the change is applied as a
// provider's update would be (ledger included), and the record is completed
// with what happened. A crash between the two leaves the record APPLYING; the
// next run finishes it the same way.
import {
  type AttemptNotFound,
  applyProviderEvent,
  Clock,
  IdGenerator,
  type IllegalTransition,
  lastAttemptOf,
  type LedgerError,
  type PersistenceFailure,
  type ProviderAnswerMismatch,
  type TopUp,
  type TopUpRepository,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { UnknownProviderTransaction } from '../apply-provider-update/apply-provider-update.errors';
import { ReconciliationStore, type SettlementRecord } from '../ports/reconciliation-store.port';
import {
  changeTopUp,
  loadTopUp,
  type SaveError,
  type SaveServices,
} from '../top-up-change/save-top-up-change.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { SettlementOutdated } from './settlement.errors';

/**
 * What a settlement is to do and why (recorded as is): a record before it is
 * made, without its id, state and times.
 */
export type SettlementIntent = Omit<SettlementRecord, 'id' | 'state' | 'refusal' | 'recordedAt' | 'completedAt'>;

/**
 * Why a change could not be applied as asked: the record is REFUSED with the
 * error's message (`SettlementOutdated`: REFUSED for an operator's record,
 * UNCHANGED for the reconciler's, with the message).
 */
export type SettlementRefusal =
  | UnknownProviderTransaction
  | TopUpNotFound
  | AttemptNotFound
  | IllegalTransition
  | ProviderAnswerMismatch
  | SettlementOutdated;

const REFUSAL_TAGS: readonly string[] = [
  'UnknownProviderTransaction',
  'TopUpNotFound',
  'AttemptNotFound',
  'IllegalTransition',
  'ProviderAnswerMismatch',
  'SettlementOutdated',
];

const isRefusal = (error: { readonly _tag: string }): error is SettlementRefusal => REFUSAL_TAGS.includes(error._tag);

/** What applying a settlement did to its top-up. */
export interface AppliedChange {
  readonly changed: boolean;
  readonly topUp: TopUp;
}

/** Applies a record's change: a provider's update of the attempt it names (ledger and events included). */
export type ApplySettlement<E, R> = (record: SettlementRecord) => Effect.Effect<AppliedChange, E, R>;

/**
 * Whether the record's decision still holds for the top-up as read for the
 * write: its attempt (`attemptNumber`) is still the top-up's last one, and the
 * top-up still stands at the status it was decided on (`fromStatus`). Else
 * `SettlementOutdated`: a resend started since (it may reuse the attempt's
 * external id, so the attempt is never looked up by that id), or the top-up
 * moved on. Checked on the read the write is made under: the write is made
 * at that read's version, so a change in between fails it and everything is
 * decided again on a fresh read (`changeTopUp`), this check included.
 */
export const checkStillDecided = (record: SettlementRecord, topUp: TopUp): Either.Either<void, SettlementOutdated> => {
  const last = lastAttemptOf(topUp)?.number;
  return last === record.attemptNumber && topUp.status.status === record.fromStatus.status
    ? Either.void
    : Either.left(
        new SettlementOutdated({
          topUpId: topUp.id,
          attemptNumber: record.attemptNumber,
          lastAttemptNumber: last,
          fromStatus: record.fromStatus.status,
          status: topUp.status.status,
        }),
      );
};

/** The record's attempt, by its number (the last attempt for a record with none, which then finds none). */
export const attemptRefOf = (record: SettlementRecord) =>
  record.attemptNumber === undefined ? undefined : { attemptNumber: record.attemptNumber };

/**
 * The record's status applied to the record's attempt (by its number) as the
 * domain applies a provider's (`applyProviderEvent`, ledger and events
 * included), once `checkStillDecided` holds on the top-up as read for the
 * write.
 */
const applyToItsAttempt: ApplySettlement<SettlementRefusal | SaveError, SaveServices | Clock | UnitOfWork> = (record) =>
  changeTopUp(loadTopUp(record.topUpId), (topUp, now) =>
    Either.flatMap(checkStillDecided(record, topUp), () =>
      applyProviderEvent(topUp, record.toStatus, now, attemptRefOf(record)),
    ),
  );

/**
 * A provider's status for the record's attempt, as the reconciler read it
 * (`applyToItsAttempt`: the attempt by its number, never by its external id,
 * which a resend after "not found" reuses; not applied once another attempt
 * is the last or the top-up left `fromStatus`).
 */
export const applyAsProviderUpdate: ApplySettlement<SettlementRefusal | SaveError, SaveServices | Clock | UnitOfWork> =
  applyToItsAttempt;

/**
 * An operator's status for the record's attempt, applied as the domain
 * applies a provider's, without a provider at hand (`applyToItsAttempt`: not
 * applied once another attempt is the last or the top-up left `fromStatus`).
 */
export const applyAsOperatorDecision: ApplySettlement<
  SettlementRefusal | SaveError,
  SaveServices | Clock | UnitOfWork
> = applyToItsAttempt;

/** Whether the record's top-up stands at the record's status now (an unknown top-up does not). */
const standsAt = (record: SettlementRecord) =>
  Effect.match(loadTopUp(record.topUpId), {
    onFailure: () => false,
    onSuccess: ({ topUp }) => topUp.status.status === record.toStatus.status,
  });

/**
 * Applies a recorded settlement and completes its record. A record this
 * run made (`resumed` false): APPLIED when the top-up changed, UNCHANGED
 * when it did not, REFUSED with the refusal's message when the change is
 * not allowed. A record made before (`resumed`: by another run, or before a
 * crash; its change may have landed already): APPLIED when the change went
 * through now or the top-up stands at the record's status, else REFUSED
 * (with the refusal) or UNCHANGED. A decision that no longer holds
 * (`SettlementOutdated`: another attempt is the last, or the top-up left
 * `fromStatus`) applies nothing: UNCHANGED when the top-up stands at the
 * record's status already (APPLIED when resumed), else REFUSED for an
 * operator's record and UNCHANGED for the reconciler's (its next run asks
 * the provider again), with the message either way. Other failures
 * (persistence, ledger, provider) leave the record APPLYING for the next
 * run. Answers the completed record.
 */
export const finishSettlement = <E extends { readonly _tag: string; readonly message: string }, R>(
  record: SettlementRecord,
  apply: ApplySettlement<E, R>,
  resumed: boolean,
): Effect.Effect<
  SettlementRecord,
  Exclude<E, SettlementRefusal> | PersistenceFailure,
  R | ReconciliationStore | Clock | TopUpRepository
> =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const outcome = yield* Effect.either(apply(record));
    if (Either.isLeft(outcome) && !isRefusal(outcome.left)) {
      return yield* Effect.fail(outcome.left as Exclude<E, SettlementRefusal>);
    }
    const changed = Either.isRight(outcome) && outcome.right.changed;
    const outdated = Either.isLeft(outcome) && outcome.left._tag === 'SettlementOutdated';
    const stands = (resumed || outdated) && !changed ? yield* standsAt(record) : false;
    const state = ((): Exclude<SettlementRecord['state'], 'APPLYING'> => {
      if (changed || (stands && resumed)) return 'APPLIED';
      if (stands || Either.isRight(outcome)) return 'UNCHANGED';
      return outdated && record.actor === 'reconciler' ? 'UNCHANGED' : 'REFUSED';
    })();
    const refusal = Either.isLeft(outcome) && !stands && !changed ? outcome.left.message : undefined;
    const at = yield* (yield* Clock).now();
    yield* store.completeSettlement(record.id, state, refusal, at);
    return { ...record, state, refusal, completedAt: at };
  });

/**
 * Records a settlement (APPLYING) and applies it (`finishSettlement`). The
 * record is keyed by (window or operator, top-up, attempt, status): when one
 * is there already it is answered as it stands when completed, and finished
 * when still APPLYING (a crash between record and change, or another run).
 */
export const settle = <E extends { readonly _tag: string; readonly message: string }, R>(
  intent: SettlementIntent,
  apply: ApplySettlement<E, R>,
): Effect.Effect<
  SettlementRecord,
  Exclude<E, SettlementRefusal> | PersistenceFailure,
  R | ReconciliationStore | Clock | IdGenerator | TopUpRepository
> =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const id = yield* (yield* IdGenerator).next();
    const now = yield* (yield* Clock).now();
    const recorded = yield* store.recordSettlement({
      ...intent,
      id,
      state: 'APPLYING',
      refusal: undefined,
      recordedAt: now,
      completedAt: undefined,
    });
    if (recorded.state !== 'APPLYING') return recorded;
    return yield* finishSettlement(recorded, apply, recorded.id !== id);
  });

/** The errors of settling once refusals are recorded: the store's and the ledger's. */
export type SettleError = SaveError | LedgerError | PersistenceFailure;
