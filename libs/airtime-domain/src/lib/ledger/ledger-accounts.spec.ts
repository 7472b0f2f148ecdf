import { Either } from 'effect';
import { currencyOf } from '../money/currency';
import { emptyLedger, findAccount } from './ledger';
import { deposit, openAccount, setCreditLimit } from './ledger-accounts';
import { checkInvariants } from './ledger-invariants';
import { authorize } from './ledger-operations';

const kes = Either.getOrThrow(currencyOf('KES'));
const usd = Either.getOrThrow(currencyOf('USD'));
const errorOf = <A, E>(result: Either.Either<A, E>): E => Either.getOrThrow(Either.flip(result));

const opened = (creditLimitMinor = 0n) =>
  Either.getOrThrow(openAccount(emptyLedger, { accountId: 'acct-1', currency: kes, creditLimitMinor })).ledger;

describe('openAccount', () => {
  it('opens an account with zero balances and the given credit limit', () => {
    const result = Either.getOrThrow(
      openAccount(emptyLedger, { accountId: 'acct-1', currency: kes, creditLimitMinor: 500n }),
    );
    expect(result.applied).toBe(true);
    expect(result.account).toEqual({
      accountId: 'acct-1',
      currency: kes,
      creditLimitMinor: 500n,
      availableMinor: 0n,
      holdingMinor: 0n,
      capturedMinor: 0n,
      reversedMinor: 0n,
      fundedMinor: 0n,
    });
    expect(findAccount(result.ledger, 'acct-1', 'KES')).toBe(result.account);
    expect(findAccount(emptyLedger, 'acct-1', 'KES')).toBeUndefined();
  });

  it('keeps one account per currency', () => {
    const ledger = Either.getOrThrow(
      openAccount(opened(), { accountId: 'acct-1', currency: usd, creditLimitMinor: 0n }),
    ).ledger;
    expect(ledger.accounts.size).toBe(2);
    expect(findAccount(ledger, 'acct-1', 'USD')?.currency).toBe(usd);
  });

  it('is idempotent when opened again identically', () => {
    const ledger = opened(500n);
    const again = Either.getOrThrow(
      openAccount(ledger, { accountId: 'acct-1', currency: kes, creditLimitMinor: 500n }),
    );
    expect(again.applied).toBe(false);
    expect(again.ledger).toBe(ledger);
  });

  it('refuses to open again with another credit limit', () => {
    const error = errorOf(openAccount(opened(500n), { accountId: 'acct-1', currency: kes, creditLimitMinor: 100n }));
    expect(error._tag).toBe('AccountAlreadyOpen');
    expect(error).toMatchObject({
      code: 'ACCOUNT_ALREADY_OPEN',
      creditLimitMinor: 500n,
      requestedCreditLimitMinor: 100n,
    });
    expect(error.message).toContain('acct-1');
  });

  it('refuses a negative credit limit', () => {
    const error = errorOf(openAccount(emptyLedger, { accountId: 'acct-1', currency: kes, creditLimitMinor: -1n }));
    expect(error).toMatchObject({
      _tag: 'InvalidLedgerAmount',
      code: 'INVALID_LEDGER_AMOUNT',
      operation: 'OPEN_ACCOUNT',
      amountMinor: -1n,
    });
  });
});

