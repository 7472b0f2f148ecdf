import { Either } from 'effect';
import { currencyOf } from '../money/currency';
import { type Ledger, emptyLedger, findAccount, findHold, holdStatus } from './ledger';
import { deposit, openAccount } from './ledger.accounts';
import { checkInvariants } from './ledger.invariants';
import { authorize, capture, reverse, voidHold } from './ledger.operations';

const kes = Either.getOrThrow(currencyOf('KES'));
const usd = Either.getOrThrow(currencyOf('USD'));
const errorOf = <A, E>(result: Either.Either<A, E>): E => Either.getOrThrow(Either.flip(result));

/** acct-1 (KES, credit limit 300) and acct-2 (KES, no credit), each funded with 1000. */
const funded = (): Ledger => {
  let ledger = emptyLedger;
  for (const [accountId, creditLimitMinor] of [['acct-1', 300n], ['acct-2', 0n]] as const) {
    ledger = Either.getOrThrow(openAccount(ledger, { accountId, currency: kes, creditLimitMinor })).ledger;
    ledger = Either.getOrThrow(deposit(ledger, { accountId, currency: kes, depositId: `dep-${accountId}`, amountMinor: 1_000n })).ledger;
  }
  return ledger;
};

const balances = (ledger: Ledger, accountId = 'acct-1') => {
  const account = findAccount(ledger, accountId, 'KES');
  return account && { available: account.availableMinor, holding: account.holdingMinor, captured: account.capturedMinor, reversed: account.reversedMinor };
};

const statusOf = (ledger: Ledger, transactionId: string) => {
  const found = findHold(ledger, transactionId);
  return found && holdStatus(found);
};

const hold = { accountId: 'acct-1', currency: kes, transactionId: 'tx-1', amountMinor: 400n };
const authorized = (): Ledger => Either.getOrThrow(authorize(funded(), hold)).ledger;
const captured = (amountMinor: bigint): Ledger => Either.getOrThrow(capture(authorized(), { transactionId: 'tx-1', amountMinor })).ledger;

describe('authorize', () => {
  it('moves the amount from available to holding and journals it', () => {
    const result = Either.getOrThrow(authorize(funded(), hold));
    expect(result.applied).toBe(true);
    expect(balances(result.ledger)).toEqual({ available: 600n, holding: 400n, captured: 0n, reversed: 0n });
    expect(result.entry).toMatchObject({ sequence: 3, reference: 'tx-1', kind: 'AUTHORIZE', amountMinor: 400n, availableDeltaMinor: -400n, holdingDeltaMinor: 400n });
    expect(result.ledger.journal.at(-1)).toBe(result.entry);
    expect(statusOf(result.ledger, 'tx-1')).toBe('HELD');
    expect(checkInvariants(result.ledger)).toEqual([]);
  });

  it('lets available go negative down to the credit limit, not one unit further', () => {
    const exact = Either.getOrThrow(authorize(funded(), { ...hold, amountMinor: 1_300n }));
    expect(balances(exact.ledger)).toMatchObject({ available: -300n, holding: 1_300n });
    expect(checkInvariants(exact.ledger)).toEqual([]);
    const error = errorOf(authorize(funded(), { ...hold, amountMinor: 1_301n }));
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
    expect(errorOf(authorize(funded(), { ...hold, accountId: 'acct-2', amountMinor: 1_001n }))._tag).toBe('InsufficientFunds');
    expect(Either.isRight(authorize(funded(), { ...hold, accountId: 'acct-2', amountMinor: 1_000n }))).toBe(true);
  });

  it('refuses a non-positive amount and an unknown account', () => {
    expect(errorOf(authorize(funded(), { ...hold, amountMinor: 0n }))).toMatchObject({ _tag: 'InvalidLedgerAmount', operation: 'AUTHORIZE' });
    expect(errorOf(authorize(funded(), { ...hold, amountMinor: -1n }))._tag).toBe('InvalidLedgerAmount');
    expect(errorOf(authorize(funded(), { ...hold, accountId: 'nobody' }))).toMatchObject({ _tag: 'AccountNotFound', accountId: 'nobody' });
    expect(errorOf(authorize(funded(), { ...hold, currency: usd }))).toMatchObject({ _tag: 'AccountNotFound', currency: 'USD' });
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
    for (const other of [{ ...hold, amountMinor: 401n }, { ...hold, accountId: 'acct-2' }]) {
      expect(errorOf(authorize(ledger, other))).toMatchObject({ _tag: 'IdempotencyConflict', code: 'IDEMPOTENCY_CONFLICT', reference: 'tx-1', kind: 'AUTHORIZE' });
    }
  });
});

