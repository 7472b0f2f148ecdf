// The workers' writer of top-up changes (issue 12's group commit on the send
// side): the changes that concurrent sends, answers and status queries
// commit at the same time (attempt starts, provider answers, final statuses)
// gathered into batches, each written by `saveTopUpChangeBatch` in ONE unit
// of work with set-based statements. One batch is written at a time; the
// changes that arrive meanwhile form the next one, so a change arriving at
// an idle writer goes at once, as a batch of one (`saveTopUpChange` in a unit
// of work of its own, as without the writer).
import {
  commitAlone,
  saveTopUpChangeBatch,
  type TopUpChangeCommitter,
  withTopUpChangeCommitter,
} from '@airtime/application';
import { currentManager } from '@airtime/persistence-postgres';
import { Effect, FiberRef } from 'effect';
import { makeCallerBatchQueue } from './caller-batch-queue.runner';

/** The most changes one batch takes by default. */
export const DEFAULT_CHANGE_BATCH_MAX = 100;

/**
 * A committer writing the changes of concurrent callers in batches of up to
 * `maxBatch` (1: each in a unit of work of its own), each answered as
 * `saveTopUpChange` in a unit of work of its own would answer it. The
 * batches run with the services and fiber refs (logger, log level) of the
 * first caller, every caller of a worker sharing one runtime, without its
 * log annotations (a batch is no one top-up's). A caller already inside a
 * unit of work writes in it, as without the writer.
 */
export const makeTopUpChangeWriter = (maxBatch: number = DEFAULT_CHANGE_BATCH_MAX): TopUpChangeCommitter => {
  if (maxBatch <= 1) return commitAlone;
  const submit = makeCallerBatchQueue(saveTopUpChangeBatch, maxBatch);
  return (before, change) =>
    Effect.gen(function* () {
      if ((yield* FiberRef.get(currentManager)) !== undefined) return yield* commitAlone(before, change);
      return yield* yield* submit({ before, change });
    });
};

/** `effect` with its top-up changes written by `writer` (see makeTopUpChangeWriter); as is without one. */
export const withTopUpChangeWriter =
  (writer: TopUpChangeCommitter | undefined) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    writer === undefined ? effect : withTopUpChangeCommitter(writer)(effect);
