// One run of a window as the reconciler app makes it, around the
// application's reconcileDay: first, holding the window's lock, the runs of
// the window a killed process left open are closed (FAILED, abandoned); then
// reconcileDay under a run id of ours; should it fail (not for bad input, not
// because another run holds the window), its run row is finished FAILED
// with a reason, again holding the window's lock (when another run has taken
// it meanwhile, that run closes ours). No run row stays open for ever.
import {
  reconcileDay,
  type ReconcileDayError,
  type ReconcileDayInputJson,
  type ReconcileDayResult,
  type ReconcileDayServices,
  type ReconcileProgress,
  ReconciliationStore,
  type ReconciliationWindow,
  windowKeyOf,
} from '@airtime/application';
import { Clock, IdGenerator } from '@airtime/domain';
import type { ReconciliationRunCloser } from '@airtime/persistence-postgres';
import { Cause, Effect } from 'effect';
import { endOfFailure } from '../cli/exit-code.table';

export interface RunClosing {
  readonly closer: ReconciliationRunCloser;
  /** A failure's reason for the run's row: one line, no secret (the database password masked). */
  readonly reasonOf: (error: unknown) => string;
}

/** The error a failed run failed with (its first failure, else its defect). */
export const failureOf = (cause: Cause.Cause<unknown>): unknown =>
  Cause.failureOption(cause).pipe((failure) => (failure._tag === 'Some' ? failure.value : Cause.squash(cause)));

/**
 * Reconciles `input`'s window (see the header) and answers reconcileDay's
 * result. Fails as reconcileDay does (ReconciliationWindowBusy also when the
 * window is held before the run starts: nothing is then written); a failure
 * to close the failed run's row is ignored (a later run of the window closes
 * it, abandoned).
 */
export const reconcileWindow = (
  input: Omit<ReconcileDayInputJson, 'runId'>,
  progress: ReconcileProgress,
  closing: RunClosing,
): Effect.Effect<ReconcileDayResult, ReconcileDayError, ReconcileDayServices | IdGenerator> =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const clock = yield* Clock;
    const window: ReconciliationWindow = { providerId: input.providerId, from: input.from, to: input.to };
    const key = windowKeyOf(window);
    yield* store.withWindowLock(
      key,
      Effect.flatMap(clock.now(), (now) => closing.closer.abandonOpenRuns(window, now)),
    );
    const runId = yield* (yield* IdGenerator).next();
    const failRun = (error: unknown) =>
      store
        .withWindowLock(
          key,
          Effect.flatMap(clock.now(), (finishedAt) =>
            closing.closer.failRun({ id: runId, finishedAt, reason: closing.reasonOf(error) }),
          ),
        )
        .pipe(Effect.ignore);
    return yield* reconcileDay({ ...input, runId }, progress).pipe(
      Effect.tapErrorCause((cause) => {
        if (Cause.isInterruptedOnly(cause)) return Effect.void;
        const error = failureOf(cause);
        const end = endOfFailure(error);
        return end === 'FAILED' || end === 'CREDENTIALS' ? failRun(error) : Effect.void;
      }),
    );
  });
