// The inbox of message consumers: a processed message id is recorded in the
// same unit of work as the message's effect, so a redelivery has no second effect.
import { Context, type Effect } from 'effect';
import type { PersistenceFailure } from '@airtime/domain';

export interface InboxService {
  /**
   * Records that `consumer` processes `messageId`, inside the caller's unit
   * of work: `true` the first time, `false` for a message already processed.
   * Outside a unit of work it fails with a non-retryable `PersistenceFailure`.
   */
  readonly claim: (consumer: string, messageId: string) => Effect.Effect<boolean, PersistenceFailure>;
  /**
   * `claim` for many messages at once (one statement on PostgreSQL): the ids
   * of `messageIds` claimed now; an id already processed (or named twice) is
   * claimed at most once. Outside a unit of work it fails as `claim` does.
   */
  readonly claimAll: (
    consumer: string,
    messageIds: readonly string[],
  ) => Effect.Effect<ReadonlySet<string>, PersistenceFailure>;
}

export class Inbox extends Context.Tag('@airtime/application/Inbox')<Inbox, InboxService>() {}
