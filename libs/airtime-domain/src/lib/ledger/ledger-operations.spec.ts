import { Either, Equal } from 'effect';
import { currencyOf } from '../money/currency';
import {
  type Ledger,
  type LedgerMovementResult,
  emptyLedger,
  findAccount,
  findHold,
  findRefusal,
  holdStatus,
} from './ledger';
import { deposit, openAccount } from './ledger-accounts';
import { checkInvariants } from './ledger-invariants';
import { type AuthorizeFailure, authorize, capture, reverse, voidHold } from './ledger-operations';

const kes = Either.getOrThrow(currencyOf('KES'));
const usd = Either.getOrThrow(currencyOf('USD'));
const errorOf = <A, E>(result: Either.Either<A, E>): E => Either.getOrThrow(Either.flip(result));
const refusalOf = (result: Either.Either<LedgerMovementResult, AuthorizeFailure>) => errorOf(result).error;

/** acct-1 (KES, credit limit 300) and acct-2 (KES, no credit), each funded with 1000. */
const funded = (): Ledger => {
  let ledger = emptyLedger;
  for (const [accountId, creditLimitMinor] of [
    ['acct-1', 300n],
    ['acct-2', 0n],
  ] as const) {
    ledger = Either.getOrThrow(openAccount(ledger, { accountId, currency: kes, creditLimitMinor })).ledger;
    ledger = Either.getOrThrow(
      deposit(ledger, { accountId, currency: kes, depositId: `dep-${accountId}`, amountMinor: 1_000n }),
    ).ledger;
  }
  return ledger;
};

const balances = (ledger: Ledger, accountId = 'acct-1') => {
  const account = findAccount(ledger, accountId, 'KES');
  return (
    account && {
      available: account.availableMinor,
      holding: account.holdingMinor,
      captured: account.capturedMinor,
      reversed: account.reversedMinor,
    }
  );
};

const statusOf = (ledger: Ledger, transactionId: string) => {
  const found = findHold(ledger, transactionId);
  return found && holdStatus(found);
};

const hold = { accountId: 'acct-1', currency: kes, transactionId: 'tx-1', amountMinor: 400n };
const authorized = (): Ledger => Either.getOrThrow(authorize(funded(), hold)).ledger;
const captured = (amountMinor: bigint): Ledger =>
  Either.getOrThrow(capture(authorized(), { transactionId: 'tx-1', amountMinor })).ledger;

describe('authorize', () => {
  it('moves the amount from available to holding and journals it', () => {
    const result = Either.getOrThrow(authorize(funded(), hold));
    expect(result.applied).toBe(true);
    expect(balances(result.ledger)).toEqual({ available: 600n, holding: 400n, captured: 0n, reversed: 0n });
    expect(result.entry).toMatchObject({
      sequence: 3,
      reference: 'tx-1',
      kind: 'AUTHORIZE',
      amountMinor: 400n,
      availableDeltaMinor: -400n,
      holdingDeltaMinor: 400n,
    });
    expect(result.ledger.journal.at(-1)).toBe(result.entry);
    expect(statusOf(result.ledger, 'tx-1')).toBe('HELD');
    expect(checkInvariants(result.ledger)).toEqual([]);
  });

  it('lets available go negative down to the credit limit, not one unit further', () => {
    const exact = Either.getOrThrow(authorize(funded(), { ...hold, amountMinor: 1_300n }));
    expect(balances(exact.ledger)).toMatchObject({ available: -300n, holding: 1_300n });
    expect(checkInvariants(exact.ledger)).toEqual([]);
    const error = refusalOf(authorize(funded(), { ...hold, amountMinor: 1_301n }));
    expect(error).toMatchObject({
      _tag: 'InsufficientFunds',
      code: 'INSUFFICIENT_FUNDS',
      accountId: 'acct-1',
      currency: 'KES',
      requestedMinor: 1_301n,
      availableMinor: 1_000n,
      creditLimitMinor: 300n,
    });
    expect(error.message).toContain('1301');
  });

  it('refuses beyond available when there is no credit limit', () => {
    expect(refusalOf(authorize(funded(), { ...hold, accountId: 'acct-2', amountMinor: 1_001n }))._tag).toBe(
      'InsufficientFunds',
    );
    expect(Either.isRight(authorize(funded(), { ...hold, accountId: 'acct-2', amountMinor: 1_000n }))).toBe(true);
  });

  it('refuses a non-positive amount and an unknown account', () => {
    expect(refusalOf(authorize(funded(), { ...hold, amountMinor: 0n }))).toMatchObject({
      _tag: 'InvalidLedgerAmount',
      operation: 'AUTHORIZE',
    });
    expect(refusalOf(authorize(funded(), { ...hold, amountMinor: -1n }))._tag).toBe('InvalidLedgerAmount');
    expect(refusalOf(authorize(funded(), { ...hold, accountId: 'nobody' }))).toMatchObject({
      _tag: 'AccountNotFound',
      accountId: 'nobody',
    });
    expect(refusalOf(authorize(funded(), { ...hold, currency: usd }))).toMatchObject({
      _tag: 'AccountNotFound',
      currency: 'USD',
    });
  });

  it('is idempotent: the same authorization again returns the recorded entry', () => {
    const first = Either.getOrThrow(authorize(funded(), hold));
    const again = Either.getOrThrow(authorize(first.ledger, hold));
    expect(again).toEqual({ ledger: first.ledger, entry: first.entry, applied: false });
    expect(again.ledger).toBe(first.ledger);
    // Still a repeat once the hold has been settled.
    const settled = Either.getOrThrow(capture(first.ledger, { transactionId: 'tx-1', amountMinor: 400n })).ledger;
    expect(Either.getOrThrow(authorize(settled, hold)).applied).toBe(false);
  });

  it('refuses the same transaction with another amount or account (ids are global)', () => {
    const ledger = authorized();
    for (const other of [
      { ...hold, amountMinor: 401n },
      { ...hold, accountId: 'acct-2' },
    ]) {
      expect(refusalOf(authorize(ledger, other))).toMatchObject({
        _tag: 'IdempotencyConflict',
        code: 'IDEMPOTENCY_CONFLICT',
        reference: 'tx-1',
        kind: 'AUTHORIZE',
      });
    }
  });
});

