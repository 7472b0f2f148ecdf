import type { InvalidIdentifier } from '../identifier/identifier.errors';
import type { JournalEntryKind } from './ledger';
import { taggedError } from '../errors/tagged-error';

/** No account is open for this account id in this currency. */
export class AccountNotFound extends taggedError('AccountNotFound', { code: 'ACCOUNT_NOT_FOUND', retryable: false })<{
  readonly accountId: string;
  readonly currency: string;
}>((e) => `no ${e.currency} account "${e.accountId}"`) {}

/** Opening an account that is already open with another credit limit. */
export class AccountAlreadyOpen extends taggedError('AccountAlreadyOpen', {
  code: 'ACCOUNT_ALREADY_OPEN',
  retryable: false,
})<{
  readonly accountId: string;
  readonly currency: string;
  readonly creditLimitMinor: bigint;
  readonly requestedCreditLimitMinor: bigint;
}>(
  (e) =>
    `${e.currency} account "${e.accountId}" is already open with a credit limit of ${e.creditLimitMinor}, not ${e.requestedCreditLimitMinor} (minor units)`,
) {}

/** A credit limit below what the account already draws on (available would fall below -limit). */
export class CreditLimitInUse extends taggedError('CreditLimitInUse', {
  code: 'CREDIT_LIMIT_IN_USE',
  retryable: false,
})<{
  readonly accountId: string;
  readonly currency: string;
  readonly availableMinor: bigint;
  readonly requestedCreditLimitMinor: bigint;
}>(
  (e) =>
    `${e.currency} account "${e.accountId}" has ${e.availableMinor} available; a credit limit of ${e.requestedCreditLimitMinor} (minor units) does not cover it`,
) {}

/** An amount out of range for the operation (movements must be positive, captures and limits not negative). */
export class InvalidLedgerAmount extends taggedError('InvalidLedgerAmount', {
  code: 'INVALID_LEDGER_AMOUNT',
  retryable: false,
})<{
  readonly operation: JournalEntryKind | 'OPEN_ACCOUNT' | 'SET_CREDIT_LIMIT';
  readonly amountMinor: bigint;
  readonly reason: string;
}>((e) => `invalid ${e.operation} amount ${e.amountMinor}: ${e.reason}`) {}

/**
 * A currency that is not the one its code names (one currency, one
 * exponent): a code the platform does not know, or a known code with
 * another exponent than ISO 4217's (e.g. KES with 3), or than the one its
 * account was opened with. An unknown code is not kept (it came from the
 * caller); `expectedExponent` is then undefined.
 */
export class InvalidLedgerCurrency extends taggedError('InvalidLedgerCurrency', {
  code: 'INVALID_LEDGER_CURRENCY',
  retryable: false,
})<{
  /** The ISO 4217 code, when it is a known one. */
  readonly currency: string | undefined;
  /** The exponent given. */
  readonly exponent: number;
  /** The code's exponent (ISO 4217's, or the account's); undefined when the code is unknown. */
  readonly expectedExponent: number | undefined;
}>((e) =>
  e.currency === undefined || e.expectedExponent === undefined
    ? 'not a currency the ledger knows (an ISO 4217 currency with minor units)'
    : `${e.currency} has exponent ${e.expectedExponent}, not ${e.exponent}`,
) {}

/**
 * An authorization above what the account has available plus its credit
 * limit. The ledger remembers it: a retry under the same transaction id gets
 * this same error, with the balances of the first refusal.
 */
export class InsufficientFunds extends taggedError('InsufficientFunds', {
  code: 'INSUFFICIENT_FUNDS',
  retryable: false,
})<{
  readonly accountId: string;
  readonly currency: string;
  readonly requestedMinor: bigint;
  readonly availableMinor: bigint;
  readonly creditLimitMinor: bigint;
}>(
  (e) =>
    `${e.currency} account "${e.accountId}" cannot hold ${e.requestedMinor}: ${e.availableMinor} available with a credit limit of ${e.creditLimitMinor} (minor units)`,
) {}

/** A movement repeated under the same key with different arguments. */
export class IdempotencyConflict extends taggedError('IdempotencyConflict', {
  code: 'IDEMPOTENCY_CONFLICT',
  retryable: false,
})<{
  readonly reference: string;
  readonly kind: JournalEntryKind;
  readonly reason: string;
}>((e) => `${e.kind} "${e.reference}" was already recorded with other arguments: ${e.reason}`) {}

/** A void, capture or reverse of a transaction that was never authorized (or whose authorization was refused). */
export class HoldNotFound extends taggedError('HoldNotFound', { code: 'HOLD_NOT_FOUND', retryable: false })<{
  readonly transactionId: string;
}>((e) => `no hold for transaction "${e.transactionId}"`) {}

/** A void after a capture, or a capture after a void: a hold settles once. */
export class HoldAlreadySettled extends taggedError('HoldAlreadySettled', {
  code: 'HOLD_ALREADY_SETTLED',
  retryable: false,
})<{
  readonly transactionId: string;
  readonly settledAs: 'VOID' | 'CAPTURE';
  readonly requested: 'VOID' | 'CAPTURE';
}>((e) => `cannot ${e.requested} transaction "${e.transactionId}": its hold was already settled by ${e.settledAs}`) {}

/** A capture above the authorized amount. */
export class CaptureExceedsHold extends taggedError('CaptureExceedsHold', {
  code: 'CAPTURE_EXCEEDS_HOLD',
  retryable: false,
})<{
  readonly transactionId: string;
  readonly holdMinor: bigint;
  readonly requestedMinor: bigint;
}>(
  (e) =>
    `cannot capture ${e.requestedMinor} for transaction "${e.transactionId}": only ${e.holdMinor} (minor units) is held`,
) {}

/** A reverse of a transaction that is still held or was voided: only a capture can be reversed. */
export class HoldNotCaptured extends taggedError('HoldNotCaptured', { code: 'HOLD_NOT_CAPTURED', retryable: false })<{
  readonly transactionId: string;
  readonly status: 'HELD' | 'VOIDED';
}>((e) => `cannot reverse transaction "${e.transactionId}": it is ${e.status}, not captured`) {}

export type LedgerError =
  | InvalidIdentifier
  | InvalidLedgerCurrency
  | AccountNotFound
  | AccountAlreadyOpen
  | CreditLimitInUse
  | InvalidLedgerAmount
  | InsufficientFunds
  | IdempotencyConflict
  | HoldNotFound
  | HoldAlreadySettled
  | CaptureExceedsHold
  | HoldNotCaptured;
