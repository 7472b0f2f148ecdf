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
 * What the outbox relay needs from the store. `claimBatch` locks the first
 * unsent messages in the order they were appended (the outbox's `sequence`;
 * within one transaction, the order of its appends) that no other relay
 * holds, and must run inside a unit of work: the locks last until it
 * commits (after `markSent`) or rolls back (the messages are offered
 * again). It leaves out a message while an earlier unsent message of the
 * same aggregate is held by another relay, so two relays never publish the
 * events of one top-up out of order.
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
      // The rows locked but left out (an earlier event of their aggregate is another relay's) stay
      // locked until this unit of work ends, unmarked, and are offered again after it.
      const rows = yield* sql(
        dataSource,
        `WITH claimed AS (
           SELECT id, type, aggregate_id, payload, occurred_at, publish_attempts, sequence
           FROM outbox WHERE sent_at IS NULL
           ORDER BY sequence
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
         SELECT id, type, aggregate_id, payload, occurred_at, publish_attempts
         FROM claimed
         WHERE NOT EXISTS (
           SELECT 1 FROM outbox AS earlier
           WHERE earlier.aggregate_id = claimed.aggregate_id AND earlier.sent_at IS NULL
             AND earlier.sequence < claimed.sequence
             AND earlier.id NOT IN (SELECT id FROM claimed))
         ORDER BY sequence`,
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
