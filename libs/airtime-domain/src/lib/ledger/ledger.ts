// The balance ledger: per account and currency an `available` and a
// `holding` balance with a credit limit, moved by idempotent movements keyed
// by transaction (DT One's authorize / void / capture / reverse) or by
// deposit, each recorded in an append-only journal. An authorization refused
// for funds is remembered too (not in the journal: it moves nothing), so that
// a retry under the same transaction id gets the same refusal, never a late
// success.
//
// All values are immutable; every operation returns a new ledger.
import type { Currency } from '../money/currency';

/** The kind of a balance movement. */
export type JournalEntryKind = 'DEPOSIT' | 'AUTHORIZE' | 'VOID' | 'CAPTURE' | 'REVERSE';

/**
 * One movement, as recorded in the journal. The deltas are what it changed,
 * so that summing the journal per account gives `available` and `holding`.
 */
export interface JournalEntry {
  /** 1, 2, 3, ...: the position in the journal. */
  readonly sequence: number;
  readonly accountId: string;
  /** ISO 4217 code of the account's currency. */
  readonly currency: string;
  /** The idempotency key: the transaction id, or the deposit id for a DEPOSIT. */
  readonly reference: string;
  readonly kind: JournalEntryKind;
  /**
   * The movement's amount: deposited, authorized, voided (the whole hold),
   * captured (debited), or reversed (the captured amount).
   */
  readonly amountMinor: bigint;
  readonly availableDeltaMinor: bigint;
  readonly holdingDeltaMinor: bigint;
  /**
   * When the movement was recorded, as a store read it back (the journal
   * row's time); the pure ledger's entries carry none.
   */
  readonly recordedAt?: Date | undefined;
}

/** The balances of one account in one currency. */
export interface LedgerAccount {
  readonly accountId: string;
  readonly currency: Currency;
  /** How far `available` may go below zero (>= 0). */
  readonly creditLimitMinor: bigint;
  /** May be negative, down to `-creditLimitMinor`. */
  readonly availableMinor: bigint;
  /** Authorized, not yet voided or captured. */
  readonly holdingMinor: bigint;
  /** Running total of captures (debits). */
  readonly capturedMinor: bigint;
  /** Running total of reversed captures. */
  readonly reversedMinor: bigint;
  /** Running total of deposits. */
  readonly fundedMinor: bigint;
}

/** Where a transaction's hold is in its lifecycle. */
export type HoldStatus = 'HELD' | 'VOIDED' | 'CAPTURED' | 'REVERSED';

/**
 * A transaction's movements. Transaction ids are global: a hold remembers
 * the account and currency it was authorized on.
 */
export interface Hold {
  readonly transactionId: string;
  readonly accountId: string;
  /** ISO 4217 code. */
  readonly currency: string;
  /** The authorized amount. */
  readonly amountMinor: bigint;
  readonly authorization: JournalEntry;
  /** The VOID or CAPTURE entry, once settled. */
  readonly settlement: JournalEntry | undefined;
  /** The REVERSE entry, once reversed. */
  readonly reversal: JournalEntry | undefined;
}

/**
 * An authorization refused with `InsufficientFunds`: its arguments and what
 * the error reported, so that a retry with the same transaction id returns
 * the same refusal. A failed claim stays failed.
 */
export interface Refusal {
  readonly transactionId: string;
  readonly accountId: string;
  /** ISO 4217 code. */
  readonly currency: string;
  /** The amount that was asked for (the error's `requestedMinor`). */
  readonly amountMinor: bigint;
  /** The account's available balance when it was refused. */
  readonly availableMinor: bigint;
  /** The account's credit limit when it was refused. */
  readonly creditLimitMinor: bigint;
}

export interface Ledger {
  /** By `accountKey(accountId, currencyCode)`. */
  readonly accounts: ReadonlyMap<string, LedgerAccount>;
  /** By transaction id. */
  readonly holds: ReadonlyMap<string, Hold>;
  /** Authorizations refused for funds, by transaction id (never also in `holds`). */
  readonly refusals: ReadonlyMap<string, Refusal>;
  /** The DEPOSIT entries, by deposit id. */
  readonly deposits: ReadonlyMap<string, JournalEntry>;
  readonly journal: readonly JournalEntry[];
}

/** A movement's outcome; `applied` is false for an idempotent repeat, which returns the recorded entry. */
export interface LedgerMovementResult {
  readonly ledger: Ledger;
  readonly entry: JournalEntry;
  readonly applied: boolean;
}

/** An account change's outcome; `applied` is false when nothing changed. */
export interface LedgerAccountResult {
  readonly ledger: Ledger;
  readonly account: LedgerAccount;
  readonly applied: boolean;
}

export const emptyLedger: Ledger = Object.freeze({
  accounts: new Map<string, LedgerAccount>(),
  holds: new Map<string, Hold>(),
  refusals: new Map<string, Refusal>(),
  deposits: new Map<string, JournalEntry>(),
  journal: Object.freeze([]) as readonly JournalEntry[],
});

/** The map key of an account: unambiguous for any account id. */
export const accountKey = (accountId: string, currencyCode: string): string =>
  JSON.stringify([accountId, currencyCode]);

export const findAccount = (ledger: Ledger, accountId: string, currencyCode: string): LedgerAccount | undefined =>
  ledger.accounts.get(accountKey(accountId, currencyCode));

export const findHold = (ledger: Ledger, transactionId: string): Hold | undefined => ledger.holds.get(transactionId);

export const findRefusal = (ledger: Ledger, transactionId: string): Refusal | undefined =>
  ledger.refusals.get(transactionId);

export const holdStatus = (hold: Hold): HoldStatus => {
  if (hold.reversal) return 'REVERSED';
  if (!hold.settlement) return 'HELD';
  return hold.settlement.kind === 'VOID' ? 'VOIDED' : 'CAPTURED';
};
