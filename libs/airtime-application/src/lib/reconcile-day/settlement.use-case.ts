// Settling a top-up, write-ahead: the settlement (who, why, from which status
// to which) is recorded before the change, the change is applied as a
// provider's update would be (ledger included), and the record is completed
// with what happened. A crash between the two leaves the record APPLYING; the
// next run finishes it the same way.
import {
  type AirtimeProvider,
  type AttemptNotFound,
  applyProviderEvent,
  Clock,
  IdGenerator,
  type IllegalTransition,
  type LedgerError,
  type PersistenceFailure,
  type ProviderAnswerMismatch,
  type TopUp,
  type TopUpRepository,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { UnknownProviderTransaction } from '../apply-provider-update/apply-provider-update.errors';
import {
  type ApplyProviderUpdateError,
  applyProviderUpdate,
} from '../apply-provider-update/apply-provider-update.use-case';
import { ReconciliationStore, type SettlementRecord } from '../ports/reconciliation-store.port';
import {
  changeTopUp,
  loadTopUp,
  type SaveError,
  type SaveServices,
} from '../top-up-change/save-top-up-change.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';

/**
 * What a settlement is to do and why (recorded as is): a record before it is
 * made, without its id, state and times.
 */
export type SettlementIntent = Omit<SettlementRecord, 'id' | 'state' | 'refusal' | 'recordedAt' | 'completedAt'>;

/** Why a change could not be applied as asked: the record is REFUSED with the error's message. */
export type SettlementRefusal =
  UnknownProviderTransaction | TopUpNotFound | AttemptNotFound | IllegalTransition | ProviderAnswerMismatch;

const REFUSAL_TAGS: readonly string[] = [
  'UnknownProviderTransaction',
  'TopUpNotFound',
  'AttemptNotFound',
  'IllegalTransition',
  'ProviderAnswerMismatch',
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
 * A provider's status for the record's attempt, applied as a callback is
 * (`applyProviderUpdate`: the domain's change, its ledger movements and
 * events); the delivered amount is checked before recording.
 */
export const applyAsProviderUpdate: ApplySettlement<
  ApplyProviderUpdateError,
  SaveServices | AirtimeProvider | Clock | UnitOfWork
> = (record) =>
  Effect.map(
    applyProviderUpdate(
      { providerTransactionId: '', providerExternalId: record.providerExternalId, status: record.toStatus },
      { topUpId: record.topUpId },
    ),
    (result) => ({ changed: result._tag === 'Applied', topUp: result.topUp }),
  );

/**
 * An operator's status for the record's attempt, applied as the domain
 * applies a provider's (`applyProviderEvent`, ledger and events included),
 * without a provider at hand.
 */
export const applyAsOperatorDecision: ApplySettlement<
  SettlementRefusal | SaveError,
  SaveServices | Clock | UnitOfWork
> = (record) =>
  changeTopUp(loadTopUp(record.topUpId), (topUp, now) =>
    applyProviderEvent(
      topUp,
      record.toStatus,
      now,
      record.providerExternalId === undefined ? undefined : { providerExternalId: record.providerExternalId },
    ),
  );

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
 * (with the refusal) or UNCHANGED. Other failures (persistence, ledger,
 * provider) leave the record APPLYING for the next run. Answers the
 * completed record.
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
    const stands = resumed && !changed ? yield* standsAt(record) : false;
    const state =
      changed || stands ? ('APPLIED' as const) : Either.isLeft(outcome) ? ('REFUSED' as const) : ('UNCHANGED' as const);
    const refusal = state === 'REFUSED' && Either.isLeft(outcome) ? outcome.left.message : undefined;
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