describe('a refused authorization', () => {
  const tooMuch = { ...hold, amountMinor: 1_301n };
  /** tx-1 refused for 1301 on acct-1 (1000 available, credit limit 300). */
  const refused = (): AuthorizeFailure => errorOf(authorize(funded(), tooMuch));
  /** The same, then 5000 more deposited on acct-1: enough for tx-1 now. */
  const refusedThenFunded = (): Ledger =>
    Either.getOrThrow(
      deposit(refused().ledger, { accountId: 'acct-1', currency: kes, depositId: 'dep-late', amountMinor: 5_000n }),
    ).ledger;

  it('is recorded for its transaction id, outside the journal', () => {
    const before = funded();
    const failure = errorOf(authorize(before, tooMuch));
    expect(failure.recorded).toBe(true);
    expect(findRefusal(failure.ledger, 'tx-1')).toEqual({
      transactionId: 'tx-1',
      accountId: 'acct-1',
      currency: 'KES',
      amountMinor: 1_301n,
      availableMinor: 1_000n,
      creditLimitMinor: 300n,
    });
    expect(failure.ledger.journal).toBe(before.journal);
    expect(failure.ledger.accounts).toBe(before.accounts);
    expect(findHold(failure.ledger, 'tx-1')).toBeUndefined();
    expect(before.refusals.size).toBe(0);
    expect(checkInvariants(failure.ledger)).toEqual([]);
  });

  it('retried after a deposit is still refused, with the same error, and changes nothing', () => {
    const first = refused().error;
    const ledger = refusedThenFunded();
    expect(balances(ledger)).toMatchObject({ available: 6_000n, holding: 0n });
    const again = errorOf(authorize(ledger, tooMuch));
    expect(again.error).toEqual(first);
    expect(Equal.equals(again.error, first)).toBe(true);
    expect(again.error).toMatchObject({
      _tag: 'InsufficientFunds',
      requestedMinor: 1_301n,
      availableMinor: 1_000n,
      creditLimitMinor: 300n,
    });
    expect(again.recorded).toBe(false);
    expect(again.ledger).toBe(ledger);
    expect(findHold(again.ledger, 'tx-1')).toBeUndefined();
  });

  it('retried with another amount or account is an IdempotencyConflict', () => {
    const ledger = refusedThenFunded();
    for (const other of [
      { ...hold, amountMinor: 400n },
      { ...tooMuch, accountId: 'acct-2' },
    ]) {
      const failure = errorOf(authorize(ledger, other));
      expect(failure.error).toMatchObject({ _tag: 'IdempotencyConflict', reference: 'tx-1', kind: 'AUTHORIZE' });
      expect(failure.error.message).toContain('refused 1301 KES on "acct-1"');
      expect(failure.ledger).toBe(ledger);
    }
  });

  it('has no hold to void, capture or reverse', () => {
    const ledger = refusedThenFunded();
    expect(errorOf(voidHold(ledger, { transactionId: 'tx-1' }))._tag).toBe('HoldNotFound');
    expect(errorOf(capture(ledger, { transactionId: 'tx-1', amountMinor: 0n }))._tag).toBe('HoldNotFound');
    expect(errorOf(reverse(ledger, { transactionId: 'tx-1' }))._tag).toBe('HoldNotFound');
  });

  it('does not spend other transaction ids', () => {
    const result = Either.getOrThrow(authorize(refusedThenFunded(), { ...hold, transactionId: 'tx-2' }));
    expect(result.applied).toBe(true);
    expect(checkInvariants(result.ledger)).toEqual([]);
  });

  it('is only a refusal for funds: input errors record nothing and the id stays free', () => {
    const before = funded();
    for (const invalid of [
      { ...hold, amountMinor: 0n },
      { ...hold, accountId: 'nobody' },
      { ...hold, currency: usd },
    ]) {
      const failure = errorOf(authorize(before, invalid));
      expect(failure.recorded).toBe(false);
      expect(failure.ledger).toBe(before);
    }
    expect(Either.getOrThrow(authorize(before, hold)).applied).toBe(true);
  });

  it('of a held transaction id is an IdempotencyConflict, not a refusal', () => {
    const failure = errorOf(authorize(authorized(), tooMuch));
    expect(failure.error._tag).toBe('IdempotencyConflict');
    expect(failure.recorded).toBe(false);
    expect(failure.ledger.refusals.size).toBe(0);
  });
});

