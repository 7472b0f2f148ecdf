// The input of "set an account's credit limit" (admin CLI).
import { Schema } from 'effect';
import { AccountIdField, CurrencyCodeField, DecimalText } from '../api-access/api-fields.schema';

/**
 * - `accountId`: an account of the directory;
 * - `currency`: ISO 4217 code of the ledger account (opened with this limit when missing);
 * - `creditLimit`: decimal text in major units, zero or more, exact in the currency: how far
 *   `available` may go below zero.
 */
export const SetAccountCreditLimitInput = Schema.Struct({
  accountId: AccountIdField,
  currency: CurrencyCodeField,
  creditLimit: DecimalText,
}).annotations({ identifier: 'SetAccountCreditLimitInput' });

export type SetAccountCreditLimitInput = typeof SetAccountCreditLimitInput.Type;
export type SetAccountCreditLimitInputJson = typeof SetAccountCreditLimitInput.Encoded;
