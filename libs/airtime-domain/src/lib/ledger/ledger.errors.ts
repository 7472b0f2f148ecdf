import { Data } from 'effect';
import type { InvalidIdentifier } from '../identifier/identifier.errors';
import type { JournalEntryKind } from './ledger';

/** No account is open for this account id in this currency. */
export class AccountNotFound extends Data.TaggedError('AccountNotFound')<{
  readonly accountId: string;
  readonly currency: string;
}> {
  readonly code = 'ACCOUNT_NOT_FOUND' as const;
  override get message(): string {
    return `no ${this.currency} account "${this.accountId}"`;
  }
}

/** Opening an account that is already open with another credit limit. */
export class AccountAlreadyOpen extends Data.TaggedError('AccountAlreadyOpen')<{
  readonly accountId: string;
  readonly currency: string;
  readonly creditLimitMinor: bigint;
  readonly requestedCreditLimitMinor: bigint;
}> {
  readonly code = 'ACCOUNT_ALREADY_OPEN' as const;
  override get message(): string {
    return `${this.currency} account "${this.accountId}" is already open with a credit limit of ${this.creditLimitMinor}, not ${this.requestedCreditLimitMinor} (minor units)`;
  }
}

/** A credit limit below what the account already draws on (available would fall below -limit). */
export class CreditLimitInUse extends Data.TaggedError('CreditLimitInUse')<{
  readonly accountId: string;
  readonly currency: string;
  readonly availableMinor: bigint;
  readonly requestedCreditLimitMinor: bigint;
}> {
  readonly code = 'CREDIT_LIMIT_IN_USE' as const;
  override get message(): string {
    return `${this.currency} account "${this.accountId}" has ${this.availableMinor} available; a credit limit of ${this.requestedCreditLimitMinor} (minor units) does not cover it`;
  }
}

/** An amount out of range for the operation (movements must be positive, captures and limits not negative). */
export class InvalidLedgerAmount extends Data.TaggedError('InvalidLedgerAmount')<{
  readonly operation: JournalEntryKind | 'OPEN_ACCOUNT' | 'SET_CREDIT_LIMIT';
  readonly amountMinor: bigint;
  readonly reason: string;
}> {
  readonly code = 'INVALID_LEDGER_AMOUNT' as const;
  override get message(): string {
    return `invalid ${this.operation} amount ${this.amountMinor}: ${this.reason}`;
  }
}

/**
 * A currency that is not the one its code names (one currency, one
 * exponent): a code the platform does not know, or a known code with
 * another exponent than ISO 4217's (e.g. KES with 3), or than the one its
 * account was opened with. An unknown code is not kept (it came from the
 * caller); `expectedExponent` is then undefined.
 */
export class InvalidLedgerCurrency extends Data.TaggedError('InvalidLedgerCurrency')<{
  /** The ISO 4217 code, when it is a known one. */
  readonly currency: string | undefined;
  /** The exponent given. */
  readonly exponent: number;
  /** The code's exponent (ISO 4217's, or the account's); undefined when the code is unknown. */
  readonly expectedExponent: number | undefined;
}> {
  readonly code = 'INVALID_LEDGER_CURRENCY' as const;
  override get message(): string {
    return this.currency === undefined || this.expectedExponent === undefined
      ? 'not a currency the ledger knows (an ISO 4217 currency with minor units)'
      : `${this.currency} has exponent ${this.expectedExponent}, not ${this.exponent}`;
  }
}

/**
 * An authorization above what the account has available plus its credit
 * limit. The ledger remembers it: a retry under the same transaction id gets
 * this same error, with the balances of the first refusal.
 */
export class InsufficientFunds extends Data.TaggedError('InsufficientFunds')<{
  readonly accountId: string;
  readonly currency: string;
  readonly requestedMinor: bigint;
  readonly availableMinor: bigint;
  readonly creditLimitMinor: bigint;
}> {
  readonly code = 'INSUFFICIENT_FUNDS' as const;
  override get message(): string {
    return `${this.currency} account "${this.accountId}" cannot hold ${this.requestedMinor}: ${this.availableMinor} available with a credit limit of ${this.creditLimitMinor} (minor units)`;
  }
}

/** A movement repeated under the same key with different arguments. */
export class IdempotencyConflict extends Data.TaggedError('IdempotencyConflict')<{
  readonly reference: string;
  readonly kind: JournalEntryKind;
  readonly reason: string;
}> {
  readonly code = 'IDEMPOTENCY_CONFLICT' as const;
  override get message(): string {
    return `${this.kind} "${this.reference}" was already recorded with other arguments: ${this.reason}`;
  }
}

/** A void, capture or reverse of a transaction that was never authorized (or whose authorization was refused). */
export class HoldNotFound extends Data.TaggedError('HoldNotFound')<{
  readonly transactionId: string;
}> {
  readonly code = 'HOLD_NOT_FOUND' as const;
  override get message(): string {
    return `no hold for transaction "${this.transactionId}"`;
  }
}

/** A void after a capture, or a capture after a void: a hold settles once. */
export class HoldAlreadySettled extends Data.TaggedError('HoldAlreadySettled')<{
  readonly transactionId: string;
  readonly settledAs: 'VOID' | 'CAPTURE';
  readonly requested: 'VOID' | 'CAPTURE';
}> {
  readonly code = 'HOLD_ALREADY_SETTLED' as const;
  override get message(): string {
    return `cannot ${this.requested} transaction "${this.transactionId}": its hold was already settled by ${this.settledAs}`;
  }
}

/** A capture above the authorized amount. */
export class CaptureExceedsHold extends Data.TaggedError('CaptureExceedsHold')<{
  readonly transactionId: string;
  readonly holdMinor: bigint;
  readonly requestedMinor: bigint;
}> {
  readonly code = 'CAPTURE_EXCEEDS_HOLD' as const;
  override get message(): string {
    return `cannot capture ${this.requestedMinor} for transaction "${this.transactionId}": only ${this.holdMinor} (minor units) is held`;
  }
}

/** A reverse of a transaction that is still held or was voided: only a capture can be reversed. */
export class HoldNotCaptured extends Data.TaggedError('HoldNotCaptured')<{
  readonly transactionId: string;
  readonly status: 'HELD' | 'VOIDED';
}> {
  readonly code = 'HOLD_NOT_CAPTURED' as const;
  override get message(): string {
    return `cannot reverse transaction "${this.transactionId}": it is ${this.status}, not captured`;
  }
}

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