describe('setCreditLimit', () => {
  it('changes the credit limit and nothing else', () => {
    const result = Either.getOrThrow(
      setCreditLimit(opened(), { accountId: 'acct-1', currency: kes, creditLimitMinor: 700n }),
    );
    expect(result.applied).toBe(true);
    expect(result.account.creditLimitMinor).toBe(700n);
    expect(findAccount(result.ledger, 'acct-1', 'KES')?.creditLimitMinor).toBe(700n);
    expect(result.ledger.journal).toHaveLength(0);
  });

  it('changes nothing when the limit is the same', () => {
    const ledger = opened(300n);
    const result = Either.getOrThrow(
      setCreditLimit(ledger, { accountId: 'acct-1', currency: kes, creditLimitMinor: 300n }),
    );
    expect(result).toMatchObject({ applied: false, ledger });
  });

  it('refuses a limit that no longer covers a negative available balance', () => {
    const drawn = Either.getOrThrow(
      authorize(opened(500n), { accountId: 'acct-1', currency: kes, transactionId: 'tx-1', amountMinor: 400n }),
    ).ledger;
    const error = errorOf(setCreditLimit(drawn, { accountId: 'acct-1', currency: kes, creditLimitMinor: 399n }));
    expect(error).toMatchObject({
      _tag: 'CreditLimitInUse',
      code: 'CREDIT_LIMIT_IN_USE',
      availableMinor: -400n,
      requestedCreditLimitMinor: 399n,
    });
    const lowered = Either.getOrThrow(
      setCreditLimit(drawn, { accountId: 'acct-1', currency: kes, creditLimitMinor: 400n }),
    );
    expect(lowered.account.creditLimitMinor).toBe(400n);
    expect(checkInvariants(lowered.ledger)).toEqual([]);
  });

  it('refuses an unknown account and a negative limit', () => {
    expect(
      errorOf(setCreditLimit(opened(), { accountId: 'acct-2', currency: kes, creditLimitMinor: 1n })),
    ).toMatchObject({
      _tag: 'AccountNotFound',
      code: 'ACCOUNT_NOT_FOUND',
      accountId: 'acct-2',
      currency: 'KES',
    });
    expect(errorOf(setCreditLimit(opened(), { accountId: 'acct-1', currency: kes, creditLimitMinor: -5n }))._tag).toBe(
      'InvalidLedgerAmount',
    );
  });
});

describe('deposit', () => {
  const input = { accountId: 'acct-1', currency: kes, depositId: 'dep-1', amountMinor: 1_000n };

  it('adds to available and funded and journals the movement', () => {
    const result = Either.getOrThrow(deposit(opened(), input));
    expect(result.applied).toBe(true);
    expect(result.entry).toEqual({
      sequence: 1,
      accountId: 'acct-1',
      currency: 'KES',
      reference: 'dep-1',
      kind: 'DEPOSIT',
      amountMinor: 1_000n,
      availableDeltaMinor: 1_000n,
      holdingDeltaMinor: 0n,
    });
    expect(findAccount(result.ledger, 'acct-1', 'KES')).toMatchObject({
      availableMinor: 1_000n,
      fundedMinor: 1_000n,
      holdingMinor: 0n,
    });
    expect(result.ledger.journal).toEqual([result.entry]);
  });

  it('is idempotent by deposit id', () => {
    const first = Either.getOrThrow(deposit(opened(), input));
    const again = Either.getOrThrow(deposit(first.ledger, input));
    expect(again.applied).toBe(false);
    expect(again.entry).toBe(first.entry);
    expect(again.ledger).toBe(first.ledger);
    expect(findAccount(again.ledger, 'acct-1', 'KES')?.availableMinor).toBe(1_000n);
  });

  it('refuses the same deposit id with another amount, account or currency', () => {
    const base = Either.getOrThrow(
      openAccount(opened(), { accountId: 'acct-2', currency: kes, creditLimitMinor: 0n }),
    ).ledger;
    const ledger = Either.getOrThrow(deposit(base, input)).ledger;
    for (const other of [
      { ...input, amountMinor: 999n },
      { ...input, accountId: 'acct-2' },
      { ...input, currency: usd },
    ]) {
      expect(errorOf(deposit(ledger, other))).toMatchObject({
        _tag: 'IdempotencyConflict',
        code: 'IDEMPOTENCY_CONFLICT',
        reference: 'dep-1',
        kind: 'DEPOSIT',
      });
    }
  });

  it('refuses an unknown account (or currency) and a non-positive amount', () => {
    expect(errorOf(deposit(opened(), { ...input, currency: usd }))).toMatchObject({
      _tag: 'AccountNotFound',
      currency: 'USD',
    });
    expect(errorOf(deposit(opened(), { ...input, amountMinor: 0n }))).toMatchObject({
      _tag: 'InvalidLedgerAmount',
      operation: 'DEPOSIT',
    });
    expect(errorOf(deposit(opened(), { ...input, amountMinor: -3n }))._tag).toBe('InvalidLedgerAmount');
  });
});
