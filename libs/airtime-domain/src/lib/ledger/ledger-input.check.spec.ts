import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import { arbitraryHostileIdentifier } from '../../testing/identifier.arbitraries';
import { IDENTIFIER_RULES } from '../identifier/identifier';
import { type Currency, currencyOf } from '../money/currency';
import { emptyLedger, type Ledger } from './ledger';
import { deposit, openAccount, setCreditLimit } from './ledger-accounts';
import { authorize, capture, reverse, voidHold } from './ledger-operations';
import { checkLedgerCurrency, MAX_LEDGER_AMOUNT_MINOR } from './ledger-input.check';

const kes = Either.getOrThrow(currencyOf('KES'));
const forgedKes: Currency = { code: 'KES', exponent: 3 };
const errorOf = <A, E>(result: Either.Either<A, E>): E => Either.getOrThrow(Either.flip(result));

const funded = (): Ledger => {
  const opened = Either.getOrThrow(
    openAccount(emptyLedger, { accountId: 'acct-1', currency: kes, creditLimitMinor: 0n }),
  );
  return Either.getOrThrow(
    deposit(opened.ledger, { accountId: 'acct-1', currency: kes, depositId: 'dep-1', amountMinor: 1_000n }),
  ).ledger;
};

/** Expects `amountMinor` refused with `refusal` (and the operation's name) by every operation that takes an amount. */
const expectRefusedEverywhere = (amountMinor: bigint, refusal: Readonly<Record<string, unknown>>) => {
  expect(
    errorOf(deposit(funded(), { accountId: 'acct-1', currency: kes, depositId: 'd-odd', amountMinor })),
  ).toMatchObject({ ...refusal, operation: 'DEPOSIT' });
  // a failed authorize answers { ledger, error, recorded }
  expect(
    errorOf(authorize(funded(), { accountId: 'acct-1', currency: kes, transactionId: 't-odd', amountMinor })).error,
  ).toMatchObject({ ...refusal, operation: 'AUTHORIZE' });
  const held = Either.getOrThrow(
    authorize(funded(), { accountId: 'acct-1', currency: kes, transactionId: 't-held', amountMinor: 100n }),
  ).ledger;
  expect(errorOf(capture(held, { transactionId: 't-held', amountMinor }))).toMatchObject({
    ...refusal,
    operation: 'CAPTURE',
  });
  expect(
    errorOf(setCreditLimit(funded(), { accountId: 'acct-1', currency: kes, creditLimitMinor: amountMinor })),
  ).toMatchObject({ ...refusal, operation: 'SET_CREDIT_LIMIT' });
  expect(
    errorOf(openAccount(emptyLedger, { accountId: 'acct-2', currency: kes, creditLimitMinor: amountMinor })),
  ).toMatchObject({ ...refusal, operation: 'OPEN_ACCOUNT' });
};

describe('the ledger refuses bad identifiers up front, with a typed error that never echoes them', () => {
  it("deposit id '' is refused every time (before: applied, then a silent repeat that lost the second deposit)", () => {
    const ledger = funded();
    for (const _ of [1, 2]) {
      const error = errorOf(deposit(ledger, { accountId: 'acct-1', currency: kes, depositId: '', amountMinor: 100n }));
      expect(error).toMatchObject({ _tag: 'InvalidIdentifier', kind: 'DEPOSIT_ID', problem: 'EMPTY' });
    }
    expect(ledger.journal).toHaveLength(1);
  });

  it.each([100_000, 8_000, 101])('a %i-character deposit id is refused up front', (length) => {
    const error = errorOf(
      deposit(funded(), { accountId: 'acct-1', currency: kes, depositId: 'd'.repeat(length), amountMinor: 100n }),
    );
    expect(error).toMatchObject({ _tag: 'InvalidIdentifier', kind: 'DEPOSIT_ID', problem: 'TOO_LONG', length });
    expect(error.message).not.toContain('ddd');
  });

  it.each([
    ['only spaces', '   ', 'BLANK'],
    ['a right-to-left override', 'acct\u202e1', 'FORBIDDEN_CHARACTER'],
    ['a left-to-right mark', '\u200eacct', 'FORBIDDEN_CHARACTER'],
    ['an isolate', 'acct\u20661', 'FORBIDDEN_CHARACTER'],
    ['an Arabic letter mark', 'acct\u061c', 'FORBIDDEN_CHARACTER'],
    ['no character at all', '', 'EMPTY'],
    ['101 characters', 'a'.repeat(101), 'TOO_LONG'],
  ])('openAccount refuses an account id with %s', (_, accountId, problem) => {
    const error = errorOf(openAccount(emptyLedger, { accountId, currency: kes, creditLimitMinor: 0n }));
    expect(error).toMatchObject({ _tag: 'InvalidIdentifier', code: 'INVALID_IDENTIFIER', kind: 'ACCOUNT_ID', problem });
    if (accountId.trim().length > 0) expect(error.message).not.toContain(accountId);
  });

  it('every operation checks its identifiers before anything else', () => {
    const ledger = funded();
    const bad = 'tx\u202e';
    expect(
      errorOf(authorize(ledger, { accountId: 'acct-1', currency: kes, transactionId: bad, amountMinor: 1n })).error,
    ).toMatchObject({
      kind: 'TRANSACTION_ID',
    });
    expect(
      errorOf(authorize(ledger, { accountId: ' acct-1', currency: kes, transactionId: 'tx', amountMinor: 1n })).error,
    ).toMatchObject({
      kind: 'ACCOUNT_ID',
      problem: 'SURROUNDING_SPACE',
    });
    expect(errorOf(voidHold(ledger, { transactionId: '' }))).toMatchObject({ kind: 'TRANSACTION_ID' });
    expect(errorOf(capture(ledger, { transactionId: '', amountMinor: -1n }))).toMatchObject({ kind: 'TRANSACTION_ID' });
    expect(errorOf(reverse(ledger, { transactionId: 'x'.repeat(101) }))).toMatchObject({ kind: 'TRANSACTION_ID' });
    expect(errorOf(setCreditLimit(ledger, { accountId: '\u0000', currency: kes, creditLimitMinor: 0n }))).toMatchObject(
      {
        kind: 'ACCOUNT_ID',
      },
    );
  });

  test.prop([
    fc
      .constantFrom('ACCOUNT_ID', 'DEPOSIT_ID')
      .chain((kind) => fc.tuple(fc.constant(kind), arbitraryHostileIdentifier(IDENTIFIER_RULES[kind]))),
  ])('a hostile id never reaches the ledger', ([kind, id]) => {
    const ledger = funded();
    const input =
      kind === 'ACCOUNT_ID'
        ? { accountId: id, currency: kes, depositId: 'dep-2', amountMinor: 5n }
        : { accountId: 'acct-1', currency: kes, depositId: id, amountMinor: 5n };
    expect(errorOf(deposit(ledger, input))).toMatchObject({ _tag: 'InvalidIdentifier', kind });
    const transaction =
      kind === 'ACCOUNT_ID' ? { accountId: id, transactionId: 'tx-1' } : { accountId: 'acct-1', transactionId: id };
    const refused = errorOf(authorize(ledger, { ...transaction, currency: kes, amountMinor: 5n }));
    expect(refused.error._tag).toBe('InvalidIdentifier');
    expect(refused.recorded).toBe(false);
    expect(refused.ledger).toBe(ledger);
  });
});

