import { Context, type Effect } from 'effect';
import type { PersistenceFailure } from './persistence.errors';

/** An event to publish, recorded in the same unit of work as the change that caused it. */
export interface OutboxEvent {
  readonly id: string;
  /** Routing key, e.g. "topup.completed". */
  readonly type: string;
  readonly aggregateId: string;
  /** JSON-safe payload (amounts as decimal strings, never numbers). */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly occurredAt: Date;
}

export interface OutboxService {
  readonly append: (event: OutboxEvent) => Effect.Effect<void, PersistenceFailure>;
  /**
   * `append` for many events at once (one statement on PostgreSQL), in the
   * caller's unit of work: each event id is stored once, the first one
   * standing, as with `append`. An event that cannot be stored (a payload
   * that is not a JSON object) fails the call with a `PersistenceFailure`
   * naming it, before anything is written. An empty list does nothing.
   */
  readonly appendAll: (events: readonly OutboxEvent[]) => Effect.Effect<void, PersistenceFailure>;
}

export class Outbox extends Context.Tag('@airtime/domain/Outbox')<Outbox, OutboxService>() {}
