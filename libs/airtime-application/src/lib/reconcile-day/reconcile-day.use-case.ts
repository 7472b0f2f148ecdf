// Reconcile one provider's window: settle the stale top-ups by asking the
// provider, match its transaction list against our attempts, compare
// balances, then store the report with its summary and publish
// `reconciliation.completed`, in one unit of work. Safe to run twice (the
// second run changes nothing and reports the same) and after a crash (the
// settlements left APPLYING are finished).
import {
  AirtimeProvider,
  Clock,
  IdGenerator,
  type LedgerError,
  Outbox,
  type PersistenceFailure,
  type ProviderError,
  UnitOfWork,
} from '@airtime/domain';
import { Effect } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { ReconciliationStore, type ReconciliationWindow, windowKeyOf } from '../ports/reconciliation-store.port';
import { loadTopUp, type SaveError, type SaveServices } from '../top-up-change/save-top-up-change.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { balancePhase } from './balance-phase.use-case';
import { ReconcileProviderMismatch } from './reconcile-day.errors';
import { ReconcileDayInput, type ReconcileDayInputJson } from './reconcile-day.input';
import { type ReconcileProgress, silentProgress } from './reconcile-progress';
import { matchPhase } from './match-phase.use-case';
import { buildReport } from './reconciliation-report';
import type { ReconciliationReport } from './reconciliation-report.types';
import { formatSummary } from './reconciliation-summary.format';
import { settlePhase } from './settle-phase.use-case';

/** The routing key of the event published per run. */
export const RECONCILIATION_COMPLETED = 'reconciliation.completed';

export type ReconcileDayError =
  | InvalidInput
  | ReconcileProviderMismatch
  | TopUpNotFound
  | ProviderError
  | SaveError
  | LedgerError
  | PersistenceFailure;

export type ReconcileDayServices = ReconciliationStore | SaveServices | AirtimeProvider | Clock | UnitOfWork;

/** A run's answer: its report and the summary text stored with it. */
export interface ReconcileDayResult {
  readonly report: ReconciliationReport;
  readonly summary: string;
}

/**
 * Settlements of the window still APPLYING once the phases have run (a
 * crash after the change and before its record was completed, whose top-up
 * the phases no longer pick up): APPLIED when the top-up stands at the
 * recorded status, UNCHANGED otherwise.
 */
const finishLeftovers = (window: ReconciliationWindow) =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const leftovers = yield* store.unfinishedSettlements(windowKeyOf(window));
    const now = yield* (yield* Clock).now();
    yield* Effect.forEach(
      leftovers,
      (record) =>
        Effect.flatMap(loadTopUp(record.topUpId), ({ topUp }) =>
          store.completeSettlement(
            record.id,
            topUp.status.status === record.toStatus.status ? 'APPLIED' : 'UNCHANGED',
            undefined,
            now,
          ),
        ).pipe(
          Effect.catchTag('TopUpNotFound', (error) =>
            store.completeSettlement(record.id, 'REFUSED', error.message, now),
          ),
        ),
      { discard: true },
    );
  });

/**
 * Reconciles `input.providerId` over [from, to) (see ReconcileDayInput), the
 * phases in order, each told to `progress`:
 * 1. settle (`settlePhase`): stale non-final top-ups asked about and settled,
 *    or listed for a decision;
 * 2. match (`matchPhase`): the provider's list against our attempts (skipped,
 *    and said so, for a provider that cannot list);
 * 3. balance (`balancePhase`);
 * 4. report: the report (`buildReport`) and summary (`formatSummary`) stored
 *    with `finishRun` and the event `reconciliation.completed` (runId,
 *    provider, window, outcome, counts) appended, in one unit of work.
 * Fails with `InvalidInput`, `ReconcileProviderMismatch` (the window's
 * provider is not this process's), a provider failure (unavailable, rate
 * limited past its retries...) or a store failure; the run is then left
 * unfinished and a next run resumes it.
 */
export const reconcileDay = (
  input: ReconcileDayInputJson,
  progress: ReconcileProgress = silentProgress,
): Effect.Effect<ReconcileDayResult, ReconcileDayError, ReconcileDayServices> =>
  Effect.gen(function* () {
    const decoded = yield* decodeInput(ReconcileDayInput)(input);
    const provider = yield* AirtimeProvider;
    if (provider.id !== decoded.providerId)
      return yield* new ReconcileProviderMismatch({ requested: decoded.providerId, configured: provider.id });
    const store = yield* ReconciliationStore;
    const clock = yield* Clock;
    const ids = yield* IdGenerator;
    const window: ReconciliationWindow = { providerId: decoded.providerId, from: decoded.from, to: decoded.to };
    const runId = decoded.runId ?? (yield* ids.next());
    const startedAt = yield* clock.now();
    yield* store.startRun({ id: runId, window, startedAt });

    const settleNow = yield* clock.now();
    const settled = yield* settlePhase(
      window,
      { now: settleNow, settleAfterMs: decoded.settleAfterMs, decisionAfterMs: decoded.decisionAfterMs },
      progress,
    );
    const matchNow = yield* clock.now();
    const match = yield* matchPhase(window, { now: matchNow, inFlightGraceMs: decoded.settleAfterMs }, progress);
    yield* finishLeftovers(window);
    const balances = yield* balancePhase(window.providerId, match, progress);

    progress.phase('report', 1);
    const settlements = yield* store.settlementsOf(window);
    const finishedAt = yield* clock.now();
    const report = buildReport({
      run: { id: runId, startedAt, finishedAt },
      window,
      match,
      awaitingDecision: [...settled, ...(match.performed ? match.awaitingDecision : [])],
      settlements,
      balances,
    });
    const summary = formatSummary(report);
    const eventId = yield* ids.next();
    yield* (yield* UnitOfWork).transactionally(
      Effect.zipRight(
        store.finishRun({ id: runId, finishedAt, outcome: report.outcome, report, summary }),
        Effect.flatMap(Outbox, (outbox) =>
          outbox.append({
            id: eventId,
            type: RECONCILIATION_COMPLETED,
            aggregateId: runId,
            payload: {
              runId,
              provider: report.provider,
              window: report.window,
              outcome: report.outcome,
              counts: report.counts,
            },
            occurredAt: finishedAt,
          }),
        ),
      ),
    );
    progress.tick(1);
    progress.done();
    return { report, summary };
  });
