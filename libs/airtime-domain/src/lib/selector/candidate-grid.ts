import type { Currency } from '../money/currency';
import { sameCurrency } from '../money/currency';
import {
  costAt,
  destinationAt,
  destinationCurrencyOf,
  gridSize,
  type Product,
  sourceCurrencyOf,
} from '../product/product';

/**
 * A product's candidates seen in the request's currency: grid index ->
 * amount, non-decreasing in the index, so that searches are binary and a
 * wide range is never enumerated.
 */
export interface CandidateGrid {
  readonly product: Product;
  readonly size: bigint;
  readonly valueAt: (index: bigint) => bigint;
}

/** A product whose every candidate has a positive amount and price (as `makeFixedProduct` / `makeRangedProduct` ensure). */
const isPriced = (product: Product): boolean =>
  product._tag === 'FixedProduct'
    ? product.destination.amountMinor > 0n && product.wholesale.units > 0n
    : product.destinationMin.amountMinor > 0n &&
      product.stepMinor > 0n &&
      product.rate.numerator > 0n &&
      product.rate.denominator > 0n;

/**
 * The grid of `product` in `currency`: its destination amounts when the
 * request is in the destination currency, else its cost (wholesale + fee)
 * when the request is in its source currency; undefined when neither.
 */
export const candidateGrid = (product: Product, currency: Currency): CandidateGrid | undefined => {
  if (!isPriced(product)) return undefined;
  const size = gridSize(product);
  if (sameCurrency(destinationCurrencyOf(product), currency)) {
    return { product, size, valueAt: (index) => destinationAt(product, index).amountMinor };
  }
  if (sameCurrency(sourceCurrencyOf(product), currency)) {
    return { product, size, valueAt: (index) => costAt(product, index).amountMinor };
  }
  return undefined;
};

/** The largest index whose value is <= `limit`, or undefined. */
export const largestIndexAtOrBelow = (grid: CandidateGrid, limit: bigint): bigint | undefined => {
  if (grid.valueAt(0n) > limit) return undefined;
  let low = 0n; // value(low) <= limit
  let high = grid.size - 1n;
  while (low < high) {
    const middle = (low + high + 1n) / 2n;
    if (grid.valueAt(middle) <= limit) low = middle;
    else high = middle - 1n;
  }
  return low;
};

/** The smallest index whose value is >= `floor`, or undefined. */
export const smallestIndexAtOrAbove = (grid: CandidateGrid, floor: bigint): bigint | undefined => {
  if (grid.valueAt(grid.size - 1n) < floor) return undefined;
  let low = 0n;
  let high = grid.size - 1n; // value(high) >= floor
  while (low < high) {
    const middle = (low + high) / 2n;
    if (grid.valueAt(middle) >= floor) high = middle;
    else low = middle + 1n;
  }
  return high;
};
