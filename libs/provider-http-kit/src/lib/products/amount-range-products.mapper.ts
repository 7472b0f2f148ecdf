import {
  type InvalidExchangeRate,
  type InvalidProduct,
  makeRangedProduct,
  type Operator,
  type OperatorMatch,
  parseExchangeRate,
  type PhoneNumber,
  preciseOf,
  type Product,
  type ProductFilter,
  zero,
} from '@airtime/domain';
import { Either } from 'effect';
import type { AmountRange } from '../config/amount-ranges.config';

/**
 * The provider routes by number itself, so each configured country has one
 * pseudo-operator standing for all of its networks.
 */
export const countryOperator = (providerId: string, providerName: string, countryIso: string): Operator => ({
  id: `${providerId}-${countryIso}`,
  name: `${providerName} ${countryIso} (any network)`,
  countryIso,
});

/**
 * One ranged airtime product per configured country, priced 1:1 in the
 * local currency with no fee: the provider debits the amount sent (its
 * discount comes back as a rebate, never as an extra charge).
 */
export const productsOfRanges = (
  providerId: string,
  providerName: string,
  ranges: readonly AmountRange[],
): Either.Either<readonly Product[], InvalidProduct | InvalidExchangeRate> =>
  Either.all(
    ranges.map((range) =>
      Either.flatMap(parseExchangeRate('1', range.min.currency, range.min.currency), (rate) =>
        makeRangedProduct({
          id: `${providerId}-${range.countryIso}-${range.min.currency.code}`,
          name: `${providerName} airtime ${range.countryIso} (${range.min.currency.code})`,
          kind: 'AIRTIME',
          operator: countryOperator(providerId, providerName, range.countryIso),
          destinationMin: range.min,
          destinationMax: range.max,
          stepMinor: range.stepMinor,
          rate,
          fee: preciseOf(zero(range.min.currency)),
        }),
      ),
    ),
  );

export const filterProducts = (products: readonly Product[], filter: ProductFilter): readonly Product[] =>
  products.filter(
    (product) =>
      (filter.countryIso === undefined || product.operator.countryIso === filter.countryIso.toUpperCase()) &&
      (filter.operatorId === undefined || product.operator.id === filter.operatorId) &&
      (filter.kind === undefined || product.kind === filter.kind),
  );

/** The country's pseudo-operator, unidentified (a guess from the country code), when we serve that country. */
export const operatorMatchesFor = (
  providerId: string,
  providerName: string,
  ranges: readonly AmountRange[],
  phone: PhoneNumber,
): readonly OperatorMatch[] =>
  ranges.some((range) => range.countryIso === phone.countryIso)
    ? [{ operator: countryOperator(providerId, providerName, phone.countryIso), identified: false }]
    : [];
