// The directory of customer accounts: who may hold balances and API keys.
// The ledger keeps an account's balances per currency; the directory keeps
// the account itself (opened once, by an operator).
import { Context, type Effect, type Option } from 'effect';
import type { PersistenceFailure } from '@airtime/domain';
import type { AccountAlreadyExists } from './accounts.errors';

/** A customer account (a team or a client of the platform). */
export interface Account {
  /** The account id (the domain's identifier rule, `checkAccountId`). */
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

export interface AccountDirectoryService {
  /** Adds an account; `AccountAlreadyExists` when its id is taken. Answers the stored account. */
  readonly create: (account: Account) => Effect.Effect<Account, AccountAlreadyExists | PersistenceFailure>;
  readonly find: (id: string) => Effect.Effect<Option.Option<Account>, PersistenceFailure>;
}

export class AccountDirectory extends Context.Tag('@airtime/application/AccountDirectory')<
  AccountDirectory,
  AccountDirectoryService
>() {}
