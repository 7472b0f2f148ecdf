// A queue of items answered in batches: up to `workers` workers each take
// every item waiting (up to `maxBatch`), run them as one batch and answer
// each item, then take the next batch while callers keep arriving. A worker
// starts when an item arrives and fewer than `workers` are running, so an
// item arriving at an idle queue goes at once (a batch of one: no added
// latency); under load, batches form by themselves while the running ones
// commit. The batched ledger store's lanes (one worker each) and the
// group-commit unit of work (its groups as workers) are such queues.
import { Effect, Exit } from 'effect';

/** What a worker runs: a batch of items, answered in the same order, never failing as a whole. */
export type RunBatch<Item, Answer> = (items: readonly Item[]) => Effect.Effect<readonly Answer[]>;

export interface BatchQueueBounds {
  /** Workers at most, each running one batch at a time. */
  readonly workers: number;
  /** Items in one batch at most. */
  readonly maxBatch: number;
  /**
   * How long a worker may wait for more items before it starts a batch that
   * is not full (milliseconds; 0: never wait). Only when two or more are
   * already waiting, so an item alone never waits.
   */
  readonly lingerMs: number;
}

interface Waiting<Item, Answer> {
  readonly item: Item;
  readonly answer: (answer: Exit.Exit<Answer>) => void;
}

/** Resumes after the callbacks and timers already due have run (setImmediate). */
const nextTurn = Effect.async<void>((resume) => {
  const timer = setImmediate(() => resume(Effect.void));
  return Effect.sync(() => clearImmediate(timer));
});

export const makeBatchQueue = <Item, Answer>(run: RunBatch<Item, Answer>, bounds: BatchQueueBounds) => {
  const queue: Waiting<Item, Answer>[] = [];
  let running = 0;

  const worker = Effect.gen(function* () {
    while (queue.length > 0) {
      if (bounds.lingerMs > 0 && queue.length > 1 && queue.length < bounds.maxBatch)
        yield* Effect.sleep(bounds.lingerMs);
      const batch = queue.splice(0, bounds.maxBatch);
      // every item that waited through the linger may have been taken back by its interrupted caller
      if (batch.length === 0) continue;
      const answers = yield* Effect.exit(run(batch.map((waiting) => waiting.item)));
      batch.forEach((waiting, index) =>
        waiting.answer(
          Exit.flatMap(answers, (all) =>
            index < all.length ? Exit.succeed(all[index] as Answer) : Exit.die(new Error('a batch answered too few')),
          ),
        ),
      );
      // one turn of the event loop: the callers just answered put their next items in the next batch
      yield* nextTurn;
    }
  }).pipe(
    Effect.ensuring(
      Effect.sync(() => {
        running--;
        // an item queued while this worker was stopping starts another
        if (queue.length > 0 && running < bounds.workers) start();
      }),
    ),
  );

  function start(): void {
    running++;
    // a worker runs in a fiber of its own: never in a caller's transaction, never interrupted with it
    Effect.runFork(worker);
  }

  /**
   * Queues an item; the effect ends with its own answer, after its batch
   * committed (or failed). A caller interrupted while its item still waits
   * takes the item out of the queue: it is never run. Once its batch has
   * started, the batch goes on (it may commit), as a statement already sent
   * to the database would, and the interruption ends only when that batch
   * has (so that whoever interrupts, a stopping app, may then close what the
   * batch uses).
   */
  const submit = (item: Item): Effect.Effect<Answer> =>
    Effect.flatten(
      Effect.async<Exit.Exit<Answer>>((resume) => {
        let answered: () => void = () => undefined;
        const ended = new Promise<void>((resolve) => (answered = resolve));
        const waiting: Waiting<Item, Answer> = {
          item,
          answer: (answer) => {
            answered();
            resume(Effect.succeed(answer));
          },
        };
        queue.push(waiting);
        if (running < bounds.workers) start();
        return Effect.suspend(() => {
          const index = queue.indexOf(waiting);
          if (index < 0) return Effect.promise(() => ended);
          queue.splice(index, 1);
          return Effect.void;
        });
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
