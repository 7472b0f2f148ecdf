import { Inbox } from '@airtime/application';
import { PersistenceFailure } from '@airtime/domain';
import { Effect, FiberRef, Layer } from 'effect';
import type { DataSource } from 'typeorm';
import { currentManager, sql } from '../unit-of-work/sql';

/**
 * The inbox of message consumers: `claim` records that `consumer` processes
 * `messageId`, in the caller's unit of work, so that the record commits
 * with the message's effect or not at all. `true` the first time; `false`
 * for a redelivery of a message already processed (ack it, do nothing). A
 * concurrent claim of the same message waits for the first to commit or
 * roll back.
 */
export interface ProcessedMessagesStore {
  readonly claim: (consumer: string, messageId: string) => Effect.Effect<boolean, PersistenceFailure>;
}

export const makeProcessedMessages = (dataSource: DataSource): ProcessedMessagesStore => ({
  claim: (consumer, messageId) =>
    Effect.gen(function* () {
      if ((yield* FiberRef.get(currentManager)) === undefined) {
        return yield* Effect.fail(
          new PersistenceFailure({
            reason:
              'claiming a message must run inside the unit of work of its effect (else a failed effect would leave it claimed)',
            retryable: false,
          }),
        );
      }
      const claimed = yield* sql(
        dataSource,
        `INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2)
         ON CONFLICT (consumer, message_id) DO NOTHING
         RETURNING message_id`,
        [consumer, messageId],
      );
      return claimed.length > 0;
    }),
});

/** The application's `Inbox` port over `processed_messages`. */
export const inboxLayer = (dataSource: DataSource) => Layer.succeed(Inbox, makeProcessedMessages(dataSource));
