import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import { arbitraryCurrency, testCurrency } from '../../testing/product.arbitraries';
import { checkCurrency, type Currency, currencyOf } from './currency';
import {
  addMoney,
  compareMoney,
  formatMoney,
  formatProviderAmount,
  money,
  moneyFromJsonNumber,
  parseMoney,
  parseProviderAmount,
  subtractMoney,
} from './money';
import type { InvalidAmount } from './money.errors';
import { parsePreciseMoney, preciseMoneyFromJsonNumber } from './precise-money';

const KES = testCurrency('KES');
const JPY = testCurrency('JPY');
const BHD = testCurrency('BHD');
const USD = testCurrency('USD');

const leftTag = <A, E extends { _tag: string }>(result: Either.Either<A, E>) =>
  Either.isLeft(result) ? result.left._tag : 'Right';

describe('currencies', () => {
  it('knows ISO 4217 exponents', () => {
    expect(KES.exponent).toBe(2);
    expect(JPY.exponent).toBe(0);
    expect(BHD.exponent).toBe(3);
  });
  it('refuses an unknown code with a typed error', () => {
    const result = currencyOf('XYZ');
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'UnknownCurrency',
      code: 'UNKNOWN_CURRENCY',
      currencyCode: 'XYZ',
    });
  });
});

