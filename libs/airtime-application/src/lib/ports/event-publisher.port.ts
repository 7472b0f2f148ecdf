// Publishes events to the broker with confirms (the messaging lib's adapter implements it).
import { Context, type Effect } from 'effect';
import type { EventPublishFailed } from './event-publisher.errors';
import type { PendingEvent } from './outbox-feed.port';

export interface EventPublisherService {
  /** Resolves only when the broker has confirmed every event of the batch; fails otherwise (none is marked sent). */
  readonly publish: (events: readonly PendingEvent[]) => Effect.Effect<void, EventPublishFailed>;
}

export class EventPublisher extends Context.Tag('@airtime/application/EventPublisher')<
  EventPublisher,
  EventPublisherService
>() {}
