// Open a customer account in the directory: what API keys are scoped to and
// what the admin funds. Its balances live in the ledger, per currency,
// opened on its first deposit or credit limit.
import { Clock, type PersistenceFailure } from '@airtime/domain';
import { Effect, Option } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { AccountAlreadyExists } from '../ports/accounts.errors';
import { type Account, AccountDirectory } from '../ports/accounts.port';
import { OpenCustomerAccountInput } from './open-customer-account.input';

export interface OpenedCustomerAccount {
  readonly account: Account;
  /** False when an account with this id and name was already open (nothing changed). */
  readonly created: boolean;
}

export type OpenCustomerAccountError = InvalidInput | AccountAlreadyExists | PersistenceFailure;

/**
 * Decodes `OpenCustomerAccountInput` and adds the account to the directory.
 * Opening it again with the same name answers the existing account
 * (`created: false`); with another name, `AccountAlreadyExists`.
 */
export const openCustomerAccount = (
  input: unknown,
): Effect.Effect<OpenedCustomerAccount, OpenCustomerAccountError, AccountDirectory | Clock> =>
  Effect.gen(function* () {
    const { id, name } = yield* decodeInput(OpenCustomerAccountInput)(input);
    const directory = yield* AccountDirectory;
    const existing = yield* directory.find(id);
    if (Option.isSome(existing)) {
      return existing.value.name === name
        ? { account: existing.value, created: false }
        : yield* new AccountAlreadyExists({ accountId: id });
    }
    const createdAt = yield* Effect.flatMap(Clock, (clock) => clock.now());
    const created = yield* directory.create({ id, name, createdAt }).pipe(
      Effect.map((account) => ({ account, created: true })),
      // created meanwhile by another process: the same answer as a repeat
      Effect.catchTag('AccountAlreadyExists', (error) =>
        Effect.flatMap(directory.find(id), (raced) =>
          Option.isSome(raced) && raced.value.name === name
            ? Effect.succeed({ account: raced.value, created: false })
            : Effect.fail(error),
        ),
      ),
    );
    return created;
  });
