// The errors every API and admin use case shares: an input that does not
// decode, and an account the caller may not see (or that does not exist:
// the two are one answer, so that a key learns nothing of other accounts).
import { taggedError } from '@airtime/domain';

/** An input that does not decode or breaks a rule; `field` names the (first) field, never its value. */
export class InvalidInput extends taggedError('InvalidInput', { code: 'INVALID_INPUT', retryable: false })<{
  readonly field: string;
  readonly reason: string;
}>((e) => `invalid input (${e.field}): ${e.reason}`) {}

/**
 * No such customer account, or not one of the caller's (its API key's scope
 * does not include it): the API answers both 404. Not the ledger's
 * `AccountNotFound` (which is about an account in one currency), but the
 * same code.
 */
export class CustomerAccountNotFound extends taggedError('CustomerAccountNotFound', {
  code: 'ACCOUNT_NOT_FOUND',
  retryable: false,
})<{
  readonly accountId: string;
}>(() => 'no such account') {}
