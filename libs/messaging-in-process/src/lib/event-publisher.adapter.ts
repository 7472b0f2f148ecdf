// The application's EventPublisher in memory: a published event is kept in
// a bounded list (the last ones, for tools and tests) and handed to the
// in-process subscribers at once. "Published" means recorded: there is no
// broker to confirm, so a batch fails only when the bus is stopped (the
// outbox relay then leaves the events unsent in the outbox and tries again).
// Like a broker, the bus may see the same event twice (the relay publishes a
// batch again when marking it sent failed); subscribers dedupe by event id.
import {
  EventPublisher,
  EventPublishFailed,
  type EventPublisherService,
  type PendingEvent,
} from '@airtime/application';
import { Effect, Layer } from 'effect';
import { makeBoundedList } from './bounded-list';
import type { BusLogger } from './bus-logger';

/** Receives each published event; must be quick (it runs inside the publish). A throw is logged and ignored. */
export type BusEventListener = (event: PendingEvent) => void;

export interface InProcessEventsOptions {
  /** Events kept, at least 1 (the oldest are dropped). */
  readonly capacity: number;
  /** Whether the bus is stopped: a publish then fails. */
  readonly isStopped: () => boolean;
  readonly logger: BusLogger;
}

export interface InProcessEvents {
  readonly publisher: EventPublisherService;
  /** The kept events, in publish order. */
  readonly events: () => readonly PendingEvent[];
  /** Adds a listener of the events published from now on; answers its removal. */
  readonly subscribe: (listener: BusEventListener) => () => void;
}

/** An EventPublisher that records events and notifies in-process subscribers (see the file header). */
export const makeInProcessEvents = (options: InProcessEventsOptions): InProcessEvents => {
  const kept = makeBoundedList<PendingEvent>(options.capacity);
  const listeners = new Set<BusEventListener>();

  const notify = (event: PendingEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        options.logger.error(
          { eventType: event.type, reason: error instanceof Error ? error.name : typeof error },
          'in-process event listener failed',
        );
      }
    }
  };

  return {
    publisher: {
      publish: (events) =>
        Effect.suspend(() => {
          if (options.isStopped()) {
            return Effect.fail(new EventPublishFailed({ reason: 'the in-process bus is stopped' }));
          }
          for (const event of events) {
            kept.add(event);
            notify(event);
          }
          return Effect.void;
        }),
    },
    events: () => kept.items(),
    subscribe: (listener) => {
      // a wrapper of its own, so that subscribing the same function twice gives two independent subscriptions
      const subscription: BusEventListener = (event) => listener(event);
      listeners.add(subscription);
      return () => {
        listeners.delete(subscription);
      };
    },
  };
};

/** The EventPublisher layer of in-process events. */
export const inProcessEventPublisherLayer = (events: InProcessEvents): Layer.Layer<EventPublisher> =>
  Layer.succeed(EventPublisher, events.publisher);
