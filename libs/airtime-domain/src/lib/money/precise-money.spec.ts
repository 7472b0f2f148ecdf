import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import { arbitraryCurrency, testCurrency } from '../../testing/product.arbitraries';
import type { Currency } from './currency';
import { formatScaled } from './decimal';
import { money } from './money';
import {
  addPrecise,
  chargeOf,
  comparePrecise,
  exactMoneyOf,
  formatPrecise,
  MAX_PRECISE_SCALE,
  parsePreciseMoney,
  type PreciseMoney,
  preciseMoneyFromJsonNumber,
  preciseOf,
  subtractPrecise,
} from './precise-money';

const USD = testCurrency('USD');
const PHP = testCurrency('PHP');
const JPY = testCurrency('JPY');

const usd = (text: string) => Either.getOrThrow(parsePreciseMoney(text, USD));

/** Any precise amount of `currency` at a scale from its exponent to MAX_PRECISE_SCALE. */
const arbitraryPrecise = (currency: Currency, maxUnits = 10n ** 18n): fc.Arbitrary<PreciseMoney> =>
  fc
    .tuple(fc.bigInt({ min: -maxUnits, max: maxUnits }), fc.integer({ min: currency.exponent, max: MAX_PRECISE_SCALE }))
    .map(([units, scale]) => Either.getOrThrow(parsePreciseMoney(formatScaled(units, scale), currency)));

const currencyAndTwo = arbitraryCurrency().chain((currency) =>
  fc.tuple(fc.constant(currency), arbitraryPrecise(currency), arbitraryPrecise(currency)),
);

/** `a - b` within one currency (the arbitraries keep one). */
const minus = (a: PreciseMoney, b: PreciseMoney): PreciseMoney =>
  subtractPrecise(a, b) ?? Either.getOrThrow(Either.left('amounts in two currencies'));

describe('precise money: DVS prices', () => {
  it('reads DVS prices at their own precision', () => {
    expect(usd('2.105')).toMatchObject({ units: 2105n, scale: 3 });
    expect(usd('0.0125')).toMatchObject({ units: 125n, scale: 4 });
    expect(usd('10.005')).toMatchObject({ units: 10005n, scale: 3 });
    expect(usd('1.50')).toMatchObject({ units: 150n, scale: 2 });
    expect(usd('1.5000')).toEqual(usd('1.50'));
    expect(Either.getOrThrow(parsePreciseMoney('500.000', JPY))).toMatchObject({ units: 500n, scale: 0 });
  });

  it('reads JSON numbers exactly as they were written', () => {
    const prices = JSON.parse('{"retail": 2.105, "wholesale": 1.857, "fee": 0.0125, "source": 1.953}') as Record<
      string,
      number
    >;
    expect(formatPrecise(Either.getOrThrow(preciseMoneyFromJsonNumber(prices['retail'] ?? NaN, USD)))).toBe('2.105');
    expect(formatPrecise(Either.getOrThrow(preciseMoneyFromJsonNumber(prices['wholesale'] ?? NaN, USD)))).toBe('1.857');
    expect(formatPrecise(Either.getOrThrow(preciseMoneyFromJsonNumber(prices['fee'] ?? NaN, USD)))).toBe('0.0125');
    expect(formatPrecise(Either.getOrThrow(preciseMoneyFromJsonNumber(99.995, PHP)))).toBe('99.995');
    expect(formatPrecise(Either.getOrThrow(preciseMoneyFromJsonNumber(1e13, PHP)))).toBe('10000000000000.00');
    // near 1e15 a double cannot tell PHP 1000000000000000.01 from 1e15: refused, never rounded
    expect(Either.isLeft(preciseMoneyFromJsonNumber(1e15, PHP))).toBe(true);
  });

  it('refuses what it cannot read exactly, without quoting it', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 0.1 + 0.2, 1e20]) {
      const result = preciseMoneyFromJsonNumber(value, USD);
      expect(Either.isLeft(result) && result.left._tag).toBe('InvalidAmount');
      expect(Either.isLeft(result) && result.left.message).not.toContain(String(value));
    }
    for (const text of ['', 'abc', '1.0000000000001', '1,5']) {
      const result = parsePreciseMoney(text, USD);
      expect(Either.isLeft(result) && result.left._tag).toBe('InvalidAmount');
    }
  });

  it('charges a price rounded up to the minor unit, never less', () => {
    expect(chargeOf(usd('2.105'))).toEqual(money(211n, USD));
    expect(chargeOf(usd('1.8695'))).toEqual(money(187n, USD));
    expect(chargeOf(usd('2.10'))).toEqual(money(210n, USD));
    expect(chargeOf(usd('-0.005'))).toEqual(money(0n, USD));
    expect(exactMoneyOf(usd('2.105'))).toBeUndefined();
    expect(exactMoneyOf(usd('2.1000'))).toEqual(money(210n, USD));
  });

  it('adds, subtracts and compares exactly within one currency only', () => {
    expect(addPrecise(usd('1.857'), usd('0.0125'))).toEqual(usd('1.8695'));
    expect(subtractPrecise(usd('1.87'), usd('1.8695'))).toEqual(usd('0.0005'));
    expect(subtractPrecise(usd('1'), Either.getOrThrow(parsePreciseMoney('1', PHP)))).toBeUndefined();
    expect(comparePrecise(usd('1.857'), usd('1.86'))).toBe(-1);
    expect(comparePrecise(usd('1.8600'), usd('1.86'))).toBe(0);
    expect(comparePrecise(usd('1'), Either.getOrThrow(parsePreciseMoney('1', PHP)))).toBeUndefined();
    expect(addPrecise(usd('1'), Either.getOrThrow(parsePreciseMoney('1', PHP)))).toBeUndefined();
  });
});

