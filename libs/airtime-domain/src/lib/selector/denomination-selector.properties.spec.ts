import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import {
  arbitraryCatalogue,
  arbitraryCatalogueWithSharedIds,
  arbitrarySelectionRequest,
  testCurrency,
} from '../../testing/product.arbitraries';
import { costAt, destinationAt, exactCostAt, gridSize, type Product } from '../product/product';
import { selectDenomination } from './denomination-selector';
import type { SelectionRequest } from './quote';

const PHP = testCurrency('PHP');
const USD = testCurrency('USD');
const EUR = testCurrency('EUR');

interface Candidate {
  readonly productId: string;
  readonly value: bigint;
  readonly receiveMinor: bigint;
  readonly costCurrency: string;
  readonly costMinor: bigint;
  /** The exact cost before rounding up, as `units * 10^-scale`. */
  readonly costUnits: bigint;
  readonly costScale: number;
}

/** Every candidate of a catalogue, enumerated (the oracle: no binary search, no cleverness). */
const enumerate = (products: readonly Product[], currencyCode: string): Candidate[] =>
  products.flatMap((product) => {
    const candidates: Candidate[] = [];
    for (let index = 0n; index < gridSize(product); index++) {
      const receive = destinationAt(product, index);
      const cost = costAt(product, index);
      const exact = exactCostAt(product, index);
      const value =
        receive.currency.code === currencyCode
          ? receive.amountMinor
          : cost.currency.code === currencyCode
            ? cost.amountMinor
            : undefined;
      if (value !== undefined) {
        candidates.push({
          productId: product.id,
          value,
          receiveMinor: receive.amountMinor,
          costCurrency: cost.currency.code,
          costMinor: cost.amountMinor,
          costUnits: exact.units,
          costScale: exact.scale,
        });
      }
    }
    return candidates;
  });

/** The value the rules of DESIGN.md choose, computed by enumeration. */
const oracleValue = (candidates: readonly Candidate[], request: SelectionRequest): bigint | undefined => {
  const max = request.maxAmount.amountMinor;
  const belowMax = candidates.filter((c) => c.value <= max).map((c) => c.value);
  const desired = request.desiredAmount?.amountMinor;
  if (desired !== undefined) {
    const between = belowMax.filter((v) => v >= desired);
    if (between.length > 0) return between.reduce((a, b) => (b < a ? b : a));
  }
  return belowMax.length > 0 ? belowMax.reduce((a, b) => (b > a ? b : a)) : undefined;
};

const sign = (value: bigint): number => (value < 0n ? -1 : value > 0n ? 1 : 0);

/** Exact costs compared by cross-multiplying to one scale. */
const compareExactCost = (a: Candidate, b: Candidate): number =>
  sign(a.costUnits * 10n ** BigInt(b.costScale) - b.costUnits * 10n ** BigInt(a.costScale));

/**
 * The id order as DESIGN.md states it, written out independently: ids of
 * digits only first, by number, then by text; then every other id by text.
 */
const compareIds = (a: string, b: string): number => {
  const digits = (id: string) => /^[0-9]+$/.test(id);
  if (digits(a) !== digits(b)) return digits(a) ? -1 : 1;
  if (digits(a) && BigInt(a) !== BigInt(b)) return sign(BigInt(a) - BigInt(b));
  return a === b ? 0 : a < b ? -1 : 1;
};

/** The winner among candidates of the chosen value: most received per product, then cheapest exact cost, then lowest id. */
const oracleWinner = (candidates: readonly Candidate[], value: bigint): Candidate | undefined => {
  const atValue = candidates.filter((c) => c.value === value);
  const bestPerProduct = atValue.filter(
    (c) =>
      !atValue.some(
        (o) => o.productId === c.productId && o.costCurrency === c.costCurrency && o.receiveMinor > c.receiveMinor,
      ),
  );
  const cmp = (a: Candidate, b: Candidate): number =>
    a.costCurrency !== b.costCurrency
      ? a.costCurrency < b.costCurrency
        ? -1
        : 1
      : compareExactCost(a, b) || compareIds(a.productId, b.productId);
  return [...bestPerProduct].sort(cmp)[0];
};

