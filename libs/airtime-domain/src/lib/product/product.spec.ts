import { test } from '@fast-check/jest';
import { Either } from 'effect';
import { arbitraryProductId, testCurrency } from '../../testing/product.arbitraries';
import type { ExchangeRate } from '../money/exchange-rate';
import { money } from '../money/money';
import { preciseMoney, preciseOf } from '../money/precise-money';
import { compareProductIds, costAt, exactCostAt, makeFixedProduct, makeRangedProduct } from './product';

const KES = testCurrency('KES');
const USD = testCurrency('USD');
const safaricom = { id: '77', name: 'Safaricom', countryIso: 'KE' };

const rangedWith = (numerator: bigint, denominator: bigint) =>
  makeRangedProduct({
    id: '4001',
    name: 'Safaricom any amount',
    kind: 'AIRTIME',
    operator: safaricom,
    destinationMin: money(500n, KES),
    destinationMax: money(100_000n, KES),
    stepMinor: 100n,
    rate: { source: USD, destination: KES, numerator, denominator } satisfies ExchangeRate,
    fee: preciseOf(money(0n, USD)),
  });

const fixedPriced = (wholesale = preciseMoney(1857n, 3, USD), fee = preciseMoney(125n, 4, USD)) =>
  makeFixedProduct({
    id: '1',
    name: 'Safaricom 100',
    kind: 'AIRTIME',
    operator: safaricom,
    destination: money(10_000n, KES),
    wholesale,
    fee,
  });

const sign = (value: number) => Math.sign(value);

describe('product ids', () => {
  it('orders digit ids by number, before every other id, and others by text', () => {
    const sorted = ['1a', '10', 'b', '9', '09', 'a', '100', 'A'].sort(compareProductIds);
    expect(sorted).toEqual(['09', '9', '10', '100', '1a', 'A', 'a', 'b']);
  });

  it("is transitive where the old order was not ('9' < '10' < '1a' < '9')", () => {
    expect(sign(compareProductIds('9', '10'))).toBe(-1);
    expect(sign(compareProductIds('10', '1a'))).toBe(-1);
    expect(sign(compareProductIds('9', '1a'))).toBe(-1);
  });

  test.prop([arbitraryProductId(), arbitraryProductId(), arbitraryProductId()])(
    'is a strict total order: antisymmetric, transitive, 0 only for equal ids',
    (a, b, c) => {
      expect(sign(compareProductIds(a, b))).toBe(-sign(compareProductIds(b, a)) || 0);
      expect(compareProductIds(a, b) === 0).toBe(a === b);
      if (compareProductIds(a, b) < 0 && compareProductIds(b, c) < 0) expect(compareProductIds(a, c)).toBeLessThan(0);
    },
  );
});

describe('ranged products', () => {
  it('need a positive exchange rate when they are made', () => {
    for (const [numerator, denominator] of [
      [1n, 0n],
      [1n, -1n],
      [0n, 1n],
      [-1n, 1n],
    ] as const) {
      const result = rangedWith(numerator, denominator);
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'InvalidProduct',
        reason: 'the exchange rate must be positive',
      });
    }
    expect(Either.isRight(rangedWith(1295n, 10n))).toBe(true);
  });
});

describe('fixed products at the provider precision', () => {
  it('keep a DVS price exactly and charge it rounded up', () => {
    const product = Either.getOrThrow(fixedPriced());
    expect(exactCostAt(product, 0n)).toEqual(preciseMoney(18695n, 4, USD));
    expect(costAt(product, 0n)).toEqual(money(187n, USD));
  });

  it('refuse prices that are not positive, negative fees and malformed scales', () => {
    const reasonOf = (result: ReturnType<typeof fixedPriced>) => (Either.isLeft(result) ? result.left.reason : 'made');
    expect(reasonOf(fixedPriced(preciseMoney(0n, 3, USD)))).toBe('wholesale price must be positive');
    expect(reasonOf(fixedPriced(undefined, preciseMoney(-1n, 4, USD)))).toBe('fee cannot be negative');
    expect(reasonOf(fixedPriced({ units: 1857n, scale: 1.5, currency: USD }))).toBe('a price has an invalid scale');
    expect(reasonOf(fixedPriced({ units: 1n, scale: 1, currency: USD }))).toBe('a price has an invalid scale');
    expect(reasonOf(fixedPriced(undefined, { units: 1n, scale: 13, currency: USD }))).toBe(
      'a price has an invalid scale',
    );
    expect(reasonOf(fixedPriced(undefined, preciseOf(money(1n, KES))))).toBe(
      'fee and wholesale price differ in currency',
    );
  });
});

describe('currencies and amounts of a product', () => {
  // a currency built by hand with another exponent than ISO 4217's: PHP 30 written as 30 minor units
  const forgedKes = { code: 'KES', exponent: 0 };
  const forgedUsd = { code: 'USD', exponent: 3 };

  it('refuses a fixed product whose destination or prices are not in a currency of the table', () => {
    const base = {
      id: '1',
      name: 'Safaricom 100',
      kind: 'AIRTIME' as const,
      operator: safaricom,
      destination: money(10_000n, KES),
      wholesale: preciseMoney(1857n, 3, USD),
      fee: preciseMoney(125n, 4, USD),
    };
    expect(Either.isRight(makeFixedProduct(base))).toBe(true);
    for (const fields of [
      { ...base, destination: money(100n, forgedKes) },
      { ...base, wholesale: preciseMoney(1857n, 3, forgedUsd), fee: preciseMoney(125n, 4, forgedUsd) },
      { ...base, destination: { amountMinor: 10_000 as unknown as bigint, currency: KES } },
    ]) {
      const made = makeFixedProduct(fields);
      expect(Either.isLeft(made) && made.left._tag).toBe('InvalidProduct');
    }
  });

  it('refuses a ranged product whose range or fee is not in a currency of the table', () => {
    const ranged = (destination: typeof KES, source: typeof USD) =>
      makeRangedProduct({
        id: '4001',
        name: 'Safaricom any amount',
        kind: 'AIRTIME',
        operator: safaricom,
        destinationMin: money(500n, destination),
        destinationMax: money(100_000n, destination),
        stepMinor: 100n,
        rate: { source, destination, numerator: 130n, denominator: 1n },
        fee: preciseOf(money(0n, source)),
      });
    expect(Either.isRight(ranged(KES, USD))).toBe(true);
    for (const made of [ranged(forgedKes, USD), ranged(KES, forgedUsd)])
      expect(Either.isLeft(made) && made.left._tag).toBe('InvalidProduct');
  });
});
