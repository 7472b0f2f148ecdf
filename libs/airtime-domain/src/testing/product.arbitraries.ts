import { Either } from 'effect';
import fc from 'fast-check';
import { type Currency, currencyOf } from '../lib/money/currency';
import { parseExchangeRate } from '../lib/money/exchange-rate';
import { type Money, money } from '../lib/money/money';
import { type PreciseMoney, preciseMoney } from '../lib/money/precise-money';
import {
  type FixedProduct,
  makeFixedProduct,
  makeRangedProduct,
  type Operator,
  type Product,
  type RangedProduct,
} from '../lib/product/product';
import type { SelectionRequest } from '../lib/selector/quote';

/** `units * 10^-scale` as decimal text, built without floating point. */
const decimalText = (units: number, scale: number): string => {
  const digits = String(units).padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

/** A currency known to be in the ISO 4217 table (tests only). */
export const testCurrency = (code: string): Currency => Either.getOrThrow(currencyOf(code));

/** Currencies with 0, 2 and 3 decimals, destination and source alike. */
export const arbitraryCurrency = (): fc.Arbitrary<Currency> =>
  fc.constantFrom('PHP', 'KES', 'USD', 'EUR', 'JPY', 'BHD').map(testCurrency);

export const arbitraryMoney = (currency: Currency, minMinor = 0n, maxMinor = 10_000_000n): fc.Arbitrary<Money> =>
  fc.bigInt({ min: minMinor, max: maxMinor }).map((amountMinor) => money(amountMinor, currency));

/**
 * An amount of `currency` from `minMinor` to `maxMinor` minor units, often
 * with up to 3 more decimals than the currency has (a DVS price such as USD
 * 1.857 or a fee of 0.0125).
 */
export const arbitraryPreciseMoney = (
  currency: Currency,
  minMinor = 0n,
  maxMinor = 10_000_000n,
): fc.Arbitrary<PreciseMoney> =>
  fc.integer({ min: 0, max: 3 }).chain((extra) => {
    const factor = 10n ** BigInt(extra);
    return fc
      .bigInt({ min: minMinor * factor, max: maxMinor * factor })
      .map((units) => preciseMoney(units, currency.exponent + extra, currency));
  });

/**
 * A product id: digits (as DVS writes them, "9", "10", sometimes "09") or
 * letters and digits ("1a"), so that orders of mixed ids are exercised.
 */
// built once: `fc.stringMatching` compiles its pattern, which costs far more than drawing a value
const PRODUCT_ID = fc.oneof(fc.integer({ min: 1, max: 500 }).map(String), fc.stringMatching(/^[0-9a-z]{1,3}$/));

export const arbitraryProductId = (): fc.Arbitrary<string> => PRODUCT_ID;

export const arbitraryOperator = (): fc.Arbitrary<Operator> =>
  fc.record({
    id: fc.integer({ min: 1, max: 9999 }).map(String),
    name: fc.constantFrom('Globe', 'Smart', 'Safaricom', 'Airtel'),
    countryIso: fc.constantFrom('PH', 'KE'),
  });

/** Fixed denominations in `destination`, priced in `source`. */
export const arbitraryFixedProduct = (destination: Currency, source: Currency): fc.Arbitrary<FixedProduct> =>
  fc
    .record({
      id: arbitraryProductId(),
      destinationMinor: fc.bigInt({ min: 1n, max: 20_000n }),
      wholesale: arbitraryPreciseMoney(source, 1n, 20_000n).filter((price) => price.units > 0n),
      fee: arbitraryPreciseMoney(source, 0n, 300n),
      operator: arbitraryOperator(),
    })
    .map((f) =>
      Either.getOrThrow(
        makeFixedProduct({
          id: f.id,
          name: `fixed ${f.id}`,
          kind: 'AIRTIME',
          operator: f.operator,
          destination: money(f.destinationMinor, destination),
          wholesale: f.wholesale,
          fee: f.fee,
        }),
      ),
    );

/** Ranged products with small grids (so that a brute-force oracle can enumerate them). */
export const arbitraryRangedProduct = (
  destination: Currency,
  source: Currency,
  maxGridPoints = 60,
): fc.Arbitrary<RangedProduct> =>
  fc
    .record({
      id: arbitraryProductId(),
      minMinor: fc.bigInt({ min: 1n, max: 5_000n }),
      stepMinor: fc.bigInt({ min: 1n, max: 500n }),
      points: fc.bigInt({ min: 1n, max: BigInt(maxGridPoints) }),
      slack: fc.bigInt({ min: 0n, max: 499n }),
      rate: fc
        .tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 4 }))
        .map(([units, scale]) => decimalText(units, scale)),
      fee: arbitraryPreciseMoney(source, 0n, 300n),
      operator: arbitraryOperator(),
    })
    .map((f) =>
      Either.getOrThrow(
        makeRangedProduct({
          id: f.id,
          name: `ranged ${f.id}`,
          kind: 'AIRTIME',
          operator: f.operator,
          destinationMin: money(f.minMinor, destination),
          // the maximum need not sit on the grid: the grid stops at the last step below it
          destinationMax: money(f.minMinor + (f.points - 1n) * f.stepMinor + (f.slack % f.stepMinor), destination),
          stepMinor: f.stepMinor,
          rate: Either.getOrThrow(parseExchangeRate(f.rate, source, destination)),
          fee: f.fee,
        }),
      ),
    );

