import { OutboxFeed } from '@airtime/application';
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, FiberRef, Layer, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { decodeStored, isoOf } from '../shared/codec-support';
import { currentManager, sql } from '../unit-of-work/sql';

/** An outbox event waiting to be published. */
export interface OutboxMessage {
  readonly id: string;
  /** Routing key, e.g. "topup.completed". */
  readonly type: string;
  readonly aggregateId: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly occurredAt: Date;
  /** Publishes of this message that failed so far. */
  readonly publishAttempts: number;
}

/**
 * What the outbox relay needs from the store. `claimBatch` locks the oldest
 * unsent messages that no other relay holds, and must run inside a unit of
 * work: the locks last until it commits (after `markSent`) or rolls back
 * (the messages are offered again).
 */
export interface OutboxRelayStore {
  readonly claimBatch: (limit: number) => Effect.Effect<readonly OutboxMessage[], PersistenceFailure>;
  readonly markSent: (ids: readonly string[], now: Date) => Effect.Effect<void, PersistenceFailure>;
  readonly recordPublishFailure: (ids: readonly string[]) => Effect.Effect<void, PersistenceFailure>;
}

const MessageRow = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  aggregate_id: Schema.String,
  payload: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  occurred_at: Schema.ValidDateFromSelf,
  publish_attempts: Schema.Int,
});

const decodeMessageRow = decodeStored(MessageRow);

/** The most messages one claim returns. */
export const MAX_OUTBOX_BATCH = 1000;

export const makeOutboxRelayStore = (dataSource: DataSource): OutboxRelayStore => ({
  claimBatch: (limit) =>
    Effect.gen(function* () {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_OUTBOX_BATCH) {
        return yield* Effect.fail(
          new PersistenceFailure({
            reason: `outbox batch limit must be an integer from 1 to ${MAX_OUTBOX_BATCH}, got ${limit}`,
            retryable: false,
          }),
        );
      }
      if ((yield* FiberRef.get(currentManager)) === undefined) {
        return yield* Effect.fail(
          new PersistenceFailure({
            reason: 'claimBatch must run inside a unit of work (its row locks end with the transaction)',
            retryable: false,
          }),
        );
      }
      const rows = yield* sql(
        dataSource,
        `SELECT id, type, aggregate_id, payload, occurred_at, publish_attempts
         FROM outbox WHERE sent_at IS NULL
         ORDER BY occurred_at, id
         LIMIT $1
         FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      return yield* Either.all(
        rows.map((row) =>
          Either.map(
            decodeMessageRow(row, `outbox message ${typeof row['id'] === 'string' ? row['id'] : '(no id)'}`),
            (message) => ({
              id: message.id,
              type: message.type,
              aggregateId: message.aggregate_id,
              payload: message.payload,
              occurredAt: message.occurred_at,
              publishAttempts: message.publish_attempts,
            }),
          ),
        ),
      );
    }),
  markSent: (ids, now) =>
    ids.length === 0
      ? Effect.void
      : Effect.flatMap(isoOf(now, 'outbox sent time'), (sentAt) =>
          Effect.asVoid(
            sql(
              dataSource,
              `WITH sent AS (UPDATE outbox SET sent_at = $2::timestamptz WHERE id = ANY($1::text[]) AND sent_at IS NULL RETURNING id)
               SELECT count(*) FROM sent`,
              [ids, sentAt],
            ),
          ),
        ),
  recordPublishFailure: (ids) =>
    ids.length === 0
      ? Effect.void
      : Effect.asVoid(
          sql(
            dataSource,
            `WITH failed AS (UPDATE outbox SET publish_attempts = publish_attempts + 1 WHERE id = ANY($1::text[]) AND sent_at IS NULL RETURNING id)
             SELECT count(*) FROM failed`,
            [ids],
          ),
        ),
});

/** The application's `OutboxFeed` port (what the relay reads and marks) over the outbox. */
export const outboxFeedLayer = (dataSource: DataSource) => Layer.succeed(OutboxFeed, makeOutboxRelayStore(dataSource));
