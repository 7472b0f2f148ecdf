// A broker for the relay specs: records every event that reached it, and
// fails the publishes it is told to, after part of the batch got through (a
// confirm lost with its connection leaves routed messages behind).
import { Effect, Layer } from 'effect';
import { EventPublishFailed } from '../lib/ports/event-publisher.errors';
import { EventPublisher, type EventPublisherService } from '../lib/ports/event-publisher.port';
import type { PendingEvent } from '../lib/ports/outbox-feed.port';

export interface RelayEventPublisher {
  readonly service: EventPublisherService;
  readonly layer: Layer.Layer<EventPublisher>;
  /** Every event that reached the broker, in order (a failed publish's routed part included). */
  readonly routed: () => readonly PendingEvent[];
  /** Event ids of the publishes that were confirmed. */
  readonly confirmed: () => readonly string[];
  /** Publish calls so far. */
  readonly calls: () => number;
  /** From now on, publishes fail (true) or succeed (false). */
  readonly setFailing: (failing: boolean) => void;
}

export interface RelayEventPublisherOptions {
  /** Fails the n-th publish call (1-based) when it answers true. */
  readonly failOnCall?: ((call: number) => boolean) | undefined;
  /** Awaited inside each publish, before anything is routed (e.g. a `fc.scheduler()` task). */
  readonly pause?: ((batch: readonly PendingEvent[]) => Promise<void>) | undefined;
}

export const makeRelayEventPublisher = (options: RelayEventPublisherOptions = {}): RelayEventPublisher => {
  const routed: PendingEvent[] = [];
  const confirmed: string[] = [];
  let calls = 0;
  let failing = false;
  const pause = options.pause;

  const service: EventPublisherService = {
    publish: (events) =>
      Effect.gen(function* () {
        calls += 1;
        const call = calls;
        if (pause !== undefined) yield* Effect.promise(() => pause(events));
        if (failing || options.failOnCall?.(call) === true) {
          // the first half got through before the connection dropped; none was confirmed
          routed.push(...events.slice(0, Math.floor(events.length / 2)));
          return yield* Effect.fail(new EventPublishFailed({ reason: 'the connection was lost before the confirms' }));
        }
        routed.push(...events);
        confirmed.push(...events.map((event) => event.id));
      }),
  };

  return {
    service,
    layer: Layer.succeed(EventPublisher, service),
    routed: () => [...routed],
    confirmed: () => [...confirmed],
    calls: () => calls,
    setFailing: (value) => {
      failing = value;
    },
  };
};
