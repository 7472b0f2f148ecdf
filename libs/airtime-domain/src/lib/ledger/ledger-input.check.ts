// The ledger's checks, written once: the pure ledger runs them in every operation, and every
// store (persistence-postgres's LedgerStore) runs these same functions. Input checks come first,
// before anything is read: identifiers (account, then deposit or transaction id), then the
// currency, then the amount; each returns its input unchanged or the first error. Repeat checks
// compare a movement with the claim already recorded under its key: the same arguments are an
// idempotent repeat, other ones an `IdempotencyConflict`.
import { Either } from 'effect';
import { checkAccountId, checkDepositId, checkTransactionId } from '../identifier/identifier';
import type { InvalidIdentifier } from '../identifier/identifier.errors';
import { checkCurrency, type Currency, currencyOf } from '../money/currency';
import type { JournalEntryKind } from './ledger';
import type { DepositInput, OpenAccountInput, SetCreditLimitInput } from './ledger-accounts';
import { IdempotencyConflict, InvalidLedgerAmount, InvalidLedgerCurrency } from './ledger.errors';
import type { AuthorizeInput, CaptureInput, ReverseInput, VoidHoldInput } from './ledger-operations';

/** What a check may refuse: a bad identifier, a forged or unknown currency, an amount out of range. */
export type LedgerInputError = InvalidIdentifier | InvalidLedgerCurrency | InvalidLedgerAmount;

/**
 * The currency as ISO 4217 defines it: a known code with that code's
 * exponent. A `Currency` is a plain record, so one with the right code and
 * another exponent (KES with 3) can be built; the ledger refuses it.
 */
export const checkLedgerCurrency = (currency: Currency): Either.Either<Currency, InvalidLedgerCurrency> =>
  Either.mapLeft(checkCurrency(currency), () => {
    const known = Either.getOrUndefined(currencyOf(currency.code));
    return new InvalidLedgerCurrency({
      currency: known?.code,
      exponent: currency.exponent,
      expectedExponent: known?.exponent,
    });
  });

type AmountOperation = JournalEntryKind | 'OPEN_ACCOUNT' | 'SET_CREDIT_LIMIT';

/**
 * The largest amount one ledger call takes, in minor units: 2^51
 * (2,251,799,813,685,248). Every store must give the same answer to the
 * same call, and PostgreSQL's `bigint` columns stop at 2^63 - 1: a larger
 * amount was a database error there (and aborted the caller's transaction)
 * where the pure ledger answered. 2^51 also leaves room for 2^12 movements
 * of the largest size in one balance, and is exact as a JSON number (as are
 * provider amounts, see `parseProviderAmount`).
 */
export const MAX_LEDGER_AMOUNT_MINOR = 2n ** 51n;

/**
 * `amountMinor` a bigint within its bounds: `> 0` for deposits and
 * authorizations, `>= 0` for captures and credit limits, and never above
 * `MAX_LEDGER_AMOUNT_MINOR`; `InvalidLedgerAmount` otherwise (a number or a
 * text from a JavaScript caller too, which the arithmetic would throw on).
 */
const checkAmount = (
  operation: AmountOperation,
  amountMinor: bigint,
  bound: 'positive' | 'not negative',
  reason: string,
): Either.Either<bigint, InvalidLedgerAmount> => {
  if (typeof amountMinor !== 'bigint')
    return Either.left(new InvalidLedgerAmount({ operation, amountMinor, reason: 'not a bigint of minor units' }));
  if (amountMinor > MAX_LEDGER_AMOUNT_MINOR)
    return Either.left(
      new InvalidLedgerAmount({ operation, amountMinor, reason: `at most ${MAX_LEDGER_AMOUNT_MINOR} minor units` }),
    );
  return (bound === 'positive' ? amountMinor > 0n : amountMinor >= 0n)
    ? Either.right(amountMinor)
    : Either.left(new InvalidLedgerAmount({ operation, amountMinor, reason }));
};

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

/** What a recorded claim says of its movement: account, currency code and amount. */
export interface RecordedClaim {
  readonly accountId: string;
  /** ISO 4217 code. */
  readonly currency: string;
  readonly amountMinor: bigint;
}

const sameClaim = (claimed: RecordedClaim, input: { accountId: string; currency: Currency; amountMinor: bigint }) =>
  claimed.accountId === input.accountId &&
  claimed.currency === input.currency.code &&
  claimed.amountMinor === input.amountMinor;

/** A deposit under a deposit id already recorded: a repeat when account, currency and amount agree. */
export const checkDepositRepeat = (
  recorded: RecordedClaim,
  input: DepositInput,
): Either.Either<DepositInput, IdempotencyConflict> =>
  sameClaim(recorded, input)
    ? Either.right(input)
    : Either.left(
        new IdempotencyConflict({
          reference: input.depositId,
          kind: 'DEPOSIT',
          reason: `recorded as ${recorded.amountMinor} ${recorded.currency} to "${recorded.accountId}", now ${input.amountMinor} ${input.currency.code} to "${input.accountId}"`,
        }),
      );

/**
 * An authorization under a transaction id already claimed, `authorized`
 * (held) or `refused` (for funds): a repeat when account, currency and
 * amount agree.
 */
export const checkAuthorizeRepeat = (
  claimed: RecordedClaim,
  claim: 'authorized' | 'refused',
  input: AuthorizeInput,
): Either.Either<AuthorizeInput, IdempotencyConflict> =>
  sameClaim(claimed, input)
    ? Either.right(input)
    : Either.left(
        new IdempotencyConflict({
          reference: input.transactionId,
          kind: 'AUTHORIZE',
          reason: `${claim} ${claimed.amountMinor} ${claimed.currency} on "${claimed.accountId}", now ${input.amountMinor} ${input.currency.code} on "${input.accountId}"`,
        }),
      );

/** A capture of a hold already captured for `capturedMinor`: a repeat when the amounts agree. */
export const checkCaptureRepeat = (
  capturedMinor: bigint,
  input: CaptureInput,
): Either.Either<CaptureInput, IdempotencyConflict> =>
  capturedMinor === input.amountMinor
    ? Either.right(input)
    : Either.left(
        new IdempotencyConflict({
          reference: input.transactionId,
          kind: 'CAPTURE',
          reason: `captured ${capturedMinor}, now ${input.amountMinor}`,
        }),
      );
