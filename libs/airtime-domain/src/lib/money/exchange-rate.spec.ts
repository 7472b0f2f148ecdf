import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import { testCurrency } from '../../testing/product.arbitraries';
import { formatExchangeRate, impliedRate, parseExchangeRate, sourceCostOf } from './exchange-rate';
import { money } from './money';

const USD = testCurrency('USD');
const PHP = testCurrency('PHP');
const JPY = testCurrency('JPY');

describe('exchange rates', () => {
  it('parses a decimal rate into an exact reduced fraction', () => {
    const rate = Either.getOrThrow(parseExchangeRate('58.25', USD, PHP));
    expect(rate).toMatchObject({ numerator: 233n, denominator: 4n });
    expect(formatExchangeRate(rate, 4)).toBe('58.2500');
  });

  it('refuses zero, negative and non-decimal rates', () => {
    for (const text of ['0', '-1.5', 'abc', '']) {
      expect(Either.isLeft(parseExchangeRate(text, USD, PHP))).toBe(true);
    }
  });

  it('derives the rate of a fixed price across exponents', () => {
    // 500 JPY for 3.40 USD: 1 USD = 147.0588... JPY
    const rate = Either.getOrThrow(impliedRate(money(340n, USD), money(500n, JPY)));
    expect(rate).toMatchObject({ numerator: 2500n, denominator: 17n });
    expect(formatExchangeRate(rate, 4)).toBe('147.0588');
  });

  it('rounds a conversion up to the source minor unit', () => {
    const rate = Either.getOrThrow(parseExchangeRate('3', USD, PHP));
    expect(sourceCostOf(rate, 100n)).toEqual(money(34n, USD)); // 1.00 PHP = 0.333.. USD
    expect(sourceCostOf(rate, 300n)).toEqual(money(100n, USD));
  });

  test.prop([
    fc.bigInt({ min: 1n, max: 10n ** 12n }),
    fc.integer({ min: 1, max: 10 ** 6 }),
    fc.integer({ min: 0, max: 4 }),
  ])('never under-charges and never over-charges by a whole minor unit', (destinationMinor, rateUnits, rateScale) => {
    const rate = Either.getOrThrow(parseExchangeRate(`${rateUnits}e-${rateScale}`, USD, PHP));
    const cost = sourceCostOf(rate, destinationMinor).amountMinor;
    // cost (USD cents) * rate >= destination (PHP cents) > (cost - 1) * rate
    expect(cost * rate.numerator).toBeGreaterThanOrEqual(destinationMinor * rate.denominator);
    expect((cost - 1n) * rate.numerator).toBeLessThan(destinationMinor * rate.denominator);
  });
});
