// The reconciler's store: our attempts at a provider as the books know them
// (by window, by provider external id, the non-final ones), what our books say
// the provider holds for us, the write-ahead settlement records (every change
// of status the reconciler or an operator makes, with why) and the runs with
// their reports, and the window lock (one run of a window at a time).
import type { Money, OurAttempt, OurExposure, PersistenceFailure, TransactionStatus } from '@airtime/domain';
import { Context, type Effect, type Option } from 'effect';
import type { ReconciliationOutcome, ReconciliationReportJson } from '../reconcile-day/reconciliation-report.types';
import type { ReconciliationWindowBusy } from './reconciliation-store.errors';

export type { ReconciliationOutcome, ReconciliationReportJson };

/** One provider's business window: `from <= t < to` (UTC instants). */
export interface ReconciliationWindow {
  readonly providerId: string;
  readonly from: Date;
  readonly to: Date;
}

/** `${providerId}/${from ISO}/${to ISO}`: the key of the reconciler's settlements of a window. */
export const windowKeyOf = (window: ReconciliationWindow): string =>
  `${window.providerId}/${window.from.toISOString()}/${window.to.toISOString()}`;

export type SettlementActor = 'reconciler' | 'operator';

export type SettlementState = 'APPLYING' | 'APPLIED' | 'UNCHANGED' | 'REFUSED';

/**
 * A change of a top-up's status made by the reconciler or by an operator,
 * recorded (APPLYING) before the change is applied, then completed: APPLIED,
 * UNCHANGED (the top-up was already there), or REFUSED (with why).
 */
export interface SettlementRecord {
  readonly id: string;
  readonly topUpId: string;
  readonly providerId: string;
  readonly providerExternalId: string | undefined;
  /** The attempt settled (its number); undefined only for a top-up with no attempt. Part of the settlement's key. */
  readonly attemptNumber: number | undefined;
  readonly fromStatus: TransactionStatus;
  readonly toStatus: TransactionStatus;
  /** Why, for people (1..500 characters). */
  readonly reason: string;
  readonly actor: SettlementActor;
  /** Who, for an operator's settlement. */
  readonly operator: string | undefined;
  /** `windowKeyOf(window)` for the reconciler's; undefined for an operator's. */
  readonly windowKey: string | undefined;
  readonly state: SettlementState;
  readonly refusal: string | undefined;
  readonly recordedAt: Date;
  readonly completedAt: Date | undefined;
}

/**
 * A top-up whose customer's money is held and that was never sent: not
 * final, no attempt at any provider, its ledger hold (by top-up id) neither
 * voided nor captured. The API ran without workers, or a process stopped
 * between the commit and the first send; the workers' stalled-top-up
 * recovery sends it when they run.
 */
export interface HeldNeverSent {
  readonly topUpId: string;
  readonly accountId: string;
  /** The caller's external id. */
  readonly externalId: string;
  readonly status: TransactionStatus;
  /** When it was requested (and its cost held). */
  readonly createdAt: Date;
  /** What the ledger holds for it. */
  readonly held: Money;
}

/** A run as stored: started, then finished with its outcome and report. */
export interface StoredRun {
  readonly id: string;
  readonly window: ReconciliationWindow;
  readonly startedAt: Date;
  readonly finishedAt: Date | undefined;
  readonly outcome: ReconciliationOutcome | undefined;
  readonly report: ReconciliationReportJson | undefined;
  readonly summary: string | undefined;
}

export interface StartedRun {
  readonly id: string;
  readonly window: ReconciliationWindow;
  readonly startedAt: Date;
}

export interface FinishedRun {
  readonly id: string;
  readonly finishedAt: Date;
  readonly outcome: ReconciliationOutcome;
  readonly report: ReconciliationReportJson;
  readonly summary: string;
}

/** The attempt a listing awaiting a decision is looked up for: the provider it was sent to, its top-up and number. */
export interface ListedAttempt {
  readonly providerId: string;
  readonly topUpId: string;
  readonly attemptNumber: number;
}

