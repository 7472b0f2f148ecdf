// The refusal of `npm run admin -- account callback-secret`: the account
// already has a signing secret and --rotate was not given.
import { taggedError } from '@airtime/domain';

/**
 * The account already signs its callbacks with a secret, which its callback
 * receivers check: replacing it by accident would make them refuse every
 * callback, so a new one is made only with --rotate. Nothing was changed.
 * Two runs for the same account at once: the first write is kept and the
 * other run is refused (its secret was never stored, never printed).
 */
export class CallbackSecretExists extends taggedError('CallbackSecretExists', {
  code: 'CALLBACK_SECRET_EXISTS',
  retryable: false,
})<{
  readonly accountId: string;
}>(() => 'the account already has a callback signing secret') {}
