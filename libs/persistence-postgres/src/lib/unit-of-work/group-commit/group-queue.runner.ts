// One queue, several committers: a unit of work waits here until a
// committer takes it with every other unit waiting (up to `maxGroup`). A
// committer starts when a unit arrives and fewer than `groups` are running,
// so a unit arriving at an idle queue goes at once; under load, groups form
// by themselves while the running ones commit.
import { Effect, Exit } from 'effect';

/** What a committer runs: a group of items, answered in the same order, never failing as a whole. */
export type RunGroup<Item, Answer> = (items: readonly Item[]) => Effect.Effect<readonly Answer[]>;

export interface GroupBounds {
  /** Committers at most, each running one group (one transaction, one connection) at a time. */
  readonly groups: number;
  /** Items in one group at most. */
  readonly maxGroup: number;
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

export const makeGroupQueue = <Item, Answer>(run: RunGroup<Item, Answer>, bounds: GroupBounds) => {
  const queue: Waiting<Item, Answer>[] = [];
  let running = 0;

  const committer = Effect.gen(function* () {
    while (queue.length > 0) {
      const group = queue.splice(0, bounds.maxGroup);
      const answers = yield* Effect.exit(run(group.map((waiting) => waiting.item)));
      group.forEach((waiting, index) =>
        waiting.answer(
          Exit.flatMap(answers, (all) =>
            index < all.length ? Exit.succeed(all[index] as Answer) : Exit.die(new Error('a group answered too few')),
          ),
        ),
      );
      // one turn of the event loop: the callers just answered may put their next units in the next group
      yield* nextTurn;
    }
  }).pipe(
    Effect.ensuring(
      Effect.sync(() => {
        running--;
        if (queue.length > running) start();
      }),
    ),
  );

  function start(): void {
    running++;
    // a committer runs in a fiber of its own: never in a caller's, never interrupted with it
    Effect.runFork(committer);
  }

  /** Queues an item; the effect ends with its own answer, after its group committed (or failed). */
  const submit = (item: Item): Effect.Effect<Answer> =>
    Effect.flatten(
      Effect.async<Exit.Exit<Answer>>((resume) => {
        queue.push({ item, answer: (answer) => resume(Effect.succeed(answer)) });
        if (running < bounds.groups) start();
      }),
    );

  return { submit, waiting: () => queue.length };
};
