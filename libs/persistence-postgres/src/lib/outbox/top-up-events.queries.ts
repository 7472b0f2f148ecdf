// The outbox events of one top-up (its aggregate id), in the order they were
// appended, for the console's view of a top-up (TopUpQueries.eventsOf).
import type { StoredTopUpEvent } from '@airtime/application';
import type { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { decodeStored } from '../shared/codec-support';
import { sql } from '../unit-of-work/sql';

const EventRow = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  payload: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  occurred_at: Schema.ValidDateFromSelf,
  sent_at: Schema.NullOr(Schema.ValidDateFromSelf),
  publish_attempts: Schema.Int,
});

const decodeEventRow = decodeStored(EventRow);

/**
 * The events whose aggregate is `topUpId`, `sequence` ascending (the order
 * they were appended, the order the relay publishes them), served by
 * outbox_by_aggregate; a row that does not decode is a non-retryable
 * `PersistenceFailure`.
 */
export const topUpEventsOf = (
  dataSource: DataSource,
  topUpId: string,
): Effect.Effect<readonly StoredTopUpEvent[], PersistenceFailure> =>
  Effect.flatMap(
    sql(
      dataSource,
      `SELECT id, type, payload, occurred_at, sent_at, publish_attempts
       FROM outbox WHERE aggregate_id = $1 ORDER BY sequence`,
      [topUpId],
    ),
    (rows) =>
      Either.all(
        rows.map((row) =>
          Either.map(
            decodeEventRow(row, `outbox event ${typeof row['id'] === 'string' ? row['id'] : '(no id)'}`),
            (event): StoredTopUpEvent => ({
              id: event.id,
              type: event.type,
              payload: event.payload,
              occurredAt: event.occurred_at,
              sentAt: event.sent_at ?? undefined,
              publishAttempts: event.publish_attempts,
            }),
          ),
        ),
      ),
  );