describe('voidHold', () => {
  it('releases the whole hold back to available', () => {
    const result = Either.getOrThrow(voidHold(authorized(), { transactionId: 'tx-1' }));
    expect(result.applied).toBe(true);
    expect(balances(result.ledger)).toEqual({ available: 1_000n, holding: 0n, captured: 0n, reversed: 0n });
    expect(statusOf(result.ledger, 'tx-1')).toBe('VOIDED');
    expect(result.entry).toMatchObject({
      kind: 'VOID',
      reference: 'tx-1',
      amountMinor: 400n,
      availableDeltaMinor: 400n,
      holdingDeltaMinor: -400n,
    });
    expect(checkInvariants(result.ledger)).toEqual([]);
  });

  it('is idempotent', () => {
    const first = Either.getOrThrow(voidHold(authorized(), { transactionId: 'tx-1' }));
    expect(Either.getOrThrow(voidHold(first.ledger, { transactionId: 'tx-1' }))).toEqual({
      ledger: first.ledger,
      entry: first.entry,
      applied: false,
    });
  });

  it('refuses an unknown transaction and a captured one', () => {
    expect(errorOf(voidHold(funded(), { transactionId: 'tx-9' }))).toMatchObject({
      _tag: 'HoldNotFound',
      code: 'HOLD_NOT_FOUND',
      transactionId: 'tx-9',
    });
    expect(errorOf(voidHold(captured(400n), { transactionId: 'tx-1' }))).toMatchObject({
      _tag: 'HoldAlreadySettled',
      code: 'HOLD_ALREADY_SETTLED',
      settledAs: 'CAPTURE',
      requested: 'VOID',
    });
  });
});

