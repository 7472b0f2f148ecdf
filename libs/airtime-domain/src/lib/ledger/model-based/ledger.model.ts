// The reference model of the balance ledger: plain mutable records, written
// from the rules (DESIGN.md "Balance ledger", DT One's balance table, the
// identifier rule, one exponent per currency) without any of the ledger's
// code. Each operation says whether it succeeds (and whether it changed
// anything) or which error it expects.

/** What an `InsufficientFunds` reports: the amount asked for and the account when it was refused. */
export interface ModelShortfall {
  readonly accountId: string;
  readonly currency: string;
  readonly requested: bigint;
  readonly available: bigint;
  readonly creditLimit: bigint;
}

/** A success (`applied` false for a repeat) or an error's tag, with what an `InsufficientFunds` reports. */
export type ModelOutcome =
  | { readonly ok: true; readonly applied: boolean }
  | { readonly ok: false; readonly error: string; readonly shortfall?: ModelShortfall };

export interface ModelAccount {
  creditLimit: bigint;
  available: bigint;
  holding: bigint;
  captured: bigint;
  reversed: bigint;
  funded: bigint;
}

export type ModelTransactionState = 'HELD' | 'VOIDED' | 'CAPTURED' | 'REVERSED';

export interface ModelTransaction {
  accountId: string;
  currency: string;
  authorized: bigint;
  state: ModelTransactionState;
  captured: bigint;
}

interface ModelDeposit {
  accountId: string;
  currency: string;
  amount: bigint;
}

/** A currency as an operation gives it: a code and an exponent, maybe forged. */
export interface ModelCurrency {
  readonly code: string;
  readonly exponent: number;
}

/** The ISO 4217 exponents of the currencies the tests use: any other code, or exponent, is refused. */
const EXPONENTS: ReadonlyMap<string, number> = new Map([
  ['KES', 2],
  ['USD', 2],
]);

/** Every kind of ledger id may have up to 100 characters (code points: an emoji is one). */
const ID_MAX_LENGTH = 100;

/**
 * The shape of a valid id: words of visible characters (no whitespace, no
 * control, format or surrogate code point) separated by plain spaces.
 */
const ID_SHAPE = /^[^\s\p{Cc}\p{Cf}\p{Cs}]+(?: +[^\s\p{Cc}\p{Cf}\p{Cs}]+)*$/u;

const validId = (id: string): boolean => [...id].length <= ID_MAX_LENGTH && ID_SHAPE.test(id);

/** No ledger amount is above 2^51 minor units. */
const AMOUNT_MAX = 2n ** 51n;

const validCurrency = (currency: ModelCurrency): boolean => EXPONENTS.get(currency.code) === currency.exponent;

const done: ModelOutcome = { ok: true, applied: true };
const repeat: ModelOutcome = { ok: true, applied: false };
const fail = (error: string): ModelOutcome => ({ ok: false, error });
const insufficient = (shortfall: ModelShortfall): ModelOutcome => ({
  ok: false,
  error: 'InsufficientFunds',
  shortfall,
});

export class LedgerModel {
  /** By `${accountId}/${currency}`. */
  readonly accounts = new Map<string, ModelAccount>();
  readonly transactions = new Map<string, ModelTransaction>();
  readonly deposits = new Map<string, ModelDeposit>();
  /**
   * Authorizations refused for funds, by transaction id: the id is spent,
   * and the same request gets the same answer forever.
   */
  readonly refusals = new Map<string, ModelShortfall>();
  /** How many movements were applied: the journal's expected length. */
  movements = 0;

  static key(accountId: string, currency: string): string {
    return `${accountId}/${currency}`;
  }

  account(accountId: string, currency: string): ModelAccount | undefined {
    return this.accounts.get(LedgerModel.key(accountId, currency));
  }

  /** The first fault of an operation's input: ids (account first), then currency; undefined when none. */
  private static inputFault(ids: readonly string[], currency?: ModelCurrency): string | undefined {
    if (!ids.every(validId)) return 'InvalidIdentifier';
    if (currency && !validCurrency(currency)) return 'InvalidLedgerCurrency';
    return undefined;
  }

  open(accountId: string, modelCurrency: ModelCurrency, creditLimit: bigint): ModelOutcome {
    const fault = LedgerModel.inputFault([accountId], modelCurrency);
    if (fault) return fail(fault);
    const currency = modelCurrency.code;
    if (creditLimit < 0n || creditLimit > AMOUNT_MAX) return fail('InvalidLedgerAmount');
    const existing = this.account(accountId, currency);
    if (existing) return existing.creditLimit === creditLimit ? repeat : fail('AccountAlreadyOpen');
    this.accounts.set(LedgerModel.key(accountId, currency), {
      creditLimit,
      available: 0n,
      holding: 0n,
      captured: 0n,
      reversed: 0n,
      funded: 0n,
    });
    return done;
  }

