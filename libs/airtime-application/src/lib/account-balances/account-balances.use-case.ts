// The balances of one of the caller's accounts, per currency.
import type { LedgerAccount, PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { CustomerAccountNotFound, InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { fieldsOf, type ScopedRequest } from '../api-access/api-principal';
import { checkAccountScope } from '../api-access/api-scope.check';
import { LedgerQueries } from '../ports/ledger-queries.port';
import { AccountBalancesInput, type AccountBalancesInputJson } from './account-balances.input';

export type AccountBalancesError = InvalidInput | CustomerAccountNotFound | PersistenceFailure;

/**
 * The account's ledger accounts, one per currency it was opened in, by
 * currency code (available, holding, credit limit and running totals, in
 * minor units; `formatMoney` writes them exactly). Empty for an account
 * never funded. `CustomerAccountNotFound` for an account out of the
 * principal's scope (whether or not it exists).
 */
export const accountBalances = (
  request: ScopedRequest<AccountBalancesInputJson>,
): Effect.Effect<readonly LedgerAccount[], AccountBalancesError, LedgerQueries> =>
  Effect.gen(function* () {
    const { accountId } = yield* decodeInput(AccountBalancesInput)(fieldsOf(request));
    yield* checkAccountScope(request.principal, accountId);
    return yield* Effect.flatMap(LedgerQueries, (queries) => queries.balancesOf(accountId));
  });
