import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import { arbitraryRangedProduct, testCurrency } from '../../testing/product.arbitraries';
import { parseExchangeRate } from '../money/exchange-rate';
import { money } from '../money/money';
import { preciseOf } from '../money/precise-money';
import { destinationAt, gridSize, makeRangedProduct } from '../product/product';
import { candidateGrid, largestIndexAtOrBelow, smallestIndexAtOrAbove } from './candidate-grid';
import { selectDenomination } from './denomination-selector';

const KES = testCurrency('KES');
const USD = testCurrency('USD');

// 10.00 to 10,000.00 KES in steps of 0.50 KES, 1 USD = 129.5 KES, fee 0.05 USD
const wideRange = Either.getOrThrow(
  makeRangedProduct({
    id: '4001',
    name: 'Safaricom any amount',
    kind: 'AIRTIME',
    operator: { id: '77', name: 'Safaricom', countryIso: 'KE' },
    destinationMin: money(1_000n, KES),
    destinationMax: money(1_000_000n, KES),
    stepMinor: 50n,
    rate: Either.getOrThrow(parseExchangeRate('129.5', USD, KES)),
    fee: preciseOf(money(5n, USD)),
  }),
);

describe('ranged products', () => {
  it('lands on the step grid below max without enumerating it', () => {
    const quote = Either.getOrThrow(selectDenomination([wideRange], { maxAmount: money(123_456n, KES) }));
    expect(quote.receive).toEqual(money(123_450n, KES));
    expect(gridSize(wideRange)).toBe(19_981n);
  });

  it('lands on the next grid value above desired', () => {
    const quote = Either.getOrThrow(
      selectDenomination([wideRange], { maxAmount: money(500_000n, KES), desiredAmount: money(1_001n, KES) }),
    );
    expect(quote.receive).toEqual(money(1_050n, KES));
  });

  it('prices a ranged amount through the rate, rounded up, plus the fee', () => {
    const quote = Either.getOrThrow(selectDenomination([wideRange], { maxAmount: money(10_000n, KES) }));
    // 100.00 KES / 129.5 = 0.7722 USD -> 78 cents, + 5 cents fee
    expect(quote.wholesale).toEqual(preciseOf(money(78n, USD)));
    expect(quote.cost).toEqual(money(83n, USD));
    expect(quote.roundingUp).toEqual(preciseOf(money(0n, USD)));
    expect(quote.rate).toBe(wideRange.rate);
  });

  it('in the source currency, buys the most destination amount a cost allows', () => {
    const quote = Either.getOrThrow(selectDenomination([wideRange], { maxAmount: money(83n, USD) }));
    expect(quote.cost.amountMinor).toBeLessThanOrEqual(83n);
    // 78 cents buy up to 101.01 KES; the grid value at or below is 101.00
    expect(quote.receive).toEqual(money(10_100n, KES));
  });

  it('at a desired cost, also gives the most destination amount that cost buys', () => {
    const quote = Either.getOrThrow(
      selectDenomination([wideRange], { maxAmount: money(100n, USD), desiredAmount: money(83n, USD) }),
    );
    // 100.00 KES is the first amount costing 83 cents; 101.00 KES costs the same
    expect(quote.cost).toEqual(money(83n, USD));
    expect(quote.receive).toEqual(money(10_100n, KES));
  });

  test.prop([arbitraryRangedProduct(KES, USD, 200), fc.bigInt({ min: 0n, max: 120_000n })])(
    'binary searches agree with a linear scan of the grid',
    (product, limit) => {
      const grid = candidateGrid(product, KES);
      expect(grid).toBeDefined();
      if (!grid) return;
      const values: bigint[] = [];
      for (let i = 0n; i < grid.size; i++) values.push(grid.valueAt(i));
      const below = values
        .map((v, i) => [v, i] as const)
        .filter(([v]) => v <= limit)
        .pop();
      const above = values.map((v, i) => [v, i] as const).find(([v]) => v >= limit);
      expect(largestIndexAtOrBelow(grid, limit)).toBe(below === undefined ? undefined : BigInt(below[1]));
      expect(smallestIndexAtOrAbove(grid, limit)).toBe(above === undefined ? undefined : BigInt(above[1]));
      const last = destinationAt(product, grid.size - 1n).amountMinor;
      expect(last).toBeLessThanOrEqual(product.destinationMax.amountMinor);
      expect(last + product.stepMinor).toBeGreaterThan(product.destinationMax.amountMinor);
    },
  );

  it('refuses malformed ranges', () => {
    const base = { ...wideRange };
    expect(Either.isLeft(makeRangedProduct({ ...base, stepMinor: 0n }))).toBe(true);
    expect(Either.isLeft(makeRangedProduct({ ...base, destinationMax: money(10n, KES) }))).toBe(true);
    expect(Either.isLeft(makeRangedProduct({ ...base, fee: preciseOf(money(1n, KES)) }))).toBe(true);
  });
});
