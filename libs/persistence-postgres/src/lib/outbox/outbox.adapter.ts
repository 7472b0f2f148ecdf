import { Outbox, type OutboxEvent, type OutboxService, PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer } from 'effect';
import type { DataSource } from 'typeorm';
import { isoOf } from '../shared/codec-support';
import { sql } from '../unit-of-work/sql';
import { jsonProblem } from './json-payload.check';

/** An event as its row's values, or why it cannot be stored (a payload that is not a JSON object). */
const rowOf = (event: OutboxEvent) =>
  Either.gen(function* () {
    const problem =
      typeof event.payload !== 'object' || event.payload === null || Array.isArray(event.payload)
        ? 'the payload is not a JSON object'
        : jsonProblem(event.payload);
    if (problem !== undefined) {
      return yield* Either.left(
        new PersistenceFailure({ reason: `outbox event ${event.id} (${event.type}): ${problem}`, retryable: false }),
      );
    }
    const occurredAt = yield* isoOf(event.occurredAt, `outbox event ${event.id}: occurrence time`);
    return { id: event.id, type: event.type, aggregate_id: event.aggregateId, payload: event.payload, occurredAt };
  });

/**
 * The outbox on PostgreSQL: `append` writes the event in the current unit
 * of work, so it is stored if and only if the change that caused it is. The
 * same event id twice is stored once (the first one stands). `appendAll`
 * writes many in one statement (a JSON array of rows), with the same rules;
 * an event that cannot be stored fails the call before anything is written.
 */
export const makeOutbox = (dataSource: DataSource): OutboxService => ({
  append: (event: OutboxEvent) =>
    Effect.gen(function* () {
      const row = yield* rowOf(event);
      yield* sql(
        dataSource,
        `INSERT INTO outbox (id, type, aggregate_id, payload, occurred_at)
         VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz)
         ON CONFLICT (id) DO NOTHING`,
        [row.id, row.type, row.aggregate_id, JSON.stringify(row.payload), row.occurredAt],
      );
    }),
  appendAll: (events: readonly OutboxEvent[]) =>
    Effect.gen(function* () {
      if (events.length === 0) return;
      const rows = yield* Effect.forEach(events, rowOf);
      yield* sql(
        dataSource,
        `INSERT INTO outbox (id, type, aggregate_id, payload, occurred_at)
         SELECT e.row->>'id', e.row->>'type', e.row->>'aggregate_id', e.row->'payload',
           (e.row->>'occurred_at')::timestamptz
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(row, n)
         ORDER BY e.n
         ON CONFLICT (id) DO NOTHING`,
        [
          JSON.stringify(
            rows.map((row) => ({
              id: row.id,
              type: row.type,
              aggregate_id: row.aggregate_id,
              payload: row.payload,
              occurred_at: row.occurredAt,
            })),
          ),
        ],
      );
    }),
});

export const outboxLayer = (dataSource: DataSource) => Layer.succeed(Outbox, makeOutbox(dataSource));
