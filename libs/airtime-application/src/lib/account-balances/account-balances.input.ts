// The input of "an account's balances" (GET /v1/accounts/{id}/balance).
import { Schema } from 'effect';
import { AccountIdField } from '../api-access/api-fields.schema';

/** `accountId`: one of the caller's accounts. */
export const AccountBalancesInput = Schema.Struct({
  accountId: AccountIdField,
}).annotations({ identifier: 'AccountBalancesInput' });

export type AccountBalancesInput = typeof AccountBalancesInput.Type;
export type AccountBalancesInputJson = typeof AccountBalancesInput.Encoded;
