// A batch queue whose batches run with the services and fiber refs (logger,
// log level) of its first caller: every caller of a worker shares one
// runtime, so the first one's are everyone's. A batch runs without that
// caller's log annotations (a batch is no one caller's) and outside any unit
// of work the caller was in (a batch opens its own). The top-up intake and
// the top-up change writer are such queues.
import { currentManager, makeBatchQueue } from '@airtime/persistence-postgres';
import { Effect, FiberRef, HashMap } from 'effect';

/**
 * Submits items to one worker running `run` on batches of up to `maxBatch`
 * (one batch at a time; an item arriving at an idle queue goes at once):
 * answers each item's answer, in the first caller's runtime.
 */
export const makeCallerBatchQueue = <Item, Answer, R>(
  run: (items: readonly Item[]) => Effect.Effect<readonly Answer[], never, R>,
  maxBatch: number,
): ((item: Item) => Effect.Effect<Answer, never, R>) => {
  let submit: ((item: Item) => Effect.Effect<Answer>) | undefined;
  return (item) =>
    Effect.gen(function* () {
      if (submit === undefined) {
        const context = yield* Effect.context<R>();
        const refs = yield* Effect.getFiberRefs;
        submit = makeBatchQueue(
          (items: readonly Item[]) =>
            Effect.setFiberRefs(refs).pipe(
              Effect.zipRight(FiberRef.set(currentManager, undefined)),
              Effect.zipRight(
                Effect.locally(Effect.provide(run(items), context), FiberRef.currentLogAnnotations, HashMap.empty()),
              ),
            ),
          { workers: 1, maxBatch, lingerMs: 0 },
        ).submit;
      }
      return yield* submit(item);
    });
};
