// The input of "deposit funds" (admin CLI).
import { Schema } from 'effect';
import { AccountIdField, CurrencyCodeField, DecimalText, DepositIdField } from '../api-access/api-fields.schema';

/**
 * - `accountId`: an account of the directory;
 * - `currency`: ISO 4217 code of the deposit (the account's ledger account in it is opened when missing);
 * - `amount`: decimal text in major units, more than zero, exact in the currency ("100.50");
 * - `depositId`: the deposit's idempotency key (the same id never credits twice).
 */
export const DepositFundsInput = Schema.Struct({
  accountId: AccountIdField,
  currency: CurrencyCodeField,
  amount: DecimalText,
  depositId: DepositIdField,
}).annotations({ identifier: 'DepositFundsInput' });

export type DepositFundsInput = typeof DepositFundsInput.Type;
export type DepositFundsInputJson = typeof DepositFundsInput.Encoded;