  setCreditLimit(accountId: string, modelCurrency: ModelCurrency, creditLimit: bigint): ModelOutcome {
    const fault = LedgerModel.inputFault([accountId], modelCurrency);
    if (fault) return fail(fault);
    const currency = modelCurrency.code;
    if (creditLimit < 0n || creditLimit > AMOUNT_MAX) return fail('InvalidLedgerAmount');
    const account = this.account(accountId, currency);
    if (!account) return fail('AccountNotFound');
    if (account.creditLimit === creditLimit) return repeat;
    // The account must still be within the new limit.
    if (account.available + creditLimit < 0n) return fail('CreditLimitInUse');
    account.creditLimit = creditLimit;
    return done;
  }

  deposit(depositId: string, accountId: string, modelCurrency: ModelCurrency, amount: bigint): ModelOutcome {
    const fault = LedgerModel.inputFault([accountId, depositId], modelCurrency);
    if (fault) return fail(fault);
    const currency = modelCurrency.code;
    if (amount <= 0n || amount > AMOUNT_MAX) return fail('InvalidLedgerAmount');
    const seen = this.deposits.get(depositId);
    if (seen) {
      const same = seen.accountId === accountId && seen.currency === currency && seen.amount === amount;
      return same ? repeat : fail('IdempotencyConflict');
    }
    const account = this.account(accountId, currency);
    if (!account) return fail('AccountNotFound');
    this.deposits.set(depositId, { accountId, currency, amount });
    account.available += amount;
    account.funded += amount;
    this.movements += 1;
    return done;
  }

  authorize(transactionId: string, accountId: string, modelCurrency: ModelCurrency, amount: bigint): ModelOutcome {
    const fault = LedgerModel.inputFault([accountId, transactionId], modelCurrency);
    if (fault) return fail(fault);
    const currency = modelCurrency.code;
    if (amount <= 0n || amount > AMOUNT_MAX) return fail('InvalidLedgerAmount');
    const seen = this.transactions.get(transactionId);
    if (seen) {
      const same = seen.accountId === accountId && seen.currency === currency && seen.authorized === amount;
      return same ? repeat : fail('IdempotencyConflict');
    }
    // A failed claim stays failed: the same request is refused again with what was reported the
    // first time, whatever the account has now; another request under the id conflicts.
    const refused = this.refusals.get(transactionId);
    if (refused) {
      const same = refused.accountId === accountId && refused.currency === currency && refused.requested === amount;
      return same ? insufficient(refused) : fail('IdempotencyConflict');
    }
    const account = this.account(accountId, currency);
    if (!account) return fail('AccountNotFound');
    // The account may go down to -creditLimit, not further.
    if (account.available - amount < -account.creditLimit) {
      const shortfall = {
        accountId,
        currency,
        requested: amount,
        available: account.available,
        creditLimit: account.creditLimit,
      };
      this.refusals.set(transactionId, shortfall);
      return insufficient(shortfall);
    }
    account.available -= amount;
    account.holding += amount;
    this.transactions.set(transactionId, { accountId, currency, authorized: amount, state: 'HELD', captured: 0n });
    this.movements += 1;
    return done;
  }

  void(transactionId: string): ModelOutcome {
    if (!validId(transactionId)) return fail('InvalidIdentifier');
    const transaction = this.transactions.get(transactionId);
    if (!transaction) return fail('HoldNotFound');
    if (transaction.state === 'VOIDED') return repeat;
    if (transaction.state !== 'HELD') return fail('HoldAlreadySettled');
    const account = this.mustAccount(transaction);
    account.holding -= transaction.authorized;
    account.available += transaction.authorized;
    transaction.state = 'VOIDED';
    this.movements += 1;
    return done;
  }

  capture(transactionId: string, amount: bigint): ModelOutcome {
    if (!validId(transactionId)) return fail('InvalidIdentifier');
    if (amount < 0n || amount > AMOUNT_MAX) return fail('InvalidLedgerAmount');
    const transaction = this.transactions.get(transactionId);
    if (!transaction) return fail('HoldNotFound');
    if (transaction.state === 'VOIDED') return fail('HoldAlreadySettled');
    if (transaction.state === 'CAPTURED' || transaction.state === 'REVERSED') {
      return transaction.captured === amount ? repeat : fail('IdempotencyConflict');
    }
    if (amount > transaction.authorized) return fail('CaptureExceedsHold');
    const account = this.mustAccount(transaction);
    account.holding -= transaction.authorized;
    account.available += transaction.authorized - amount;
    account.captured += amount;
    transaction.captured = amount;
    transaction.state = 'CAPTURED';
    this.movements += 1;
    return done;
  }

  reverse(transactionId: string): ModelOutcome {
    if (!validId(transactionId)) return fail('InvalidIdentifier');
    const transaction = this.transactions.get(transactionId);
    if (!transaction) return fail('HoldNotFound');
    if (transaction.state === 'REVERSED') return repeat;
    if (transaction.state !== 'CAPTURED') return fail('HoldNotCaptured');
    const account = this.mustAccount(transaction);
    account.available += transaction.captured;
    account.reversed += transaction.captured;
    transaction.state = 'REVERSED';
    this.movements += 1;
    return done;
  }

  private mustAccount(transaction: ModelTransaction): ModelAccount {
    const account = this.account(transaction.accountId, transaction.currency);
    if (!account) throw new Error(`model: no account for ${transaction.accountId}/${transaction.currency}`);
    return account;
  }
}