describe('voidHold', () => {
  it('releases the whole hold back to available', () => {
    const result = Either.getOrThrow(voidHold(authorized(), { transactionId: 'tx-1' }));
    expect(result.applied).toBe(true);
    expect(balances(result.ledger)).toEqual({ available: 1_000n, holding: 0n, captured: 0n, reversed: 0n });
    expect(statusOf(result.ledger, 'tx-1')).toBe('VOIDED');
    expect(result.entry).toMatchObject({ kind: 'VOID', reference: 'tx-1', amountMinor: 400n, availableDeltaMinor: 400n, holdingDeltaMinor: -400n });
    expect(checkInvariants(result.ledger)).toEqual([]);
  });

  it('is idempotent', () => {
    const first = Either.getOrThrow(voidHold(authorized(), { transactionId: 'tx-1' }));
    expect(Either.getOrThrow(voidHold(first.ledger, { transactionId: 'tx-1' }))).toEqual({ ledger: first.ledger, entry: first.entry, applied: false });
  });

  it('refuses an unknown transaction and a captured one', () => {
    expect(errorOf(voidHold(funded(), { transactionId: 'tx-9' }))).toMatchObject({ _tag: 'HoldNotFound', code: 'HOLD_NOT_FOUND', transactionId: 'tx-9' });
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
    expect(result.entry).toMatchObject({ kind: 'CAPTURE', amountMinor: 400n, availableDeltaMinor: 0n, holdingDeltaMinor: -400n });
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
    expect(errorOf(capture(authorized(), { transactionId: 'tx-1', amountMinor: -1n }))).toMatchObject({ _tag: 'InvalidLedgerAmount', operation: 'CAPTURE' });
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
    expect(result.entry).toMatchObject({ kind: 'REVERSE', amountMinor: 150n, availableDeltaMinor: 150n, holdingDeltaMinor: 0n });
    expect(statusOf(result.ledger, 'tx-1')).toBe('REVERSED');
    expect(checkInvariants(result.ledger)).toEqual([]);
  });

  it('is idempotent, and a capture repeated after the reversal stays a repeat', () => {
    const first = Either.getOrThrow(reverse(captured(150n), { transactionId: 'tx-1' }));
    expect(Either.getOrThrow(reverse(first.ledger, { transactionId: 'tx-1' }))).toEqual({ ledger: first.ledger, entry: first.entry, applied: false });
    expect(Either.getOrThrow(capture(first.ledger, { transactionId: 'tx-1', amountMinor: 150n })).applied).toBe(false);
    expect(errorOf(voidHold(first.ledger, { transactionId: 'tx-1' }))._tag).toBe('HoldAlreadySettled');
  });

  it('refuses before a capture, after a void, and for an unknown transaction', () => {
    expect(errorOf(reverse(authorized(), { transactionId: 'tx-1' }))).toMatchObject({ _tag: 'HoldNotCaptured', code: 'HOLD_NOT_CAPTURED', status: 'HELD' });
    const voided = Either.getOrThrow(voidHold(authorized(), { transactionId: 'tx-1' })).ledger;
    expect(errorOf(reverse(voided, { transactionId: 'tx-1' }))).toMatchObject({ _tag: 'HoldNotCaptured', status: 'VOIDED' });
    expect(errorOf(reverse(funded(), { transactionId: 'tx-1' }))._tag).toBe('HoldNotFound');
  });
});

describe('purity', () => {
  it('never changes the ledger it is given', () => {
    const before = authorized();
    const snapshot = { journal: [...before.journal], accounts: new Map(before.accounts), holds: new Map(before.holds) };
    Either.getOrThrow(capture(before, { transactionId: 'tx-1', amountMinor: 100n }));
    Either.getOrThrow(authorize(before, { ...hold, transactionId: 'tx-2', amountMinor: 10n }));
    expect({ journal: [...before.journal], accounts: new Map(before.accounts), holds: new Map(before.holds) }).toEqual(snapshot);
    expect(emptyLedger.journal).toHaveLength(0);
    expect(emptyLedger.accounts.size).toBe(0);
  });
});