describe('precise money properties', () => {
  test.prop([arbitraryCurrency().chain(arbitraryPrecise)])('format then parse gives the same amount back', (value) => {
    const text = formatPrecise(value);
    expect(Either.getOrThrow(parsePreciseMoney(text, value.currency))).toEqual(value);
    expect(Either.getOrThrow(parsePreciseMoney(`${text}${value.scale === 0 ? '.' : ''}000`, value.currency))).toEqual(
      value,
    );
  });

  test.prop([arbitraryCurrency().chain((currency) => arbitraryPrecise(currency, 2n ** 51n))])(
    'a JSON number is read back as the decimal it was written from',
    (value) => {
      const fromJson = preciseMoneyFromJsonNumber(JSON.parse(formatPrecise(value)) as number, value.currency);
      // a double keeps about 15 significant digits: beyond them the reading is refused, never shifted
      if (Either.isRight(fromJson)) expect(fromJson.right).toEqual(value);
      else expect(value.units.toString().replace('-', '').length).toBeGreaterThan(15);
    },
  );

  test.prop([arbitraryCurrency().chain(arbitraryPrecise)])(
    'the charge is at least the price and less than one minor unit above it',
    (value) => {
      const charge = preciseOf(chargeOf(value));
      expect(comparePrecise(charge, value)).not.toBe(-1);
      const oneMinorUnit = preciseOf(money(1n, value.currency));
      expect(comparePrecise(minus(charge, value), oneMinorUnit)).toBe(-1);
      // exact exactly when nothing was rounded
      const exact = exactMoneyOf(value);
      expect(exact === undefined ? comparePrecise(charge, value) === 1 : comparePrecise(charge, value) === 0).toBe(
        true,
      );
      if (exact) expect(exact).toEqual(chargeOf(value));
    },
  );

  test.prop([currencyAndTwo])('comparison agrees with the sign of the difference and is antisymmetric', ([, a, b]) => {
    const difference = minus(a, b);
    const sign = difference.units < 0n ? -1 : difference.units > 0n ? 1 : 0;
    expect(comparePrecise(a, b)).toBe(sign);
    expect(comparePrecise(b, a)).toBe(-sign || 0);
    expect(comparePrecise(a, a)).toBe(0);
  });

  test.prop([currencyAndTwo])('addition is exact and commutative, and charging never gains on it', ([, a, b]) => {
    const sum = Either.getOrThrow(Either.fromNullable(addPrecise(a, b), () => 'x'));
    expect(addPrecise(b, a)).toEqual(sum);
    expect(minus(sum, b)).toEqual(a);
    // charging the sum never costs more than charging each part
    expect(chargeOf(sum).amountMinor).toBeLessThanOrEqual(chargeOf(a).amountMinor + chargeOf(b).amountMinor);
  });
});
