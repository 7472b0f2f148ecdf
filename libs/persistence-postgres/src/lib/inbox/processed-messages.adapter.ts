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
  /** `claim` of many messages in one statement: the ids claimed now (see the Inbox port). */
  readonly claimAll: (
    consumer: string,
    messageIds: readonly string[],
  ) => Effect.Effect<ReadonlySet<string>, PersistenceFailure>;
}

const insideUnitOfWork = Effect.flatMap(FiberRef.get(currentManager), (manager) =>
  manager === undefined
    ? Effect.fail(
        new PersistenceFailure({
          reason:
            'claiming a message must run inside the unit of work of its effect (else a failed effect would leave it claimed)',
          retryable: false,
        }),
      )
    : Effect.void,
);

export const makeProcessedMessages = (dataSource: DataSource): ProcessedMessagesStore => ({
  claimAll: (consumer, messageIds) =>
    Effect.gen(function* () {
      yield* insideUnitOfWork;
      if (messageIds.length === 0) return new Set<string>();
      // each id as the column will hold it (pg sends UTF-8: an unpaired surrogate arrives as U+FFFD), with the
      // first id given for it: the answer names ids as given, and two ids stored alike are one claim (as with claim)
      const given = new Map<string, string>();
      for (const id of messageIds) {
        const stored = Buffer.from(id, 'utf8').toString('utf8');
        if (!given.has(stored)) given.set(stored, id);
      }
      const claimed = yield* sql<{ readonly message_id: string }>(
        dataSource,
        `INSERT INTO processed_messages (consumer, message_id)
         SELECT $1, m FROM unnest($2::text[]) AS m
         ON CONFLICT (consumer, message_id) DO NOTHING
         RETURNING message_id`,
        [consumer, [...given.keys()]],
      );
      return new Set(claimed.map((row) => given.get(row.message_id) ?? row.message_id));
    }),
  claim: (consumer, messageId) =>
    Effect.gen(function* () {
      yield* insideUnitOfWork;
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
