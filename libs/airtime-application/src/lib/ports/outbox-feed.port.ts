// What the outbox relay reads and marks: the persistence lib's OutboxRelayStore has this shape.
import { Context, type Effect } from 'effect';
import type { PersistenceFailure } from '@airtime/domain';

/** An outbox event waiting to be published. */
export interface PendingEvent {
  readonly id: string;
  /** Routing key, e.g. "topup.completed". */
  readonly type: string;
  readonly aggregateId: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly occurredAt: Date;
  readonly publishAttempts: number;
}

export interface OutboxFeedService {
  /** Locks the oldest unsent events no other relay holds; inside a unit of work (the locks end with it). */
  readonly claimBatch: (limit: number) => Effect.Effect<readonly PendingEvent[], PersistenceFailure>;
  readonly markSent: (ids: readonly string[], now: Date) => Effect.Effect<void, PersistenceFailure>;
  readonly recordPublishFailure: (ids: readonly string[]) => Effect.Effect<void, PersistenceFailure>;
}

export class OutboxFeed extends Context.Tag('@airtime/application/OutboxFeed')<OutboxFeed, OutboxFeedService>() {}