describe('capture', () => {
  it('debits the whole hold', () => {
    const result = Either.getOrThrow(capture(authorized(), { transactionId: 'tx-1', amountMinor: 400n }));
    expect(balances(result.ledger)).toEqual({ available: 600n, holding: 0n, captured: 400n, reversed: 0n });
    expect(result.entry).toMatchObject({
      kind: 'CAPTURE',
      amountMinor: 400n,
      availableDeltaMinor: 0n,
      holdingDeltaMinor: -400n,
    });
    expect(checkInvariants(result.ledger)).toEqual([]);
  });

  it('releases the rest of the hold on a partial capture', () => {
    const result = Either.getOrThrow(capture(authorized(), { transactionId: 'tx-1', amountMinor: 150n }));
    expect(balances(result.ledger)).toEqual({ available: 850n, holding: 0n, captured: 150n, reversed: 0n });
    expect(result.entry).toMatchObject({ amountMinor: 150n, availableDeltaMinor: 250n, holdingDeltaMinor: -400n });
    expect(statusOf(result.ledger, 'tx-1')).toBe('CAPTURED');
    expect(checkInvariants(result.ledger)).toEqual([]);
  });

  it('accepts a zero capture, releasing everything', () => {
    expect(balances(captured(0n))).toEqual({ available: 1_000n, holding: 0n, captured: 0n, reversed: 0n });
  });

  it('is idempotent for the same amount and refuses another one', () => {
    const first = Either.getOrThrow(capture(authorized(), { transactionId: 'tx-1', amountMinor: 150n }));
    expect(Either.getOrThrow(capture(first.ledger, { transactionId: 'tx-1', amountMinor: 150n }))).toEqual({
      ledger: first.ledger,
      entry: first.entry,
      applied: false,
    });
    expect(errorOf(capture(first.ledger, { transactionId: 'tx-1', amountMinor: 400n }))).toMatchObject({
      _tag: 'IdempotencyConflict',
      kind: 'CAPTURE',
      reference: 'tx-1',
    });
  });

  it('refuses more than the hold, a negative amount, an unknown transaction and a voided one', () => {
    expect(errorOf(capture(authorized(), { transactionId: 'tx-1', amountMinor: 401n }))).toMatchObject({
      _tag: 'CaptureExceedsHold',
      code: 'CAPTURE_EXCEEDS_HOLD',
      holdMinor: 400n,
      requestedMinor: 401n,
    });
    expect(errorOf(capture(authorized(), { transactionId: 'tx-1', amountMinor: -1n }))).toMatchObject({
      _tag: 'InvalidLedgerAmount',
      operation: 'CAPTURE',
    });
    expect(errorOf(capture(funded(), { transactionId: 'tx-1', amountMinor: 1n }))._tag).toBe('HoldNotFound');
    const voided = Either.getOrThrow(voidHold(authorized(), { transactionId: 'tx-1' })).ledger;
    expect(errorOf(capture(voided, { transactionId: 'tx-1', amountMinor: 400n }))).toMatchObject({
      _tag: 'HoldAlreadySettled',
      settledAs: 'VOID',
      requested: 'CAPTURE',
    });
  });
});

describe('reverse', () => {
  it('puts the captured amount back into available', () => {
    const result = Either.getOrThrow(reverse(captured(150n), { transactionId: 'tx-1' }));
    expect(result.applied).toBe(true);
    expect(balances(result.ledger)).toEqual({ available: 1_000n, holding: 0n, captured: 150n, reversed: 150n });
    expect(result.entry).toMatchObject({
      kind: 'REVERSE',
      amountMinor: 150n,
      availableDeltaMinor: 150n,
      holdingDeltaMinor: 0n,
    });
    expect(statusOf(result.ledger, 'tx-1')).toBe('REVERSED');
    expect(checkInvariants(result.ledger)).toEqual([]);
  });

  it('is idempotent, and a capture repeated after the reversal stays a repeat', () => {
    const first = Either.getOrThrow(reverse(captured(150n), { transactionId: 'tx-1' }));
    expect(Either.getOrThrow(reverse(first.ledger, { transactionId: 'tx-1' }))).toEqual({
      ledger: first.ledger,
      entry: first.entry,
      applied: false,
    });
    expect(Either.getOrThrow(capture(first.ledger, { transactionId: 'tx-1', amountMinor: 150n })).applied).toBe(false);
    expect(errorOf(voidHold(first.ledger, { transactionId: 'tx-1' }))._tag).toBe('HoldAlreadySettled');
  });

  it('refuses before a capture, after a void, and for an unknown transaction', () => {
    expect(errorOf(reverse(authorized(), { transactionId: 'tx-1' }))).toMatchObject({
      _tag: 'HoldNotCaptured',
      code: 'HOLD_NOT_CAPTURED',
      status: 'HELD',
    });
    const voided = Either.getOrThrow(voidHold(authorized(), { transactionId: 'tx-1' })).ledger;
    expect(errorOf(reverse(voided, { transactionId: 'tx-1' }))).toMatchObject({
      _tag: 'HoldNotCaptured',
      status: 'VOIDED',
    });
    expect(errorOf(reverse(funded(), { transactionId: 'tx-1' }))._tag).toBe('HoldNotFound');
  });
});

describe('purity', () => {
  it('never changes the ledger it is given', () => {
    const before = authorized();
    const copy = (ledger: Ledger) => ({
      journal: [...ledger.journal],
      accounts: new Map(ledger.accounts),
      holds: new Map(ledger.holds),
      refusals: new Map(ledger.refusals),
    });
    const snapshot = copy(before);
    Either.getOrThrow(capture(before, { transactionId: 'tx-1', amountMinor: 100n }));
    Either.getOrThrow(authorize(before, { ...hold, transactionId: 'tx-2', amountMinor: 10n }));
    expect(errorOf(authorize(before, { ...hold, transactionId: 'tx-3', amountMinor: 5_000n })).recorded).toBe(true);
    expect(copy(before)).toEqual(snapshot);
    expect(emptyLedger.journal).toHaveLength(0);
    expect(emptyLedger.accounts.size).toBe(0);
    expect(emptyLedger.refusals.size).toBe(0);
  });
});
