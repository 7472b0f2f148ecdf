// Where `npm run admin -- account callback-secret` stores an account's
// callback signing secret: the application's CallbackDeliveryStore only
// reads it (signingSecretOf), so the admin tool has this port of its own,
// implemented over PostgreSQL by setCallbackSigningSecret
// (@airtime/persistence-postgres) and in memory by setInMemoryCallbackSecret.
import type { PersistenceFailure } from '@airtime/domain';
import { Context, type Effect } from 'effect';

export interface CallbackSecretWriterService {
  /** Sets (or replaces) the secret the account's callbacks are signed with; the secret is never part of a failure. */
  readonly set: (accountId: string, secret: string) => Effect.Effect<void, PersistenceFailure>;
}

export class CallbackSecretWriter extends Context.Tag('@airtime/tools/admin/CallbackSecretWriter')<
  CallbackSecretWriter,
  CallbackSecretWriterService
>() {}