export const arbitraryProduct = (destination: Currency, source: Currency): fc.Arbitrary<Product> =>
  fc.oneof(arbitraryFixedProduct(destination, source), arbitraryRangedProduct(destination, source));

/** A catalogue (unique product ids) for one destination, priced in one or two source currencies. */
export const arbitraryCatalogue = (
  destination: Currency = testCurrency('PHP'),
  sources: readonly Currency[] = [testCurrency('USD')],
) =>
  fc.uniqueArray(fc.oneof(...sources.map((source) => arbitraryProduct(destination, source))), {
    minLength: 0,
    maxLength: 8,
    selector: (product) => product.id,
  });

/**
 * A catalogue in which products may share an id: copies of its products
 * under another product's id, with another operator, name or kind, and
 * exact copies (equal in cost, so that the selector's last tie-break is
 * exercised).
 */
export const arbitraryCatalogueWithSharedIds = (
  destination: Currency = testCurrency('PHP'),
  sources: readonly Currency[] = [testCurrency('USD')],
) =>
  fc
    .tuple(
      arbitraryCatalogue(destination, sources),
      fc.array(
        fc.record({
          from: fc.nat(),
          idFrom: fc.nat(),
          operator: fc.option(arbitraryOperator(), { nil: undefined }),
          name: fc.option(fc.constantFrom('A', 'B', 'fixed 5'), { nil: undefined }),
          kind: fc.option(fc.constantFrom<Product['kind']>('AIRTIME', 'DATA', 'BUNDLE'), { nil: undefined }),
        }),
        { maxLength: 5 },
      ),
    )
    .map(([products, copies]): Product[] => {
      const pick = (index: number) => products[index % products.length];
      return [
        ...products,
        ...copies.flatMap((copy) => {
          const original = pick(copy.from);
          const idOf = pick(copy.idFrom);
          if (original === undefined || idOf === undefined) return [];
          return [
            Object.freeze({
              ...original,
              id: idOf.id,
              operator: copy.operator ?? original.operator,
              name: copy.name ?? original.name,
              kind: copy.kind ?? original.kind,
            }),
          ];
        }),
      ];
    });

/** A request in `currency`, with or without a desired amount. */
export const arbitrarySelectionRequest = (currency: Currency, maxMinor = 40_000n): fc.Arbitrary<SelectionRequest> =>
  fc
    .record({
      max: fc.bigInt({ min: 1n, max: maxMinor }),
      desired: fc.option(fc.bigInt({ min: 1n, max: maxMinor }), { nil: undefined }),
    })
    .map(({ max, desired }) => ({
      maxAmount: money(max, currency),
      ...(desired === undefined ? {} : { desiredAmount: money(desired, currency) }),
    }));