const catalogueAndRequest = fc.oneof(
  // requests in the destination currency
  fc.tuple(arbitraryCatalogue(PHP, [USD, EUR]), arbitrarySelectionRequest(PHP)),
  // requests in a source currency
  fc.tuple(arbitraryCatalogue(PHP, [USD, EUR]), arbitrarySelectionRequest(USD, 60_000n)),
);

describe('denomination selector properties', () => {
  test.prop([catalogueAndRequest])(
    'chooses exactly the value the rules choose, by enumeration',
    ([products, request]) => {
      const expected = oracleValue(enumerate(products, request.maxAmount.currency.code), request);
      const result = selectDenomination(products, request);
      if (expected === undefined) {
        expect(Either.isLeft(result)).toBe(true);
      } else {
        const quote = Either.getOrThrow(result);
        expect(quote.matchedAmount.amountMinor).toBe(expected);
        const winner = oracleWinner(enumerate(products, request.maxAmount.currency.code), expected);
        expect({ id: quote.product.id, receive: quote.receive.amountMinor, cost: quote.cost.amountMinor }).toEqual({
          id: winner?.productId,
          receive: winner?.receiveMinor,
          cost: winner?.costMinor,
        });
      }
    },
  );

  test.prop([catalogueAndRequest])(
    'the result is a candidate of its product and never above max',
    ([products, request]) => {
      const result = selectDenomination(products, request);
      fc.pre(Either.isRight(result));
      const quote = Either.getOrThrow(result);
      expect(quote.matchedAmount.amountMinor).toBeLessThanOrEqual(request.maxAmount.amountMinor);
      const candidates = enumerate([quote.product], request.maxAmount.currency.code);
      expect(
        candidates.some(
          (c) => c.receiveMinor === quote.receive.amountMinor && c.value === quote.matchedAmount.amountMinor,
        ),
      ).toBe(true);
    },
  );

  test.prop([catalogueAndRequest])(
    'of equally valued candidates of its product, receives the most',
    ([products, request]) => {
      const result = selectDenomination(products, request);
      fc.pre(Either.isRight(result));
      const quote = Either.getOrThrow(result);
      const twins = enumerate([quote.product], request.maxAmount.currency.code).filter(
        (c) => c.value === quote.matchedAmount.amountMinor,
      );
      expect(twins.every((c) => c.receiveMinor <= quote.receive.amountMinor)).toBe(true);
    },
  );

  test.prop([catalogueAndRequest])(
    'is minimal at or above desired whenever such a candidate exists',
    ([products, request]) => {
      fc.pre(request.desiredAmount !== undefined);
      const desired = request.desiredAmount?.amountMinor ?? 0n;
      const candidates = enumerate(products, request.maxAmount.currency.code);
      const between = candidates.filter((c) => c.value >= desired && c.value <= request.maxAmount.amountMinor);
      fc.pre(between.length > 0);
      const quote = Either.getOrThrow(selectDenomination(products, request));
      expect(quote.rule).toBe('SMALLEST_AT_OR_ABOVE_DESIRED');
      expect(between.every((c) => c.value >= quote.matchedAmount.amountMinor)).toBe(true);
      expect(quote.matchedAmount.amountMinor).toBeGreaterThanOrEqual(desired);
    },
  );

  test.prop([
    fc
      .oneof(
        catalogueAndRequest,
        // products may share an id (two operators' "5"), some equal in cost
        fc.tuple(arbitraryCatalogueWithSharedIds(PHP, [USD, EUR]), arbitrarySelectionRequest(PHP)),
        fc.tuple(arbitraryCatalogueWithSharedIds(PHP, [USD, EUR]), arbitrarySelectionRequest(USD, 60_000n)),
      )
      .chain(([products, request]) =>
        fc.tuple(
          fc.constant(products),
          fc.shuffledSubarray(products, { minLength: products.length }),
          fc.constant(request),
        ),
      ),
  ])('does not depend on the order of the products', ([products, shuffled, request]) => {
    const a = selectDenomination(products, request);
    const b = selectDenomination(shuffled, request);
    expect(Either.isRight(a)).toBe(Either.isRight(b));
    if (Either.isRight(a) && Either.isRight(b)) {
      // products equal in every field may be two objects: the same quote either way
      expect(b.right.product).toEqual(a.right.product);
      expect(b.right).toEqual(a.right);
    }
  });
});
