// The application's EventPublisher over the confirm publisher: each outbox
// event goes to the events exchange (topic) with its type as the routing key
// and its id as the message id, persistent JSON, and the batch succeeds only
// when the broker has confirmed every event of it.
import {
  EventPublisher,
  EventPublishFailed,
  type EventPublisherService,
  type PendingEvent,
} from '@airtime/application';
import { Effect, Either, Layer } from 'effect';
import type { Topology } from '../topology/topology.table';
import type { ConfirmPublisher, OutgoingMessage } from './confirm-publisher.client';

/** Headers every event carries besides the AMQP `type` property (for header-based routing and tools). */
export const EVENT_TYPE_HEADER = 'x-event-type';
export const EVENT_AGGREGATE_HEADER = 'x-aggregate-id';

/** The AMQP message of an outbox event. */
export const eventMessageOf = (topology: Topology, event: PendingEvent): OutgoingMessage => ({
  exchange: topology.exchanges.events.name,
  routingKey: event.type,
  messageId: event.id,
  type: event.type,
  payload: event.payload,
  timestamp: event.occurredAt,
  headers: { [EVENT_TYPE_HEADER]: event.type, [EVENT_AGGREGATE_HEADER]: event.aggregateId },
});

/**
 * Publishes a batch of events at once (each with its own confirm) and waits
 * for all of them; fails with `EventPublishFailed` naming how many were not
 * confirmed and the first failure's kind, so that none is marked sent. The
 * confirmed ones are published again with the batch (same message ids).
 */
export const makeEventPublisher = (publisher: ConfirmPublisher, topology: Topology): EventPublisherService => ({
  publish: (events) =>
    Effect.gen(function* () {
      if (events.length === 0) return;
      const results = yield* Effect.forEach(
        events,
        (event) => Effect.either(publisher.publish(eventMessageOf(topology, event))),
        { concurrency: 'unbounded' },
      );
      const failures = results.filter(Either.isLeft).map((result) => result.left);
      const [first] = failures;
      if (first === undefined) return;
      return yield* Effect.fail(
        new EventPublishFailed({
          reason: `${failures.length} of ${events.length} events not confirmed (${first.kind}: ${first.reason})`,
        }),
      );
    }),
});

/** The EventPublisher layer over a confirm publisher the app owns (and closes). */
export const eventPublisherLayer = (publisher: ConfirmPublisher, topology: Topology): Layer.Layer<EventPublisher> =>
  Layer.succeed(EventPublisher, makeEventPublisher(publisher, topology));
