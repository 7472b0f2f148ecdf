// Watching a use case's reads of top-ups by id: how many it makes, or what
// happens between a read and what the use case does with it.
import { TopUpRepository } from '@airtime/domain';
import { Effect } from 'effect';

/**
 * `effect` with every `TopUpRepository.findById` it makes followed by
 * `afterRead(id, readsSoFar)` (1 for the first read), run before the read's
 * answer reaches the use case: count reads, or commit another writer's
 * change right after one.
 */
export const observingTopUpReads = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  afterRead: (id: string, reads: number) => Effect.Effect<void>,
): Effect.Effect<A, E, R | TopUpRepository> =>
  Effect.flatMap(TopUpRepository, (repository) => {
    let reads = 0;
    return Effect.provideService(effect, TopUpRepository, {
      ...repository,
      findById: (id) => Effect.tap(repository.findById(id), () => afterRead(id, (reads += 1))),
    });
  });
