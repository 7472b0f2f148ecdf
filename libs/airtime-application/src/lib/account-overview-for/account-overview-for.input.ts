// The input of "an overview of the caller's accounts" (the console's home
// page): which account, or all of them.
import { Schema } from 'effect';
import { AccountIdField } from '../api-access/api-fields.schema';

/** `accountId`: one of the caller's accounts (default: all of them). */
export const AccountOverviewForInput = Schema.Struct({
  accountId: Schema.optional(AccountIdField),
}).annotations({ identifier: 'AccountOverviewForInput' });

export type AccountOverviewForInput = typeof AccountOverviewForInput.Type;
export type AccountOverviewForInputJson = typeof AccountOverviewForInput.Encoded;
