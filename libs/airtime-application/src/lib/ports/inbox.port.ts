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
}

export class Inbox extends Context.Tag('@airtime/application/Inbox')<Inbox, InboxService>() {}
