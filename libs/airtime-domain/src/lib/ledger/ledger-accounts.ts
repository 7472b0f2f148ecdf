import { Either } from 'effect';
import type { Currency } from '../money/currency';
import {
  type Ledger,
  type LedgerAccount,
  type LedgerAccountResult,
  type LedgerMovementResult,
  accountKey,
  findAccount,
} from './ledger';
import {
  checkDepositInput,
  checkDepositRepeat,
  checkOpenAccountInput,
  checkSetCreditLimitInput,
  type LedgerInputError,
} from './ledger-input.check';
import { AccountAlreadyOpen, AccountNotFound, CreditLimitInUse, type IdempotencyConflict } from './ledger.errors';
import { recordEntry } from './ledger-journal';

export interface OpenAccountInput {
  readonly accountId: string;
  readonly currency: Currency;
  readonly creditLimitMinor: bigint;
}

export interface SetCreditLimitInput {
  readonly accountId: string;
  readonly currency: Currency;
  readonly creditLimitMinor: bigint;
}

export interface DepositInput {
  readonly accountId: string;
  readonly currency: Currency;
  /** The idempotency key of the deposit (global, like transaction ids). */
  readonly depositId: string;
  readonly amountMinor: bigint;
}

const withAccount = (ledger: Ledger, account: LedgerAccount): Ledger => {
  const accounts = new Map(ledger.accounts);
  accounts.set(accountKey(account.accountId, account.currency.code), account);
  return Object.freeze({ ...ledger, accounts });
};

/**
 * Opens an account in a currency with zero balances. Opening it again with
 * the same credit limit changes nothing; with another one it is refused
 * (use `setCreditLimit`). Input checks (`checkOpenAccountInput`) come first:
 * `InvalidIdentifier`, `InvalidLedgerCurrency` (a forged exponent),
 * `InvalidLedgerAmount`.
 */
export const openAccount = (
  ledger: Ledger,
  input: OpenAccountInput,
): Either.Either<LedgerAccountResult, LedgerInputError | AccountAlreadyOpen> => {
  const checked = checkOpenAccountInput(input);
  if (Either.isLeft(checked)) return Either.left(checked.left);
  const existing = findAccount(ledger, input.accountId, input.currency.code);
  if (existing) {
    return existing.creditLimitMinor === input.creditLimitMinor
      ? Either.right({ ledger, account: existing, applied: false })
      : Either.left(
          new AccountAlreadyOpen({
            accountId: input.accountId,
            currency: input.currency.code,
            creditLimitMinor: existing.creditLimitMinor,
            requestedCreditLimitMinor: input.creditLimitMinor,
          }),
        );
  }
  const account: LedgerAccount = Object.freeze({
    accountId: input.accountId,
    currency: input.currency,
    creditLimitMinor: input.creditLimitMinor,
    availableMinor: 0n,
    holdingMinor: 0n,
    capturedMinor: 0n,
    reversedMinor: 0n,
    fundedMinor: 0n,
  });
  return Either.right({ ledger: withAccount(ledger, account), account, applied: true });
};

/**
 * Changes an account's credit limit. A limit that would leave `available`
 * below `-limit` is refused; setting the current limit changes nothing.
 */
export const setCreditLimit = (
  ledger: Ledger,
  input: SetCreditLimitInput,
): Either.Either<LedgerAccountResult, LedgerInputError | AccountNotFound | CreditLimitInUse> => {
  const checked = checkSetCreditLimitInput(input);
  if (Either.isLeft(checked)) return Either.left(checked.left);
  const existing = findAccount(ledger, input.accountId, input.currency.code);
  if (!existing) return Either.left(new AccountNotFound({ accountId: input.accountId, currency: input.currency.code }));
  if (existing.creditLimitMinor === input.creditLimitMinor)
    return Either.right({ ledger, account: existing, applied: false });
  if (existing.availableMinor < -input.creditLimitMinor) {
    return Either.left(
      new CreditLimitInUse({
        accountId: input.accountId,
        currency: input.currency.code,
        availableMinor: existing.availableMinor,
        requestedCreditLimitMinor: input.creditLimitMinor,
      }),
    );
  }
  const account: LedgerAccount = Object.freeze({ ...existing, creditLimitMinor: input.creditLimitMinor });
  return Either.right({ ledger: withAccount(ledger, account), account, applied: true });
};

/**
 * Funds an account: `available` and `funded` grow by the amount. Idempotent
 * by deposit id: a repeat returns the recorded entry, a repeat with other
 * arguments is an `IdempotencyConflict`.
 */
export const deposit = (
  ledger: Ledger,
  input: DepositInput,
): Either.Either<LedgerMovementResult, LedgerInputError | IdempotencyConflict | AccountNotFound> => {
  const checked = checkDepositInput(input);
  if (Either.isLeft(checked)) return Either.left(checked.left);
  const recorded = ledger.deposits.get(input.depositId);
  if (recorded)
    return Either.map(checkDepositRepeat(recorded, input), () => ({ ledger, entry: recorded, applied: false }));
  const account = findAccount(ledger, input.accountId, input.currency.code);
  if (!account) return Either.left(new AccountNotFound({ accountId: input.accountId, currency: input.currency.code }));
  const recordedEntry = recordEntry(ledger, account, {
    reference: input.depositId,
    kind: 'DEPOSIT',
    amountMinor: input.amountMinor,
    availableDeltaMinor: input.amountMinor,
    holdingDeltaMinor: 0n,
  });
  const deposits = new Map(ledger.deposits);
  deposits.set(input.depositId, recordedEntry.entry);
  return Either.right({
    ledger: Object.freeze({ ...recordedEntry.ledger, deposits }),
    entry: recordedEntry.entry,
    applied: true,
  });
};
