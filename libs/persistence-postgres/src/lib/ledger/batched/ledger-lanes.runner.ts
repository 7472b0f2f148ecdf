// Lanes of ledger operations: each lane has one worker that takes every
// operation waiting in it (up to `maxBatch`) and runs them as one batch,
// then the next batch, while callers keep arriving. An operation arriving
// at an idle lane starts at once (a batch of one: no added latency); under
// load, batches form by themselves while the previous one commits.
import { Effect, Exit } from 'effect';

/** What a lane runs: a batch of operations, answered in the same order, never failing as a whole. */
export type RunBatch<Operation, Answer> = (operations: readonly Operation[]) => Effect.Effect<readonly Answer[]>;

export interface LaneBounds {
  /** At most this many operations per batch. */
  readonly maxBatch: number;
  /**
   * How long a busy lane may wait for more operations before it starts a
   * batch that is not full (milliseconds; 0: never wait). Only when two or
   * more are already waiting, so an operation alone never waits.
   */
  readonly lingerMs: number;
}

interface Waiting<Operation, Answer> {
  readonly operation: Operation;
  readonly answer: (answer: Exit.Exit<Answer>) => void;
}

/** Resumes after the callbacks and timers already due have run (setImmediate). */
const nextTurn = Effect.async<void>((resume) => {
  const timer = setImmediate(() => resume(Effect.void));
  return Effect.sync(() => clearImmediate(timer));
});

/** One lane: a queue and at most one batch in flight. */
export const makeLane = <Operation, Answer>(run: RunBatch<Operation, Answer>, bounds: LaneBounds) => {
  const queue: Waiting<Operation, Answer>[] = [];
  let working = false;

  const drain = Effect.gen(function* () {
    while (queue.length > 0) {
      if (bounds.lingerMs > 0 && queue.length > 1 && queue.length < bounds.maxBatch)
        yield* Effect.sleep(bounds.lingerMs);
      const batch = queue.splice(0, bounds.maxBatch);
      const answers = yield* Effect.exit(run(batch.map((waiting) => waiting.operation)));
      batch.forEach((waiting, index) =>
        waiting.answer(
          Exit.flatMap(answers, (all) =>
            index < all.length ? Exit.succeed(all[index] as Answer) : Exit.die(new Error('a batch answered too few')),
          ),
        ),
      );
      // one turn of the event loop: the callers just answered put their next operations in the next batch
      yield* nextTurn;
    }
  }).pipe(
    Effect.ensuring(
      Effect.sync(() => {
        working = false;
        // an operation queued while the worker was stopping starts the next one
        if (queue.length > 0) start();
      }),
    ),
  );

  function start(): void {
    working = true;
    // the worker runs in a fiber of its own: never in the caller's transaction, never interrupted with it
    Effect.runFork(drain);
  }

  /** Queues an operation; the effect ends with its own answer, after its batch committed (or failed). */
  const submit = (operation: Operation): Effect.Effect<Answer> =>
    Effect.flatten(
      Effect.async<Exit.Exit<Answer>>((resume) => {
        queue.push({ operation, answer: (answer) => resume(Effect.succeed(answer)) });
        if (!working) start();
      }),
    );

  return { submit, waiting: () => queue.length };
};

/** FNV-1a of a string: the lane of an account, the same in every process. */
export const laneOf = (key: string, lanes: number): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
};
