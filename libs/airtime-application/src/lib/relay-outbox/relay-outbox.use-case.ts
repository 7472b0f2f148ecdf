// The outbox relay: publishes the events written with each state change to
// the broker and marks them sent only once the broker has confirmed them.
// The claim's row locks last while the batch is published, so two relays
// never publish the same batch at once; a broker outage leaves the events
// unsent (and counted), to be published by a later run: delayed, never lost.
import { Clock, type PersistenceFailure, UnitOfWork } from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { EventPublishFailed } from '../ports/event-publisher.errors';
import { EventPublisher } from '../ports/event-publisher.port';
import { OutboxFeed } from '../ports/outbox-feed.port';

export interface RelayOutboxOptions {
  /** The most events claimed and published by one run. */
  readonly batchSize: number;
}

/**
 * One run of the relay: claims up to `batchSize` of the oldest unsent events
 * (locks no other relay holds), publishes them with confirms and marks them
 * sent after the confirm, all in one unit of work. Answers how many were
 * published (0 when none was waiting).
 *
 * When the publish fails, nothing is marked sent: the claim's unit of work
 * ends (releasing the locks), the failure is counted on each event in a unit
 * of work of its own, and the run fails with the publish's retryable
 * `EventPublishFailed`. Some events of the batch may have reached the broker
 * anyway (a confirm lost with its connection): they are published again
 * later with the same message id (the event id), and subscribers dedupe.
 * When marking them sent fails after the confirm, they are published again
 * too (at least once).
 */
export const relayOutbox = (
  options: RelayOutboxOptions,
): Effect.Effect<number, EventPublishFailed | PersistenceFailure, UnitOfWork | OutboxFeed | EventPublisher | Clock> =>
  Effect.gen(function* () {
    const unitOfWork = yield* UnitOfWork;
    const feed = yield* OutboxFeed;
    const publisher = yield* EventPublisher;
    const clock = yield* Clock;

    const outcome = yield* unitOfWork.transactionally(
      Effect.gen(function* () {
        const events = yield* feed.claimBatch(options.batchSize);
        if (events.length === 0) return Either.right(0);
        const ids = events.map((event) => event.id);
        const published = yield* Effect.either(publisher.publish(events));
        if (Either.isLeft(published)) return Either.left({ ids, failure: published.left });
        yield* feed.markSent(ids, yield* clock.now());
        return Either.right(events.length);
      }),
    );
    if (Either.isRight(outcome)) return outcome.right;

    // after the claim's unit of work: its row locks are released, so this cannot wait on them
    const { ids, failure } = outcome.left;
    yield* unitOfWork.transactionally(feed.recordPublishFailure(ids)).pipe(
      // the count is for operators; the publish failure is what the caller must see
      Effect.catchAll(() => Effect.void),
    );
    return yield* Effect.fail(failure);
  });
