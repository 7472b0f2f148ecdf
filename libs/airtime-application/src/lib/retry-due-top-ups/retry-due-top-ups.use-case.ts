// Run due retries: every top-up whose scheduled retry is due (and whose last
// attempt is settled) gets its next attempt. Safe in several processes at
// once: the attempt's start is guarded by the top-up's version, so only one
// of them sends. Each is sent from the copy the query read (no second read);
// a copy gone stale meanwhile fails its start's write and is decided again
// on a fresh read.
import { Clock, type PersistenceFailure, TopUpRepository } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { sendAttemptReporting, type SendAttemptServices } from '../send-attempt/send-attempt.use-case';
import { failureCodeOf } from './batch-failure.format';

export interface RetryDueTopUpsOptions {
  /** How many due top-ups one run takes at most. */
  readonly limit: number;
  /** How many are sent at once (default 8). */
  readonly concurrency?: number | undefined;
}

export const DEFAULT_BATCH_CONCURRENCY = 8;

/**
 * Sends the next attempt of up to `limit` due top-ups; answers how many
 * attempts were sent. A top-up that fails (a store or provider failure) is
 * logged with its id and the error's code and left for the next run.
 */
export const retryDueTopUps = (
  options: RetryDueTopUpsOptions,
): Effect.Effect<number, PersistenceFailure, SendAttemptServices | TopUpRepository> =>
  Effect.gen(function* () {
    const now = yield* (yield* Clock).now();
    const due = yield* (yield* TopUpRepository).dueForRetry(now, options.limit);
    const results = yield* Effect.forEach(
      due,
      ({ topUp, version }) =>
        Effect.either(sendAttemptReporting(topUp.id, { topUp, version })).pipe(
          Effect.tap((result) =>
            Either.isLeft(result)
              ? Effect.logWarning('a due retry failed; it is tried again on the next run').pipe(
                  Effect.annotateLogs({
                    topUpId: topUp.id,
                    externalId: topUp.externalId,
                    code: failureCodeOf(result.left),
                  }),
                )
              : Effect.void,
          ),
        ),
      { concurrency: options.concurrency ?? DEFAULT_BATCH_CONCURRENCY },
    );
    return results.filter((result) => Either.isRight(result) && result.right._tag === 'Sent').length;
  });
