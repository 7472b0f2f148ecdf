// Where `npm run admin -- account callback-secret` stores an account's
// callback signing secret: the application's CallbackDeliveryStore only
// reads it (signingSecretOf), so the admin tool has this port of its own,
// implemented over PostgreSQL by setCallbackSigningSecret and
// addCallbackSigningSecret (@airtime/persistence-postgres), and in memory in
// the specs.
import type { PersistenceFailure } from '@airtime/domain';
import { Context, type Effect } from 'effect';

export interface CallbackSecretWriterService {
  /** Sets (or replaces) the secret the account's callbacks are signed with; the secret is never part of a failure. */
  readonly set: (accountId: string, secret: string) => Effect.Effect<void, PersistenceFailure>;
  /**
   * Stores the account's first secret: false (nothing changed) when it has
   * one already, even one another session stored a moment before.
   */
  readonly add: (accountId: string, secret: string) => Effect.Effect<boolean, PersistenceFailure>;
}

export class CallbackSecretWriter extends Context.Tag('@airtime/tools/admin/CallbackSecretWriter')<
  CallbackSecretWriter,
  CallbackSecretWriterService
>() {}
