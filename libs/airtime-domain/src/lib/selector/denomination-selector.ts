import { Either } from 'effect';
import { type Currency, sameCurrency } from '../money/currency';
import { impliedRate } from '../money/exchange-rate';
import { isTableMoney, money } from '../money/money';
import { chargeOf, comparePrecise, preciseOf, subtractPrecise } from '../money/precise-money';
import {
  compareProducts,
  destinationAt,
  destinationCurrencyOf,
  exactCostAt,
  type Product,
  sourceCurrencyOf,
  wholesaleAt,
} from '../product/product';
import { type CandidateGrid, candidateGrid, largestIndexAtOrBelow, smallestIndexAtOrAbove } from './candidate-grid';
import type { Quote, SelectionRequest, SelectionRule } from './quote';
import {
  CurrencyNotAccepted,
  InvalidSelectionRequest,
  NoMatchingProduct,
  type SelectionError,
} from './selector.errors';

interface Pick {
  readonly grid: CandidateGrid;
  readonly index: bigint;
  readonly value: bigint;
}

/** Of one product's candidates worth `value`, the one that receives most. */
const pickAt = (grid: CandidateGrid, index: bigint): Pick => {
  const value = grid.valueAt(index);
  return { grid, index: largestIndexAtOrBelow(grid, value) ?? index, value };
};

/** Exact costs (before rounding up): two prices charged alike still differ here. Across currencies: by code. */
const compareCost = (a: Pick, b: Pick): number => {
  const left = exactCostAt(a.grid.product, a.index);
  const right = exactCostAt(b.grid.product, b.index);
  return comparePrecise(left, right) ?? (left.currency.code < right.currency.code ? -1 : 1);
};

/** Ties on amount: cheapest source cost, then the first product in a total order (lowest id first). */
const breakTie = (a: Pick, b: Pick): Pick =>
  (compareCost(a, b) || compareProducts(a.grid.product, b.grid.product)) <= 0 ? a : b;

const best = (picks: readonly Pick[], preferSmaller: boolean): Pick | undefined =>
  picks.reduce<Pick | undefined>((chosen, pick) => {
    if (!chosen || pick.value === chosen.value) return chosen ? breakTie(chosen, pick) : pick;
    return pick.value < chosen.value === preferSmaller ? pick : chosen;
  }, undefined);

const present = <A>(values: readonly (A | undefined)[]): A[] =>
  values.filter((value): value is A => value !== undefined);

// an untyped (JavaScript) caller's products or request may be anything: refused, never thrown on
const validate = (products: readonly Product[], request: SelectionRequest): InvalidSelectionRequest | undefined => {
  if (!Array.isArray(products)) return new InvalidSelectionRequest({ reason: 'products must be an array' });
  if (typeof request !== 'object' || request === null)
    return new InvalidSelectionRequest({ reason: 'the request must be an object with maxAmount' });
  const desired = request.desiredAmount;
  if (!isTableMoney(request.maxAmount) || (desired !== undefined && !isTableMoney(desired)))
    return new InvalidSelectionRequest({
      reason: 'amounts must be money of an ISO 4217 currency with its own exponent',
    });
  if (request.maxAmount.amountMinor <= 0n) return new InvalidSelectionRequest({ reason: 'maxAmount must be positive' });
  if (desired && !sameCurrency(desired.currency, request.maxAmount.currency)) {
    return new InvalidSelectionRequest({ reason: 'desiredAmount and maxAmount must be in one currency' });
  }
  if (desired && desired.amountMinor <= 0n)
    return new InvalidSelectionRequest({ reason: 'desiredAmount must be positive' });
  return undefined;
};

