// The errors requestTopUp adds to those of quoting.
import { taggedError } from '@airtime/domain';

/**
 * The account already used this external id for a request that differs:
 * `field` is the first field that differs (in the input's spelling), never
 * either value. A repeat with the same payload is not an error: it answers
 * the existing top-up.
 */
export class ExternalIdConflict extends taggedError('ExternalIdConflict', {
  code: 'EXTERNAL_ID_CONFLICT',
  retryable: false,
})<{
  readonly field: string;
}>((e) => `the external id was already used for a request that differs at ${e.field}`) {}

/**
 * The request names a `callback_url`, but its account has no callback
 * signing secret: its callbacks could never be signed, so none would ever
 * be sent. Nothing is written. An operator makes the secret (`npm run admin
 * -- account callback-secret --id <account>`), or the request goes without
 * `callback_url`. A repeat of a request accepted earlier is answered as a
 * repeat, secret or not.
 */
export class CallbackSecretMissing extends taggedError('CallbackSecretMissing', {
  code: 'CALLBACK_SECRET_MISSING',
  retryable: false,
})(
  () =>
    'the account has no callback signing secret, so no callback could be signed: an operator makes one ' +
    '(admin account callback-secret), or the request goes without callback_url',
) {}
