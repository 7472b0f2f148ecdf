// What a caller may reach: an account of its key's scope (and of the
// directory, for the admin), a top-up of one of its accounts. What it may
// not see is answered as if it did not exist (the API's 404, never 403).
import { type PersistenceFailure, TopUpRepository } from '@airtime/domain';
import { Effect, Option } from 'effect';
import { type Account, AccountDirectory } from '../ports/accounts.port';
import type { VersionedTopUp } from '../top-up-change/save-top-up-change.use-case';
import { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { CustomerAccountNotFound } from './api-access.errors';
import { type ApiPrincipal, canSee } from './api-principal';

/**
 * The account when the principal's scope includes it, else
 * `CustomerAccountNotFound`. For `POST /v1/topups` too: an `account_id` out
 * of the key's scope is "not found".
 */
export const checkAccountScope = (
  principal: ApiPrincipal,
  accountId: string,
): Effect.Effect<string, CustomerAccountNotFound> =>
  canSee(principal, accountId) ? Effect.succeed(accountId) : Effect.fail(new CustomerAccountNotFound({ accountId }));

/** The top-up and its version when it belongs to one of the principal's accounts, else `TopUpNotFound`. */
export const checkTopUpScope = (
  principal: ApiPrincipal,
  topUpId: string,
): Effect.Effect<VersionedTopUp, TopUpNotFound | PersistenceFailure, TopUpRepository> =>
  Effect.flatMap(TopUpRepository, (repository) =>
    Effect.flatMap(repository.findById(topUpId), (found) =>
      Option.isSome(found) && canSee(principal, found.value.topUp.accountId)
        ? Effect.succeed(found.value)
        : Effect.fail(new TopUpNotFound({ topUpId })),
    ),
  );

/** The account of the directory (admin operations), else `CustomerAccountNotFound`. */
export const directoryAccount = (
  accountId: string,
): Effect.Effect<Account, CustomerAccountNotFound | PersistenceFailure, AccountDirectory> =>
  Effect.flatMap(AccountDirectory, (directory) =>
    Effect.flatMap(directory.find(accountId), (found) =>
      Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(new CustomerAccountNotFound({ accountId })),
    ),
  );