/** Every method joins the caller's unit of work when there is one. */
export interface ReconciliationStoreService {
  /**
   * Runs `work` holding the window's lock (in PostgreSQL a session advisory
   * lock, held on one dedicated connection until `work` ends: success,
   * failure or interruption; `work` itself uses the ordinary connections).
   * Fails `ReconciliationWindowBusy` at once, before `work` starts, when
   * another run holds the lock; never waits.
   */
  readonly withWindowLock: <A, E, R>(
    windowKey: string,
    work: Effect.Effect<A, E, R>,
  ) => Effect.Effect<A, E | ReconciliationWindowBusy | PersistenceFailure, R>;
  /** Our attempts at the window's provider that started in the window (startedAt in [from, to)). */
  readonly attemptsStartedIn: (
    window: ReconciliationWindow,
  ) => Effect.Effect<readonly OurAttempt[], PersistenceFailure>;
  /** Our attempts with these provider external ids, any time, any provider (for items at a window's edge). */
  readonly attemptsByProviderExternalIds: (
    ids: readonly string[],
  ) => Effect.Effect<readonly OurAttempt[], PersistenceFailure>;
  /**
   * The last attempt of every non-final top-up whose last attempt is at this
   * provider and started at or before `olderThan`, oldest start first (then
   * top-up id), all of them. By the attempt's start, not the top-up's update
   * time: the consumer's recovery touches top-ups it cannot settle (a
   * provider with no status query) every few minutes. A top-up with no
   * attempt yet is not listed (nothing to ask the provider; the consumer's
   * recovery sends it).
   */
  readonly nonFinalSince: (
    providerId: string,
    olderThan: Date,
  ) => Effect.Effect<readonly OurAttempt[], PersistenceFailure>;
  /**
   * Every top-up held and never sent (see HeldNeverSent) created before
   * `createdBefore`, whatever the provider (none is chosen before the first
   * attempt): oldest first, then by top-up id.
   */
  readonly heldNeverSent: (createdBefore: Date) => Effect.Effect<readonly HeldNeverSent[], PersistenceFailure>;
  /** What our books say the provider holds for us now, per currency (`captured` is zero here). */
  readonly holdingAtProvider: (providerId: string) => Effect.Effect<readonly OurExposure[], PersistenceFailure>;
  /**
   * Write-ahead: records a settlement (state APPLYING) before its change.
   * Idempotent on (windowKey, or the operator for an operator's, topUpId,
   * attemptNumber, toStatus): a repeat answers the record already there,
   * whatever its state.
   */
  readonly recordSettlement: (record: SettlementRecord) => Effect.Effect<SettlementRecord, PersistenceFailure>;
  readonly completeSettlement: (
    id: string,
    state: Exclude<SettlementState, 'APPLYING'>,
    refusal: string | undefined,
    at: Date,
  ) => Effect.Effect<void, PersistenceFailure>;
  /**
   * Settlements still APPLYING (a crash between the record and the change):
   * the reconciler's of this window key, or every one (any window, operators'
   * too) when no key is given; ordered by recordedAt, then id.
   */
  readonly unfinishedSettlements: (
    windowKey?: string,
  ) => Effect.Effect<readonly SettlementRecord[], PersistenceFailure>;
  /**
   * The window's settlements: the reconciler's with its window key, and
   * operators' for top-ups whose attempts started in the window; ordered by
   * recordedAt, then id.
   */
  readonly settlementsOf: (
    window: ReconciliationWindow,
  ) => Effect.Effect<readonly SettlementRecord[], PersistenceFailure>;
  /** Records a run at its start. */
  readonly startRun: (run: StartedRun) => Effect.Effect<void, PersistenceFailure>;
  /** Finishes a run with its outcome, report and summary text. */
  readonly finishRun: (run: FinishedRun) => Effect.Effect<void, PersistenceFailure>;
  /**
   * Whether the latest finished run of the attempt's provider (by startedAt,
   * then id; any window: every run's settle phase asks about every stale
   * non-final top-up at its provider) lists this attempt of the top-up under
   * "awaiting a decision" (its report's `awaitingDecision` entries, by
   * `topUpId` and `attemptNumber`): what lets an operator settle an open
   * top-up by hand without `force` (settleTopUpByHand). A run that failed
   * (no report) or is still running does not count. A listing by an earlier
   * run does not count: the later run got an answer it could use (or the
   * top-up was settled); nor does a listing of an earlier attempt: the
   * top-up was sent again.
   */
  readonly listedAwaitingDecision: (attempt: ListedAttempt) => Effect.Effect<boolean, PersistenceFailure>;
  /** The window's latest run (by startedAt), finished or not. */
  readonly latestRun: (window: ReconciliationWindow) => Effect.Effect<Option.Option<StoredRun>, PersistenceFailure>;
}

export class ReconciliationStore extends Context.Tag('@airtime/application/ReconciliationStore')<
  ReconciliationStore,
  ReconciliationStoreService
>() {}