describe('one currency, one exponent', () => {
  it('openAccount for an existing KES account given a KES with exponent 3 is refused (before: ok)', () => {
    const ledger = funded();
    const error = errorOf(openAccount(ledger, { accountId: 'acct-1', currency: forgedKes, creditLimitMinor: 0n }));
    expect(error).toMatchObject({
      _tag: 'InvalidLedgerCurrency',
      code: 'INVALID_LEDGER_CURRENCY',
      currency: 'KES',
      exponent: 3,
      expectedExponent: 2,
    });
    expect(error.message).toBe('KES has exponent 2, not 3');
  });

  it('a forged currency is refused by every operation that takes one, and an unknown code too', () => {
    const ledger = funded();
    expect(
      errorOf(openAccount(emptyLedger, { accountId: 'acct-2', currency: forgedKes, creditLimitMinor: 0n }))._tag,
    ).toBe('InvalidLedgerCurrency');
    expect(
      errorOf(setCreditLimit(ledger, { accountId: 'acct-1', currency: forgedKes, creditLimitMinor: 5n }))._tag,
    ).toBe('InvalidLedgerCurrency');
    expect(
      errorOf(deposit(ledger, { accountId: 'acct-1', currency: forgedKes, depositId: 'dep-9', amountMinor: 5n }))._tag,
    ).toBe('InvalidLedgerCurrency');
    expect(
      errorOf(authorize(ledger, { accountId: 'acct-1', currency: forgedKes, transactionId: 'tx-9', amountMinor: 5n }))
        .error._tag,
    ).toBe('InvalidLedgerCurrency');
    const unknown = errorOf(checkLedgerCurrency({ code: 'K<script>', exponent: 2 }));
    expect(unknown).toMatchObject({ currency: undefined, expectedExponent: undefined });
    expect(unknown.message).not.toContain('script');
  });

  test.prop([fc.constantFrom('KES', 'USD', 'JPY', 'BHD'), fc.integer({ min: -2, max: 8 })])(
    'a currency is accepted exactly when its exponent is the ISO 4217 one',
    (code, exponent) => {
      const known = Either.getOrThrow(currencyOf(code));
      expect(Either.isRight(checkLedgerCurrency({ code, exponent }))).toBe(exponent === known.exponent);
    },
  );
});

describe('the largest ledger amount: 2^51 minor units, the same bound in every store', () => {
  const max = MAX_LEDGER_AMOUNT_MINOR;

  it('is 2^51', () => {
    expect(max).toBe(2_251_799_813_685_248n);
  });

  it('takes 2^51 and refuses 2^51 + 1 and 2^63 in every operation that takes an amount (before: any size)', () => {
    for (const amountMinor of [max + 1n, 2n ** 63n])
      expectRefusedEverywhere(amountMinor, { _tag: 'InvalidLedgerAmount', amountMinor });
    const big = Either.getOrThrow(
      deposit(funded(), { accountId: 'acct-1', currency: kes, depositId: 'd-max', amountMinor: max }),
    );
    expect(big.entry).toMatchObject({ kind: 'DEPOSIT', amountMinor: max });
    expect(
      Either.isRight(setCreditLimit(funded(), { accountId: 'acct-1', currency: kes, creditLimitMinor: max })),
    ).toBe(true);
  });
});

describe('an amount that is not a bigint of minor units', () => {
  // a JavaScript caller (no type-check) may pass a number or a text: refused, never a TypeError
  // ("Cannot mix BigInt and other types") thrown from the arithmetic after the checks
  const notBigints = [10, 10.5, Number.NaN, '10', null, undefined, { amount: 10 }] as unknown as bigint[];

  it('is InvalidLedgerAmount in every operation that takes one, never a throw', () => {
    for (const amountMinor of notBigints) expectRefusedEverywhere(amountMinor, { _tag: 'InvalidLedgerAmount' });
  });
});
