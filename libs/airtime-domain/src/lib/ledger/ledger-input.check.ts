// The ledger's input checks, written once: the pure ledger runs them first in every operation,
// and every store (persistence-postgres's LedgerStore) runs these same functions before it
// touches the database. Identifiers first (account, then deposit or transaction id), then the
// currency, then the amount; each check returns its input unchanged or the first error.
import { Either } from 'effect';
import { checkAccountId, checkDepositId, checkTransactionId } from '../identifier/identifier';
import type { InvalidIdentifier } from '../identifier/identifier.errors';
import { type Currency, currencyOf } from '../money/currency';
import type { JournalEntryKind } from './ledger';
import type { DepositInput, OpenAccountInput, SetCreditLimitInput } from './ledger.accounts';
import { InvalidLedgerAmount, InvalidLedgerCurrency } from './ledger.errors';
import type { AuthorizeInput, CaptureInput, ReverseInput, VoidHoldInput } from './ledger.operations';

/** What a check may refuse: a bad identifier, a forged or unknown currency, an amount out of range. */
export type LedgerInputError = InvalidIdentifier | InvalidLedgerCurrency | InvalidLedgerAmount;

/**
 * The currency as ISO 4217 defines it: a known code with that code's
 * exponent. A `Currency` is a plain record, so one with the right code and
 * another exponent (KES with 3) can be built; the ledger refuses it.
 */
export const checkLedgerCurrency = (currency: Currency): Either.Either<Currency, InvalidLedgerCurrency> =>
  Either.match(currencyOf(currency.code), {
    onLeft: () =>
      Either.left(
        new InvalidLedgerCurrency({ currency: undefined, exponent: currency.exponent, expectedExponent: undefined }),
      ),
    onRight: (known) =>
      known.exponent === currency.exponent
        ? Either.right(currency)
        : Either.left(
            new InvalidLedgerCurrency({
              currency: known.code,
              exponent: currency.exponent,
              expectedExponent: known.exponent,
            }),
          ),
  });

type AmountOperation = JournalEntryKind | 'OPEN_ACCOUNT' | 'SET_CREDIT_LIMIT';

/** `amountMinor` within its bound: `> 0` for deposits and authorizations, `>= 0` for captures and credit limits. */
const checkAmount = (
  operation: AmountOperation,
  amountMinor: bigint,
  bound: 'positive' | 'not negative',
  reason: string,
): Either.Either<bigint, InvalidLedgerAmount> =>
  (bound === 'positive' ? amountMinor > 0n : amountMinor >= 0n)
    ? Either.right(amountMinor)
    : Either.left(new InvalidLedgerAmount({ operation, amountMinor, reason }));

const checkCreditLimit = (operation: 'OPEN_ACCOUNT' | 'SET_CREDIT_LIMIT', creditLimitMinor: bigint) =>
  checkAmount(operation, creditLimitMinor, 'not negative', 'a credit limit cannot be negative');

/** Runs `checks` in order and returns `input`, or the first refusal. */
const allOf = <I>(
  input: I,
  checks: readonly (() => Either.Either<unknown, LedgerInputError>)[],
): Either.Either<I, LedgerInputError> => {
  for (const check of checks) {
    const result = check();
    if (Either.isLeft(result)) return Either.left(result.left);
  }
  return Either.right(input);
};

export const checkOpenAccountInput = (input: OpenAccountInput): Either.Either<OpenAccountInput, LedgerInputError> =>
  allOf(input, [
    () => checkAccountId(input.accountId),
    () => checkLedgerCurrency(input.currency),
    () => checkCreditLimit('OPEN_ACCOUNT', input.creditLimitMinor),
  ]);

export const checkSetCreditLimitInput = (
  input: SetCreditLimitInput,
): Either.Either<SetCreditLimitInput, LedgerInputError> =>
  allOf(input, [
    () => checkAccountId(input.accountId),
    () => checkLedgerCurrency(input.currency),
    () => checkCreditLimit('SET_CREDIT_LIMIT', input.creditLimitMinor),
  ]);

export const checkDepositInput = (input: DepositInput): Either.Either<DepositInput, LedgerInputError> =>
  allOf(input, [
    () => checkAccountId(input.accountId),
    () => checkDepositId(input.depositId),
    () => checkLedgerCurrency(input.currency),
    () => checkAmount('DEPOSIT', input.amountMinor, 'positive', 'a deposit must be positive'),
  ]);

export const checkAuthorizeInput = (input: AuthorizeInput): Either.Either<AuthorizeInput, LedgerInputError> =>
  allOf(input, [
    () => checkAccountId(input.accountId),
    () => checkTransactionId(input.transactionId),
    () => checkLedgerCurrency(input.currency),
    () => checkAmount('AUTHORIZE', input.amountMinor, 'positive', 'an authorization must be positive'),
  ]);

export const checkVoidHoldInput = (input: VoidHoldInput): Either.Either<VoidHoldInput, InvalidIdentifier> =>
  Either.map(checkTransactionId(input.transactionId), () => input);

export const checkCaptureInput = (input: CaptureInput): Either.Either<CaptureInput, LedgerInputError> =>
  allOf(input, [
    () => checkTransactionId(input.transactionId),
    () => checkAmount('CAPTURE', input.amountMinor, 'not negative', 'a capture cannot be negative'),
  ]);

export const checkReverseInput = (input: ReverseInput): Either.Either<ReverseInput, InvalidIdentifier> =>
  Either.map(checkTransactionId(input.transactionId), () => input);