const choose = (
  grids: readonly CandidateGrid[],
  request: SelectionRequest,
): { pick: Pick; rule: SelectionRule } | undefined => {
  const max = request.maxAmount.amountMinor;
  const largestBelowMax = () =>
    best(
      present(
        grids.map((grid) => {
          // already the largest index of its value
          const index = largestIndexAtOrBelow(grid, max);
          return index === undefined ? undefined : { grid, index, value: grid.valueAt(index) };
        }),
      ),
      false,
    );
  if (request.desiredAmount === undefined) {
    const pick = largestBelowMax();
    return pick && { pick, rule: 'LARGEST_AT_OR_BELOW_MAX' };
  }
  const desired = request.desiredAmount.amountMinor;
  const atOrAboveDesired = best(
    present(
      grids.map((grid) => {
        const index = smallestIndexAtOrAbove(grid, desired);
        return index === undefined || grid.valueAt(index) > max ? undefined : pickAt(grid, index);
      }),
    ),
    true,
  );
  if (atOrAboveDesired) return { pick: atOrAboveDesired, rule: 'SMALLEST_AT_OR_ABOVE_DESIRED' };
  const fallback = largestBelowMax();
  return fallback && { pick: fallback, rule: 'LARGEST_AT_OR_BELOW_MAX_FALLBACK' };
};

const quoteOf = (pick: Pick, rule: SelectionRule, request: SelectionRequest): Quote => {
  const { product } = pick.grid;
  const receive = destinationAt(product, pick.index);
  const wholesale = wholesaleAt(product, pick.index);
  const costExact = exactCostAt(product, pick.index);
  const cost = chargeOf(costExact);
  const rate = product._tag === 'RangedProduct' ? product.rate : Either.getOrThrow(impliedRate(wholesale, receive));
  return Object.freeze({
    product,
    receive,
    matchedAmount: money(pick.value, request.maxAmount.currency),
    wholesale,
    fee: product.fee,
    costExact,
    cost,
    // one currency: chargeOf keeps costExact's
    roundingUp: subtractPrecise(preciseOf(cost), costExact) ?? costExact,
    rule,
    request,
    rate,
  });
};

/** The distinct currency codes `of` the products, sorted. */
const currencyCodes = (products: readonly Product[], of: (product: Product) => readonly Currency[]): string[] =>
  [...new Set(products.flatMap((product) => of(product).map((currency) => currency.code)))].sort();

const acceptedCurrencies = (products: readonly Product[]): string[] =>
  currencyCodes(products, (product) => [destinationCurrencyOf(product), sourceCurrencyOf(product)]);

/**
 * The denomination selector of DESIGN.md. Candidates are every fixed
 * denomination and every ranged value on its step grid, valued in the
 * request's currency (destination amount, or cost in a source currency).
 * With `desiredAmount`: the smallest candidate >= desired and <= max, else
 * the largest <= max; without it: the largest <= max. Ties: cheapest cost,
 * then lowest product id. The answer does not depend on product order.
 */
export const selectDenomination = (
  products: readonly Product[],
  request: SelectionRequest,
): Either.Either<Quote, SelectionError> => {
  const invalid = validate(products, request);
  if (invalid) return Either.left(invalid);
  const currency = request.maxAmount.currency;
  const charge = request.chargeCurrency;
  const chargeable = charge ? products.filter((product) => sameCurrency(sourceCurrencyOf(product), charge)) : products;
  if (charge && chargeable.length === 0 && products.length > 0) {
    return Either.left(
      new CurrencyNotAccepted({
        currency: charge.code,
        accepted: currencyCodes(products, (product) => [sourceCurrencyOf(product)]),
      }),
    );
  }
  const grids = present(chargeable.map((product) => candidateGrid(product, currency)));
  if (grids.length === 0 && chargeable.length > 0) {
    return Either.left(new CurrencyNotAccepted({ currency: currency.code, accepted: acceptedCurrencies(chargeable) }));
  }
  const chosen = choose(grids, request);
  if (!chosen) {
    return Either.left(
      new NoMatchingProduct({
        currency: currency.code,
        maxAmountMinor: request.maxAmount.amountMinor,
        ...(request.desiredAmount ? { desiredAmountMinor: request.desiredAmount.amountMinor } : {}),
      }),
    );
  }
  return Either.right(quoteOf(chosen.pick, chosen.rule, request));
};
