// Reconcile one provider's window: settle the stale top-ups by asking the
// provider, match its transaction list against our attempts, compare
// balances, then store the report with its summary and publish
// `reconciliation.completed`, in one unit of work. One run of a window at a
// time (the window's lock); safe to run twice (the second run changes
// nothing and reports the same) and after a crash (the settlements left
// APPLYING, of any window, are finished first).
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
import type { ReconciliationWindowBusy } from '../ports/reconciliation-store.errors';
import { ReconciliationStore, type ReconciliationWindow, windowKeyOf } from '../ports/reconciliation-store.port';
import type { SaveError, SaveServices } from '../top-up-change/save-top-up-change.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { balancePhase } from './balance-phase.use-case';
import { ReconcileProviderMismatch } from './reconcile-day.errors';
import { ReconcileDayInput, type ReconcileDayInputJson } from './reconcile-day.input';
import { type ReconcileProgress, silentProgress } from './reconcile-progress';
import { matchPhase } from './match-phase.use-case';
import { buildReport } from './reconciliation-report';
import type { ReconciliationReport } from './reconciliation-report.types';
import { formatSummary } from './reconciliation-summary.format';
import { resumeSettlements } from './resume-settlements.use-case';
import { settlePhase } from './settle-phase.use-case';

/** The routing key of the event published per run. */
export const RECONCILIATION_COMPLETED = 'reconciliation.completed';

export type ReconcileDayError =
  | InvalidInput
  | ReconcileProviderMismatch
  | ReconciliationWindowBusy
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

/** One run of the window, its lock held: resume, settle, match, balance, report. */
const runLocked = (
  window: ReconciliationWindow,
  decoded: ReconcileDayInput,
  progress: ReconcileProgress,
): Effect.Effect<ReconcileDayResult, ReconcileDayError, ReconcileDayServices> =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const clock = yield* Clock;
    const ids = yield* IdGenerator;
    const runId = decoded.runId ?? (yield* ids.next());
    const startedAt = yield* clock.now();
    yield* store.startRun({ id: runId, window, startedAt });
    const resumed = yield* resumeSettlements(window, { now: startedAt, settleAfterMs: decoded.settleAfterMs });

    const settleNow = yield* clock.now();
    const settled = yield* settlePhase(
      window,
      { now: settleNow, settleAfterMs: decoded.settleAfterMs, decisionAfterMs: decoded.decisionAfterMs },
      progress,
    );
    const matchNow = yield* clock.now();
    const match = yield* matchPhase(window, { now: matchNow, inFlightGraceMs: decoded.settleAfterMs }, progress);
    const balances = yield* balancePhase(
      window.providerId,
      match,
      { inFlightGraceMs: decoded.settleAfterMs },
      progress,
    );

    progress.phase('report', 1);
    const settlements = yield* store.settlementsOf(window);
    // held and never sent: requested before the window's end and at least the settle age ago (younger ones the
    // workers are sending); every report lists them while they are so, so that none drops out of a later night's
    const reportNow = yield* clock.now();
    const heldNeverSent = yield* store.heldNeverSent(
      new Date(Math.min(window.to.getTime(), reportNow.getTime() - decoded.settleAfterMs + 1)),
    );
    const finishedAt = yield* clock.now();
    const report = buildReport({
      run: { id: runId, startedAt, finishedAt },
      window,
      match,
      awaitingDecision: [...resumed, ...settled, ...(match.performed ? match.awaitingDecision : [])],
      settlements,
      balances,
      heldNeverSent,
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

/**
 * Reconciles `input.providerId` over [from, to) (see ReconcileDayInput),
 * holding the window's lock throughout (`withWindowLock`: a second run of
 * the same window fails `ReconciliationWindowBusy` at once, before it reads
 * or writes anything). First every settlement left APPLYING, of any window,
 * is finished (`resumeSettlements`); then the phases in order, each told to
 * `progress`:
 * 1. settle (`settlePhase`): stale non-final top-ups asked about and settled,
 *    or listed for a decision (also when the provider's answer about one
 *    cannot be used);
 * 2. match (`matchPhase`): the provider's list against our attempts (skipped,
 *    and said so, for a provider that cannot list);
 * 3. balance (`balancePhase`): holdings (a difference while our side is not
 *    quiet is unstable, not a mismatch), unreadable balances, captured;
 * 4. report: the top-ups held and never sent (`heldNeverSent`: requested
 *    before the window's end and at least `settleAfterMs` before now;
 *    reported, never settled: the workers send them), then the report
 *    (`buildReport`) and summary (`formatSummary`) stored with `finishRun`
 *    and the event `reconciliation.completed` (runId, provider, window,
 *    outcome, counts) appended, in one unit of work.
 * Outcome (see `buildReport`): MISMATCHES (a top-up held and never sent
 * included), else UNVERIFIED when something could not be compared (a
 * provider that cannot list), else MATCHED.
 * Fails with `InvalidInput`, `ReconcileProviderMismatch` (the window's
 * provider is not this process's), `ReconciliationWindowBusy`, a transport
 * failure of the provider (unavailable, rate limited past its retries, an
 * unknown outcome of a query) or a store failure; the run is then left
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
    const window: ReconciliationWindow = { providerId: decoded.providerId, from: decoded.from, to: decoded.to };
    return yield* store.withWindowLock(windowKeyOf(window), runLocked(window, decoded, progress));
  });
