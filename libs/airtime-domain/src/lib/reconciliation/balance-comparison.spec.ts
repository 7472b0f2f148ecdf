import { testCurrency } from '../../testing/product.arbitraries';
import { preciseMoney } from '../money/precise-money';
import { compareBalances, type OurExposure, type TheirExposure } from './balance-comparison';

const usd = testCurrency('USD');
const eur = testCurrency('EUR');
const usdOf = (units: bigint, scale = 2) => preciseMoney(units, scale, usd);
const eurOf = (units: bigint, scale = 2) => preciseMoney(units, scale, eur);

const ours = (holding: bigint, captured: bigint): OurExposure => ({
  currency: 'USD',
  holding: usdOf(holding, 4),
  captured: usdOf(captured, 4),
});
const theirs = (holding: bigint | undefined, captured: bigint): TheirExposure => ({
  currency: 'USD',
  holding: holding === undefined ? undefined : usdOf(holding, 4),
  captured: usdOf(captured, 4),
});

describe('compareBalances', () => {
  it('matches equal amounts, whatever their precision', () => {
    const mine: OurExposure = { currency: 'USD', holding: usdOf(18695n, 4), captured: usdOf(100n) };
    const yours: TheirExposure = { currency: 'USD', holding: usdOf(186950n, 5), captured: usdOf(1n, 0) };
    expect(compareBalances([mine], [yours])).toEqual([
      {
        currency: 'USD',
        field: 'captured',
        ours: mine.captured,
        theirs: yours.captured,
        difference: usdOf(0n),
        matches: true,
      },
      {
        currency: 'USD',
        field: 'holding',
        ours: mine.holding,
        theirs: yours.holding,
        difference: usdOf(0n),
        matches: true,
      },
    ]);
  });

  it('gives the difference as theirs minus ours, exactly', () => {
    const [captured, holding] = compareBalances([ours(18695n, 50000n)], [theirs(18000n, 50001n)]);
    expect(captured).toMatchObject({ field: 'captured', difference: usdOf(1n, 4), matches: false });
    expect(holding).toMatchObject({ field: 'holding', difference: usdOf(-695n, 4), matches: false });
  });

  it('never matches a holding the provider did not give', () => {
    expect(compareBalances([ours(0n, 0n)], [theirs(undefined, 0n)])[1]).toEqual({
      currency: 'USD',
      field: 'holding',
      ours: usdOf(0n),
      theirs: undefined,
      difference: undefined,
      matches: false,
    });
  });

  it('compares a currency on one side only against zero, sorted by currency then field', () => {
    const euros: TheirExposure = { currency: 'EUR', holding: eurOf(500n), captured: eurOf(0n) };
    const result = compareBalances([ours(0n, 200n)], [euros]);
    expect(result.map((c) => [c.currency, c.field, c.matches])).toEqual([
      ['EUR', 'captured', true],
      ['EUR', 'holding', false],
      ['USD', 'captured', false],
      ['USD', 'holding', true],
    ]);
    expect(result[1]).toMatchObject({ ours: eurOf(0n), theirs: eurOf(500n), difference: eurOf(500n) });
    expect(result[2]).toMatchObject({ ours: usdOf(200n, 4), theirs: usdOf(0n), difference: usdOf(-200n, 4) });
  });

  it('adds up several entries of one currency', () => {
    const result = compareBalances([ours(1n, 2n), ours(3n, 4n)], [theirs(4n, 6n)]);
    expect(result.every((c) => c.matches)).toBe(true);
    expect(compareBalances([], [theirs(1n, 0n), theirs(undefined, 0n)])[1]).toMatchObject({
      theirs: undefined,
      matches: false,
    });
  });

  it('is empty for no exposures', () => {
    expect(compareBalances([], [])).toEqual([]);
  });
});
