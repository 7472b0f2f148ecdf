import { test } from '@fast-check/jest';
import fc from 'fast-check';
import { arbitraryPreciseMoney, testCurrency } from '../../testing/product.arbitraries';
import { addPrecise, type PreciseMoney } from '../money/precise-money';
import { compareBalances, type OurExposure, type TheirExposure } from './balance-comparison';
import { samePrecise } from './mismatch-detail.format';

const CURRENCIES = ['EUR', 'JPY', 'USD', 'BHD'].map(testCurrency);

const arbitraryExposures = <E>(
  make: (currency: string, holding: PreciseMoney | undefined, captured: PreciseMoney) => E,
  holdingMayLack: boolean,
) =>
  fc
    .subarray(CURRENCIES)
    .chain((currencies) =>
      fc.tuple(
        ...currencies.map((currency) =>
          fc
            .tuple(
              holdingMayLack
                ? fc.option(arbitraryPreciseMoney(currency, 0n, 50n), { nil: undefined })
                : arbitraryPreciseMoney(currency, 0n, 50n),
              arbitraryPreciseMoney(currency, 0n, 50n),
            )
            .map(([holding, captured]) => make(currency.code, holding, captured)),
        ),
      ),
    );

const ourExposure = (currency: string, holding: PreciseMoney | undefined, captured: PreciseMoney): OurExposure => ({
  currency,
  holding: holding ?? captured,
  captured,
});
const theirExposure = (currency: string, holding: PreciseMoney | undefined, captured: PreciseMoney): TheirExposure => ({
  currency,
  holding,
  captured,
});

describe('balance comparison properties', () => {
  test.prop([arbitraryExposures(ourExposure, false), arbitraryExposures(theirExposure, true)])(
    'matches iff equal, difference = theirs - ours, a one-sided currency against zero',
    (ours, theirs) => {
      const result = compareBalances(ours, theirs);
      const codes = [...new Set([...ours, ...theirs].map((e) => e.currency))].sort();
      expect(result.map((c) => `${c.currency}/${c.field}`)).toEqual(
        codes.flatMap((code) => [`${code}/captured`, `${code}/holding`]),
      );
      for (const comparison of result) {
        const mine = ours.find((e) => e.currency === comparison.currency);
        const yours = theirs.find((e) => e.currency === comparison.currency);
        const expectedOurs = mine?.[comparison.field];
        const expectedTheirs = yours === undefined ? 'zero' : yours[comparison.field];
        if (expectedOurs === undefined) expect(comparison.ours.units).toBe(0n);
        else expect(samePrecise(comparison.ours, expectedOurs)).toBe(true);
        if (expectedTheirs === 'zero') expect(comparison.theirs?.units).toBe(0n);
        if (comparison.theirs === undefined) {
          expect(expectedTheirs).toBeUndefined();
          expect(comparison).toMatchObject({ difference: undefined, matches: false });
        } else {
          const difference = comparison.difference;
          if (difference === undefined) throw new Error('a known side has a difference');
          expect(samePrecise(addPrecise(comparison.ours, difference) ?? difference, comparison.theirs)).toBe(true);
          expect(comparison.matches).toBe(samePrecise(comparison.ours, comparison.theirs));
          expect(comparison.matches).toBe(difference.units === 0n);
        }
      }
    },
  );

  test.prop([arbitraryExposures(ourExposure, false), arbitraryExposures(ourExposure, false)])(
    'swapping the sides negates every difference and keeps every verdict',
    (a, b) => {
      const forth = compareBalances(a, b);
      const back = compareBalances(b, a);
      expect(back.map((c) => c.matches)).toEqual(forth.map((c) => c.matches));
      back.forEach((c, index) => expect(c.difference?.units).toBe(-(forth[index]?.difference?.units ?? 0n)));
    },
  );
});
