// Prices a transaction: a fixed product at its own amounts; a ranged one
// from the requested destination amount (DESTINATION_AMOUNT, on the
// product's grid) or source amount (SOURCE_AMOUNT: the largest grid amount
// whose wholesale price fits). Wholesale prices of ranged amounts are
// rounded up to the source minor unit; no floating point is involved.
import { type Money, money, moneyFromJsonNumber, parseMoney, sourceCostOf } from '@airtime/domain';
import { Either } from 'effect';
import type { SimFixedProduct, SimProduct, SimRangedProduct } from './catalogue.types';
import { dvsError, type DvsError } from './simulator.errors';
import type { CalculationMode, RequestedAmount, TransactionPricing } from './transaction.types';

export interface PricingRequest {
  readonly calculationMode?: CalculationMode | undefined;
  readonly source?: RequestedAmount | undefined;
  readonly destination?: RequestedAmount | undefined;
}

const fixedPricing = (product: SimFixedProduct): TransactionPricing => ({
  requestedSource: product.wholesale,
  requestedDestination: product.destination,
  source: product.wholesale,
  destination: product.destination,
  wholesale: product.wholesale,
  wholesaleFee: product.wholesaleFee,
  retail: product.retail,
  retailFee: product.retailFee,
});

const readAmount = (
  requested: RequestedAmount | undefined,
  expected: Money['currency'],
  field: string,
): Either.Either<Money, DvsError> => {
  if (!requested) return Either.left(dvsError(1000400, `${field} is required for this calculation mode`));
  if (requested.unit !== expected.code) return Either.left(dvsError(1003003, `${field}.unit must be ${expected.code}`));
  const parsed =
    typeof requested.amount === 'string'
      ? parseMoney(requested.amount, expected)
      : moneyFromJsonNumber(requested.amount, expected);
  return Either.mapLeft(parsed, () =>
    dvsError(1003002, `${field}.amount ${requested.amount} is not an exact ${expected.code} amount`),
  );
};

const onGrid = (product: SimRangedProduct, destinationMinor: bigint): boolean =>
  destinationMinor >= product.destinationMin.amountMinor &&
  destinationMinor <= product.destinationMax.amountMinor &&
  (destinationMinor - product.destinationMin.amountMinor) % product.stepMinor === 0n;

const rangedAt = (
  product: SimRangedProduct,
  destination: Money,
  requestedSource: Money,
  requestedDestination: Money,
): TransactionPricing => ({
  requestedSource,
  requestedDestination,
  source: sourceCostOf(product.wholesaleRate, destination.amountMinor),
  destination,
  wholesale: sourceCostOf(product.wholesaleRate, destination.amountMinor),
  wholesaleFee: product.wholesaleFee,
  retail: sourceCostOf(product.retailRate, destination.amountMinor),
  retailFee: product.retailFee,
});

/** The largest destination amount (minor) whose wholesale price is at most `sourceMinor`. */
const destinationForSource = (product: SimRangedProduct, sourceMinor: bigint): bigint => {
  const rate = product.wholesaleRate;
  // destination major = source major * numerator / denominator; in minor units with both exponents
  const numerator = sourceMinor * rate.numerator * 10n ** BigInt(rate.destination.exponent);
  const denominator = rate.denominator * 10n ** BigInt(rate.source.exponent);
  let destinationMinor = numerator / denominator;
  // rounding the wholesale price up can make the exact amount too dear: step down the grid until it fits
  const min = product.destinationMin.amountMinor;
  if (destinationMinor >= min)
    destinationMinor = min + ((destinationMinor - min) / product.stepMinor) * product.stepMinor;
  while (destinationMinor >= min && sourceCostOf(rate, destinationMinor).amountMinor > sourceMinor)
    destinationMinor -= product.stepMinor;
  return destinationMinor;
};

const rangedPricing = (
  product: SimRangedProduct,
  request: PricingRequest,
): Either.Either<TransactionPricing, DvsError> => {
  const currency = product.destinationMin.currency;
  switch (request.calculationMode) {
    case 'DESTINATION_AMOUNT':
      return Either.flatMap(readAmount(request.destination, currency, 'destination'), (destination) => {
        if (!onGrid(product, destination.amountMinor)) {
          return Either.left(
            dvsError(1003002, `destination amount must be within the product's range and on its step`),
          );
        }
        return Either.right(
          rangedAt(product, destination, sourceCostOf(product.wholesaleRate, destination.amountMinor), destination),
        );
      });
    case 'SOURCE_AMOUNT':
      return Either.flatMap(readAmount(request.source, product.sourceCurrency, 'source'), (source) => {
        const destinationMinor = destinationForSource(product, source.amountMinor);
        if (
          destinationMinor < product.destinationMin.amountMinor ||
          destinationMinor > product.destinationMax.amountMinor
        ) {
          return Either.left(dvsError(1003002, `source amount buys an amount outside the product's range`));
        }
        const destination = money(destinationMinor, currency);
        return Either.right(rangedAt(product, destination, source, destination));
      });
    default:
      return Either.left(dvsError(1000400, 'calculation_mode is required for ranged products'));
  }
};

export const priceTransaction = (
  product: SimProduct,
  request: PricingRequest,
): Either.Either<TransactionPricing, DvsError> =>
  product.kind === 'FIXED' ? Either.right(fixedPricing(product)) : rangedPricing(product, request);

/** What the account is charged (and what is held): wholesale price plus fee. */
export const chargeOf = (pricing: TransactionPricing): Money =>
  money(pricing.wholesale.amountMinor + pricing.wholesaleFee.amountMinor, pricing.wholesale.currency);
