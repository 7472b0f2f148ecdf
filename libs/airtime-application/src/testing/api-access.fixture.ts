// Set-up helpers for the API use cases' specs: customer accounts in the
// directory, funded in the ledger, and principals scoped to them.
import type { TopUp } from '@airtime/domain';
import { Effect } from 'effect';
import type { ApiPrincipal } from '../lib/api-access/api-principal';
import { openCustomerAccount } from '../lib/open-customer-account/open-customer-account.use-case';
import type { RequestTopUpInputJson } from '../lib/request-top-up/request-top-up.input';
import { requestTopUp } from '../lib/request-top-up/request-top-up.use-case';
import type { InMemoryServices } from './in-memory-layers.fixture';
import { fundAccount, sampleRequestInput } from './sample-catalogue.fixture';

/** Opens each account in the directory (name `Account <id>`) and funds it with `amountMinor` USD cents. */
export const openFundedAccounts = (
  accountIds: readonly string[],
  amountMinor = 100_000n,
): Effect.Effect<void, unknown, InMemoryServices> =>
  Effect.forEach(
    accountIds,
    (id) => Effect.zipRight(openCustomerAccount({ id, name: `Account ${id}` }), fundAccount(id, 'USD', amountMinor)),
    { discard: true },
  );

/** A principal (key `key-test`) scoped to the accounts given. */
export const principalOf = (...accountIds: readonly string[]): ApiPrincipal => ({ keyId: 'key-test', accountIds });

/** The top-up of `sampleRequestInput(overrides)` (new or repeated); fails on any refusal. */
export const requestedTopUp = (
  overrides: Partial<RequestTopUpInputJson> = {},
): Effect.Effect<TopUp, unknown, InMemoryServices> =>
  Effect.flatMap(requestTopUp(sampleRequestInput(overrides)), (result) =>
    result._tag === 'AlreadyProcessed' ? Effect.fail(result) : Effect.succeed(result.topUp),
  );
