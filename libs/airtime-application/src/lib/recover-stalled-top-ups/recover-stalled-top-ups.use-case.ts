// Recover stalled top-ups: non-final top-ups nobody has touched for a while
// (a crash between the commit and the send, an answer never applied, a
// callback that never came) are moved on: a top-up with no attempt, or a
// settled one, gets its next attempt when the domain allows it; one whose
// last attempt is in flight, unknown or pending is first settled by a status
// query, never resent blindly. Safe in several processes at once. Each is
// moved on from the copy the query read (no second read): a change decided
// on a copy gone stale meanwhile fails its write, and is decided again on a
// fresh read.
import {
  type AirtimeProvider,
  Clock,
  isSettled,
  lastAttemptOf,
  type PersistenceFailure,
  TopUpRepository,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import { failureCodeOf } from '../retry-due-top-ups/batch-failure.format';
import { DEFAULT_BATCH_CONCURRENCY } from '../retry-due-top-ups/retry-due-top-ups.use-case';
import { sendAttemptReporting } from '../send-attempt/send-attempt.use-case';
import { settleUnknownAttempt } from '../settle-unknown-attempt/settle-unknown-attempt.use-case';
import {
  changeTopUp,
  loadTopUp,
  type SaveServices,
  type VersionedTopUp,
} from '../top-up-change/save-top-up-change.use-case';

export interface RecoverStalledTopUpsOptions {
  /** A top-up is stalled when it has not been updated for this long. */
  readonly olderThanMs: number;
  readonly limit: number;
  /** How many are recovered at once (default 8). */
  readonly concurrency?: number | undefined;
}

/** Moves one stalled top-up on; true when something happened (an attempt sent, or the provider's answer applied). */
const recover = (stored: VersionedTopUp) => {
  const attempt = lastAttemptOf(stored.topUp);
  return attempt === undefined || isSettled(attempt)
    ? Effect.map(sendAttemptReporting(stored.topUp.id, stored), (result) => result._tag === 'Sent')
    : Effect.map(settleUnknownAttempt(stored.topUp.id, stored), (result) => result._tag === 'Settled');
};

/** Marks a top-up looked at (its update time), so that the next run takes the ones waiting longest first. */
const touch = (topUpId: string) =>
  changeTopUp(loadTopUp(topUpId), (topUp, now) =>
    Effect.succeed({ topUp: { ...topUp, updatedAt: now }, movements: [] }),
  );

/**
 * Recovers up to `limit` top-ups not updated for `olderThanMs`; answers how
 * many were moved on. One left as it was (not due yet, still pending, a
 * provider that cannot be asked) is marked looked at; one that fails is
 * logged with its id and the error's code and left for the next run.
 */
export const recoverStalledTopUps = (
  options: RecoverStalledTopUpsOptions,
): Effect.Effect<number, PersistenceFailure, SaveServices | AirtimeProvider | Clock | UnitOfWork> =>
  Effect.gen(function* () {
    const now = yield* (yield* Clock).now();
    const stalled = yield* (yield* TopUpRepository).staleNonFinal(
      new Date(now.getTime() - options.olderThanMs),
      options.limit,
    );
    const results = yield* Effect.forEach(
      stalled,
      (stored) =>
        Effect.either(
          Effect.flatMap(recover(stored), (moved) =>
            moved ? Effect.succeed(true) : Effect.as(touch(stored.topUp.id), false),
          ),
        ).pipe(
          Effect.tap((result) =>
            Either.isLeft(result)
              ? Effect.logWarning('a stalled top-up could not be recovered; it is tried again on the next run').pipe(
                  Effect.annotateLogs({
                    topUpId: stored.topUp.id,
                    externalId: stored.topUp.externalId,
                    code: failureCodeOf(result.left),
                  }),
                )
              : Effect.void,
          ),
        ),
      { concurrency: options.concurrency ?? DEFAULT_BATCH_CONCURRENCY },
    );
    return results.filter((result) => Either.isRight(result) && result.right).length;
  });
