// The errors of the account directory.
import { taggedError } from '@airtime/domain';

/** An account with this id is already in the directory (ids are the caller's and unique). */
export class AccountAlreadyExists extends taggedError('AccountAlreadyExists', {
  code: 'ACCOUNT_ALREADY_EXISTS',
  retryable: false,
})<{
  readonly accountId: string;
}>(() => 'an account with this id already exists') {}
