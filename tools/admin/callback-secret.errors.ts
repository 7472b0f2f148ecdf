// The refusal of `npm run admin -- account callback-secret`: the account
// already has a signing secret and --rotate was not given.
import { taggedError } from '@airtime/domain';

/**
 * The account already signs its callbacks with a secret, which its callback
 * receivers check: replacing it by accident would make them refuse every
 * callback, so a new one is made only with --rotate. Nothing was changed.
 * (The check and the write are two steps: two operators running the command
 * for the same account at the same moment may both be answered, the later
 * write winning.)
 */
export class CallbackSecretExists extends taggedError('CallbackSecretExists', {
  code: 'CALLBACK_SECRET_EXISTS',
  retryable: false,
})<{
  readonly accountId: string;
}>(() => 'the account already has a callback signing secret') {}