describe('parsing amounts', () => {
  it("reads Africa's Talking amounts exactly", () => {
    expect(Either.getOrThrow(parseProviderAmount('KES 100.0000'))).toEqual(money(10_000n, KES));
    expect(Either.getOrThrow(parseProviderAmount('KES 0.6000'))).toEqual(money(60n, KES));
    expect(Either.getOrThrow(parseProviderAmount('JPY 500'))).toEqual(money(500n, JPY));
  });

  it('refuses digits the currency cannot hold instead of rounding', () => {
    expect(leftTag(parseMoney('100.005', KES))).toBe('InvalidAmount');
    expect(leftTag(parseMoney('1.5', JPY))).toBe('InvalidAmount');
    expect(leftTag(parseProviderAmount('KES 100.0050'))).toBe('InvalidAmount');
  });

  it('refuses what is not a decimal and currencies it does not know', () => {
    for (const text of ['', 'abc', '1,000.00', '1.2.3', '.5', '5.', 'NaN', 'Infinity', '0x10']) {
      expect(leftTag(parseMoney(text, KES))).toBe('InvalidAmount');
    }
    expect(leftTag(parseProviderAmount('100.00 KES'))).toBe('InvalidAmount');
    expect(leftTag(parseProviderAmount('XXY 100.00'))).toBe('UnknownCurrency');
    expect(leftTag(parseProviderAmount('KES -5.00'))).toBe('InvalidAmount');
    expect(leftTag(parseProviderAmount('KES 1e3'))).toBe('InvalidAmount');
    expect(leftTag(parseMoney('1e999', KES))).toBe('InvalidAmount');
  });

  it('reads exponent notation exactly', () => {
    expect(Either.getOrThrow(parseMoney('1.5e3', KES))).toEqual(money(150_000n, KES));
    expect(Either.getOrThrow(parseMoney('25E-2', KES))).toEqual(money(25n, KES));
  });

  it('reads JSON decimals as the literal that was sent', () => {
    const decoded = JSON.parse('{"amount": 10.5, "price": 0.55, "fee": 0.1}') as Record<string, number>;
    expect(Either.getOrThrow(moneyFromJsonNumber(decoded['amount'] ?? NaN, USD))).toEqual(money(1050n, USD));
    expect(Either.getOrThrow(moneyFromJsonNumber(decoded['price'] ?? NaN, USD))).toEqual(money(55n, USD));
    expect(Either.getOrThrow(moneyFromJsonNumber(decoded['fee'] ?? NaN, USD))).toEqual(money(10n, USD));
    expect(leftTag(moneyFromJsonNumber(0.1 + 0.2, USD))).toBe('InvalidAmount');
    expect(leftTag(moneyFromJsonNumber(2 ** 60, USD))).toBe('InvalidAmount');
    // beyond 2^51 minor units a double cannot tell neighbouring cents apart: refused, never shifted by a cent
    expect(leftTag(moneyFromJsonNumber(JSON.parse('90071992547409.93') as number, USD))).toBe('InvalidAmount');
    expect(Either.getOrThrow(moneyFromJsonNumber(JSON.parse('9007199254740.99') as number, USD))).toEqual(
      money(900719925474099n, USD),
    );
    expect(leftTag(moneyFromJsonNumber(Number.NaN, USD))).toBe('InvalidAmount');
  });

  test.prop([arbitraryCurrency(), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n })])(
    'format then parse gives the same money back',
    (currency, amountMinor) => {
      const value = money(amountMinor, currency);
      expect(Either.getOrThrow(parseMoney(formatMoney(value), currency))).toEqual(value);
    },
  );

  test.prop([arbitraryCurrency(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 6 })])(
    'provider amounts round-trip at any number of fraction digits',
    (currency, amountMinor, fractionDigits) => {
      const value = money(amountMinor, currency);
      const text = Either.getOrThrow(formatProviderAmount(value, fractionDigits));
      expect(text.startsWith(`${currency.code} `)).toBe(true);
      expect(Either.getOrThrow(parseProviderAmount(text))).toEqual(value);
    },
  );

  test.prop([fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), fc.integer({ min: 0, max: 3 })])(
    'a JSON decimal is read exactly, or refused when a double cannot carry it',
    (units, scale) => {
      const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
      const literal = `${units < 0n ? '-' : ''}${scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
      const fromJson = moneyFromJsonNumber(JSON.parse(literal) as number, BHD);
      const exact = Either.getOrThrow(parseMoney(literal, BHD));
      const magnitude = exact.amountMinor < 0n ? -exact.amountMinor : exact.amountMinor;
      if (magnitude <= 2n ** 51n) expect(Either.getOrThrow(fromJson)).toEqual(exact);
      else expect(Either.isLeft(fromJson)).toBe(true);
    },
  );
});

describe('formatting', () => {
  it('writes the currency exponent, or more digits for a provider', () => {
    expect(formatMoney(money(5n, KES))).toBe('0.05');
    expect(formatMoney(money(-1234n, KES))).toBe('-12.34');
    expect(formatMoney(money(500n, JPY))).toBe('500');
    expect(formatProviderAmount(money(10_000n, KES), 4)).toEqual(Either.right('KES 100.0000'));
    expect(formatProviderAmount(money(10_000n, KES), 0)).toEqual(Either.right('KES 100.00'));
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and compares within a currency', () => {
    expect(Either.getOrThrow(addMoney(money(150n, KES), money(50n, KES)))).toEqual(money(200n, KES));
    expect(Either.getOrThrow(subtractMoney(money(150n, KES), money(200n, KES)))).toEqual(money(-50n, KES));
    expect(Either.getOrThrow(compareMoney(money(1n, KES), money(2n, KES)))).toBe(-1);
  });
  it('refuses to mix currencies', () => {
    expect(leftTag(addMoney(money(1n, KES), money(1n, USD)))).toBe('CurrencyMismatch');
    expect(leftTag(subtractMoney(money(1n, KES), money(1n, USD)))).toBe('CurrencyMismatch');
    expect(leftTag(compareMoney(money(1n, KES), money(1n, USD)))).toBe('CurrencyMismatch');
  });
});

describe('provider amounts: no throw, one meaning', () => {
  it('refuses fraction digits that are not a small whole number, with a typed error', () => {
    for (const digits of [2.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 13]) {
      expect(leftTag(formatProviderAmount(money(10_000n, KES), digits))).toBe('InvalidAmount');
    }
  });

  it('reads anything that is not a text as an invalid amount', () => {
    for (const input of [null, undefined, 100, 100n, {}, ['KES 1'], true]) {
      const result = parseProviderAmount(input);
      expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidAmount', reason: 'not a text' });
    }
  });

  it('never writes a negative provider amount, which it could not read back', () => {
    expect(leftTag(formatProviderAmount(money(-5n, KES), 4))).toBe('InvalidAmount');
    expect(leftTag(parseProviderAmount('KES -0.0500'))).toBe('InvalidAmount');
    expect(formatProviderAmount(money(0n, KES), 4)).toEqual(Either.right('KES 0.0000'));
  });

  it('never writes a currency it would not read back', () => {
    expect(leftTag(formatProviderAmount(money(1n, { code: 'XXX', exponent: 0 })))).toBe('UnknownCurrency');
    expect(leftTag(formatProviderAmount(money(1n, { code: 'KES', exponent: 3 })))).toBe('UnknownCurrency');
  });

  it('reads insignificant zeros as the amount they write', () => {
    expect(Either.getOrThrow(parseProviderAmount(`KES 1.${'0'.repeat(60)}`))).toEqual(money(100n, KES));
    expect(Either.getOrThrow(parseProviderAmount(`KES ${'0'.repeat(70)}1.00`))).toEqual(money(100n, KES));
    expect(Either.getOrThrow(parseMoney(`1.${'0'.repeat(200)}e2`, KES))).toEqual(money(10_000n, KES));
  });

  it('refuses too many significant digits, saying so', () => {
    const result = parseProviderAmount(`KES 1${'0'.repeat(60)}`);
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'InvalidAmount',
      reason: 'more than 60 significant digits',
    });
    const tiny = parseMoney(`0.${'0'.repeat(60)}1`, KES);
    expect(Either.isLeft(tiny) && tiny.left.reason).toBe('more than 60 significant digits');
    expect(leftTag(formatProviderAmount(money(10n ** 61n, KES)))).toBe('InvalidAmount');
  });

  it('never quotes the text it refuses', () => {
    for (const text of ['KES 12abc34', '+254711000111', 'KES 100.0050', 'XXY 100.00', 'KES -5.00']) {
      const result = parseProviderAmount(text);
      expect(Either.isLeft(result) && result.left.message).not.toContain(text);
    }
    const fromJson = moneyFromJsonNumber(0.1 + 0.2, USD);
    expect(Either.isLeft(fromJson) && fromJson.left.message).not.toContain(String(0.1 + 0.2));
  });
});

describe('forged currencies and zero', () => {
  const forged: readonly Currency[] = [
    { code: 'KES', exponent: 1.5 },
    { code: 'KES', exponent: 3 },
    { code: 'KES', exponent: -1 },
    { code: 'KES', exponent: Number.NaN },
    { code: 'KES', exponent: 1e9 },
    { code: 'ZZZ', exponent: 2 },
  ];

  it.each(forged)('refuses %o with a typed error in every reader that takes a currency, never a throw', (currency) => {
    const reason = 'the currency is not an ISO 4217 currency with its own exponent';
    const results: readonly Either.Either<unknown, InvalidAmount>[] = [
      parseMoney('1.5', currency),
      moneyFromJsonNumber(1.5, currency),
      parsePreciseMoney('1.5', currency),
      preciseMoneyFromJsonNumber(1.5, currency),
    ];
    for (const result of results) {
      expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidAmount', reason });
    }
    expect(leftTag(formatProviderAmount(money(15n, currency), 4))).toBe('UnknownCurrency');
    // the default fraction digits are the forged exponent's: refused too, typed
    expect(['InvalidAmount', 'UnknownCurrency']).toContain(leftTag(formatProviderAmount(money(15n, currency))));
    expect(Either.isLeft(checkCurrency(currency))).toBe(true);
  });

  it('checkCurrency gives the table currency for a true one, and refuses what is not a currency', () => {
    expect(Either.getOrThrow(checkCurrency({ code: 'KES', exponent: 2 }))).toBe(KES);
    for (const notCurrency of [null, undefined, 'KES', 2, { code: 'KES' }, { exponent: 2 }]) {
      expect(leftTag(checkCurrency(notCurrency))).toBe('UnknownCurrency');
    }
  });

  it('reads zero with any exponent as 0, and refuses a large value with a true reason', () => {
    expect(Either.getOrThrow(parseMoney('0e999', KES))).toEqual(money(0n, KES));
    expect(Either.getOrThrow(parseMoney('-0.000e-5', KES))).toEqual(money(0n, KES));
    expect(Either.getOrThrow(parsePreciseMoney('0e999', KES)).units).toBe(0n);
    const huge = parseMoney('1e999', KES);
    expect(Either.isLeft(huge) && huge.left.reason).toBe('more than 60 integer digits');
    // fraction digits moved into the integer part count too
    const shifted = parseMoney('0.001e999', KES);
    expect(Either.isLeft(shifted) && shifted.left.reason).toBe('more than 60 integer digits');
    expect(Either.getOrThrow(parseMoney('0.001e3', KES))).toEqual(money(100n, KES));
  });
});
