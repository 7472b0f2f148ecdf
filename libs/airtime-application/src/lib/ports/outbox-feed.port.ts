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
  /**
   * Locks the first unsent events in the order they were appended (within one
   * unit of work, the order of its appends) that no other relay holds, inside
   * a unit of work (the locks end with it), and returns them in that order.
   * An event is left out while an earlier unsent event of its aggregate is
   * held by another relay, so the events of one top-up are never published
   * out of order.
   */
  readonly claimBatch: (limit: number) => Effect.Effect<readonly PendingEvent[], PersistenceFailure>;
  readonly markSent: (ids: readonly string[], now: Date) => Effect.Effect<void, PersistenceFailure>;
  readonly recordPublishFailure: (ids: readonly string[]) => Effect.Effect<void, PersistenceFailure>;
}

export class OutboxFeed extends Context.Tag('@airtime/application/OutboxFeed')<OutboxFeed, OutboxFeedService>() {}
