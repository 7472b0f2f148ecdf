// Set a customer account's credit limit in one currency through the
// domain's LedgerStore (its ledger account is opened with it when missing).
import {
  type Currency,
  type LedgerAccount,
  type LedgerError,
  LedgerStore,
  type PersistenceFailure,
} from '@airtime/domain';
import { Effect } from 'effect';
import type { CustomerAccountNotFound, InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { directoryAccount } from '../api-access/api-scope.check';
import { checkAmountField, checkCurrencyField } from '../api-access/money-input.check';
import type { AccountDirectory } from '../ports/accounts.port';
import { SetAccountCreditLimitInput } from './set-account-credit-limit.input';

export type SetAccountCreditLimitError = InvalidInput | CustomerAccountNotFound | LedgerError | PersistenceFailure;

/**
 * The account's ledger account in `currency`, opened with `creditLimitMinor`
 * (0 by default) when missing; an account already open keeps its limit
 * (also when another process opened it meanwhile with another one).
 * Answers whether this call opened it.
 */
export const ensureLedgerAccount = (
  accountId: string,
  currency: Currency,
  creditLimitMinor = 0n,
): Effect.Effect<boolean, LedgerError | PersistenceFailure, LedgerStore> =>
  Effect.flatMap(LedgerStore, (ledger) =>
    ledger.account(accountId, currency.code).pipe(
      Effect.as(false),
      Effect.catchTag('AccountNotFound', () =>
        ledger.openAccount({ accountId, currency, creditLimitMinor }).pipe(
          Effect.as(true),
          Effect.catchTag('AccountAlreadyOpen', () => Effect.succeed(false)),
        ),
      ),
    ),
  );

/**
 * Decodes `SetAccountCreditLimitInput` (`InvalidInput` for a field, an
 * unknown currency, a limit not exact in the currency), checks the account
 * is in the directory (`CustomerAccountNotFound`), then opens its ledger
 * account with the limit or sets it on the open one. A limit that does not
 * cover what the account already draws on is the ledger's `CreditLimitInUse`.
 * Answers the ledger account after it.
 */
export const setAccountCreditLimit = (
  input: unknown,
): Effect.Effect<LedgerAccount, SetAccountCreditLimitError, AccountDirectory | LedgerStore> =>
  Effect.gen(function* () {
    const decoded = yield* decodeInput(SetAccountCreditLimitInput)(input);
    const currency = yield* checkCurrencyField('currency', decoded.currency);
    const limit = yield* checkAmountField('creditLimit', decoded.creditLimit, currency, { positive: false });
    yield* directoryAccount(decoded.accountId);
    const ledger = yield* LedgerStore;
    const opened = yield* ensureLedgerAccount(decoded.accountId, currency, limit.amountMinor);
    const account = yield* ledger.account(decoded.accountId, currency.code);
    if (opened || account.creditLimitMinor === limit.amountMinor) return account;
    return yield* ledger.setCreditLimit({
      accountId: decoded.accountId,
      currency,
      creditLimitMinor: limit.amountMinor,
    });
  });
