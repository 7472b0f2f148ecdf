import { Outbox, type OutboxEvent, type OutboxService, PersistenceFailure } from '@airtime/domain';
import { Effect, Layer } from 'effect';
import type { DataSource } from 'typeorm';
import { isoOf } from '../shared/codec-support';
import { sql } from '../unit-of-work/sql';
import { jsonProblem } from './json-payload.check';

/**
 * The outbox on PostgreSQL: `append` writes the event in the current unit
 * of work, so it is stored if and only if the change that caused it is. The
 * same event id twice is stored once (the first one stands).
 */
export const makeOutbox = (dataSource: DataSource): OutboxService => ({
  append: (event: OutboxEvent) =>
    Effect.gen(function* () {
      const problem =
        typeof event.payload !== 'object' || event.payload === null || Array.isArray(event.payload)
          ? 'the payload is not a JSON object'
          : jsonProblem(event.payload);
      if (problem !== undefined) {
        return yield* Effect.fail(
          new PersistenceFailure({ reason: `outbox event ${event.id} (${event.type}): ${problem}`, retryable: false }),
        );
      }
      const occurredAt = yield* isoOf(event.occurredAt, `outbox event ${event.id}: occurrence time`);
      yield* sql(
        dataSource,
        `INSERT INTO outbox (id, type, aggregate_id, payload, occurred_at)
         VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz)
         ON CONFLICT (id) DO NOTHING`,
        [event.id, event.type, event.aggregateId, JSON.stringify(event.payload), occurredAt],
      );
    }),
});

export const outboxLayer = (dataSource: DataSource) => Layer.succeed(Outbox, makeOutbox(dataSource));
