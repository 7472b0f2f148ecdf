// Deposit funds on a customer account through the domain's LedgerStore:
// its ledger account in the currency is opened (no credit limit) when
// missing, and the deposit is idempotent by its deposit id. Both happen in
// one unit of work: a refused deposit opens nothing.
import {
  type JournalEntry,
  type LedgerAccount,
  type LedgerError,
  LedgerStore,
  type PersistenceFailure,
  UnitOfWork,
} from '@airtime/domain';
import { Effect } from 'effect';
import type { CustomerAccountNotFound, InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { directoryAccount } from '../api-access/api-scope.check';
import { checkAmountField, checkCurrencyField } from '../api-access/money-input.check';
import type { AccountDirectory } from '../ports/accounts.port';
import { ensureLedgerAccount } from '../set-account-credit-limit/set-account-credit-limit.use-case';
import { DepositFundsInput } from './deposit-funds.input';

export interface DepositedFunds {
  /** False when the deposit id was already recorded with this account and amount (nothing added this time). */
  readonly deposited: boolean;
  /** The DEPOSIT journal entry (the first one, for a repeat). */
  readonly entry: JournalEntry;
  /** The ledger account after the deposit. */
  readonly account: LedgerAccount;
}

export type DepositFundsError = InvalidInput | CustomerAccountNotFound | LedgerError | PersistenceFailure;

/**
 * Decodes `DepositFundsInput` (`InvalidInput` for a field, an unknown
 * currency, an amount that is zero or not exact in the currency), checks
 * the account is in the directory (`CustomerAccountNotFound`), opens its
 * ledger account in the currency when missing, and deposits, both in one
 * `UnitOfWork` (a refused deposit leaves no new ledger account). A deposit
 * id recorded with another account or amount is the ledger's
 * `IdempotencyConflict`.
 */
export const depositFunds = (
  input: unknown,
): Effect.Effect<DepositedFunds, DepositFundsError, AccountDirectory | LedgerStore | UnitOfWork> =>
  Effect.gen(function* () {
    const decoded = yield* decodeInput(DepositFundsInput)(input);
    const currency = yield* checkCurrencyField('currency', decoded.currency);
    const amount = yield* checkAmountField('amount', decoded.amount, currency, { positive: true });
    yield* directoryAccount(decoded.accountId);
    const ledger = yield* LedgerStore;
    const unitOfWork = yield* UnitOfWork;
    return yield* unitOfWork.transactionally(
      Effect.gen(function* () {
        yield* ensureLedgerAccount(decoded.accountId, currency);
        const movement = yield* ledger.deposit({
          accountId: decoded.accountId,
          currency,
          depositId: decoded.depositId,
          amountMinor: amount.amountMinor,
        });
        const account = yield* ledger.account(decoded.accountId, currency.code);
        return { deposited: movement.applied, entry: movement.entry, account };
      }),
    );
  });
