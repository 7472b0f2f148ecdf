import { Either } from 'effect';
import { checkCurrency, type Currency, sameCurrency } from '../money/currency';
import { type ExchangeRate, sourceCostOf } from '../money/exchange-rate';
import { isTableMoney, type Money, money } from '../money/money';
import {
  chargeOf,
  isWellFormedPrecise,
  type PreciseMoney,
  preciseMoney,
  preciseOf,
  unitsAtScale,
} from '../money/precise-money';
import { InvalidProduct } from './product.errors';

/** A mobile network operator in a country. */
export interface Operator {
  readonly id: string;
  readonly name: string;
  /** ISO 3166-1 alpha-2, e.g. "PH". */
  readonly countryIso: string;
}

/** What the beneficiary gets: airtime credit or a data bundle. */
export type ProductKind = 'AIRTIME' | 'DATA' | 'BUNDLE';

interface ProductBase {
  readonly id: string;
  readonly name: string;
  readonly kind: ProductKind;
  readonly operator: Operator;
  /**
   * Fee per transaction in the source currency, on top of the wholesale
   * price, exact at the provider's precision (DVS `prices.wholesale.fee`,
   * e.g. USD 0.0125).
   */
  readonly fee: PreciseMoney;
}

/** A fixed denomination: one amount received for one wholesale price. */
export interface FixedProduct extends ProductBase {
  readonly _tag: 'FixedProduct';
  /** What the beneficiary receives, in the destination currency. */
  readonly destination: Money;
  /**
   * What we pay the provider, in the source currency (before the fee), exact
   * at the provider's precision (DVS `prices.wholesale.amount`, e.g. USD
   * 1.857); rounded only when an account is charged (see `costAt`).
   */
  readonly wholesale: PreciseMoney;
}

/**
 * A ranged product: any destination amount from `destinationMin` to
 * `destinationMax` on a grid of `stepMinor`, priced through an exchange rate.
 */
export interface RangedProduct extends ProductBase {
  readonly _tag: 'RangedProduct';
  readonly destinationMin: Money;
  readonly destinationMax: Money;
  readonly stepMinor: bigint;
  /** Source -> destination rate at wholesale. */
  readonly rate: ExchangeRate;
}

export type Product = FixedProduct | RangedProduct;

const invalid = (productId: string, reason: string) => Either.left(new InvalidProduct({ productId, reason }));

const malformed = (value: PreciseMoney): boolean => !isWellFormedPrecise(value);

/** Not a currency of the ISO 4217 table with its own exponent (`checkCurrency`): a forged `{ code: 'PHP', exponent: 0 }`. */
const forged = (currency: Currency): boolean => Either.isLeft(checkCurrency(currency));

/** Not an amount of money of the table (`isTableMoney`): its minor units are no bigint, or its currency is forged. */
const notMoney = (value: Money): boolean => !isTableMoney(value);

/**
 * A fixed denomination; `InvalidProduct` unless the id is non-empty, the
 * destination amount and wholesale price are positive, the fee is not
 * negative, both prices are well-formed amounts of one currency, and every
 * currency is the ISO 4217 table's (its own exponent: a currency built by
 * hand with another would misread every amount).
 */
export const makeFixedProduct = (fields: Omit<FixedProduct, '_tag'>): Either.Either<FixedProduct, InvalidProduct> => {
  if (fields.id.length === 0) return invalid(fields.id, 'an id is required');
  if (notMoney(fields.destination) || forged(fields.wholesale.currency) || forged(fields.fee.currency))
    return invalid(fields.id, 'an amount is not money of an ISO 4217 currency with its own exponent');
  if (fields.destination.amountMinor <= 0n) return invalid(fields.id, 'destination amount must be positive');
  if (malformed(fields.wholesale) || malformed(fields.fee)) return invalid(fields.id, 'a price has an invalid scale');
  if (fields.wholesale.units <= 0n) return invalid(fields.id, 'wholesale price must be positive');
  if (fields.fee.units < 0n) return invalid(fields.id, 'fee cannot be negative');
  if (!sameCurrency(fields.wholesale.currency, fields.fee.currency))
    return invalid(fields.id, 'fee and wholesale price differ in currency');
  return Either.right(Object.freeze({ _tag: 'FixedProduct', ...fields }));
};

/**
 * A ranged product; `InvalidProduct` unless the id is non-empty, 0 <
 * minimum <= maximum in one currency, the step is positive, the rate is
 * positive (numerator and denominator above zero) from the fee's currency to
 * the range's, the fee is a well-formed amount that is not negative, and
 * every currency is the ISO 4217 table's (its own exponent).
 */
export const makeRangedProduct = (
  fields: Omit<RangedProduct, '_tag'>,
): Either.Either<RangedProduct, InvalidProduct> => {
  const { id, destinationMin: min, destinationMax: max, stepMinor, rate, fee } = fields;
  if (id.length === 0) return invalid(id, 'an id is required');
  if (notMoney(min) || notMoney(max) || forged(fee.currency) || forged(rate.source) || forged(rate.destination))
    return invalid(id, 'an amount is not money of an ISO 4217 currency with its own exponent');
  if (!sameCurrency(min.currency, max.currency)) return invalid(id, 'minimum and maximum differ in currency');
  if (min.amountMinor <= 0n || max.amountMinor < min.amountMinor) return invalid(id, 'expected 0 < minimum <= maximum');
  if (stepMinor <= 0n) return invalid(id, 'step must be positive');
  if (rate.numerator <= 0n || rate.denominator <= 0n) return invalid(id, 'the exchange rate must be positive');
  if (!sameCurrency(rate.destination, min.currency))
    return invalid(id, 'rate destination differs from the range currency');
  if (!sameCurrency(rate.source, fee.currency)) return invalid(id, 'fee and rate source differ in currency');
  if (malformed(fee)) return invalid(id, 'the fee has an invalid scale');
  if (fee.units < 0n) return invalid(id, 'fee cannot be negative');
  return Either.right(Object.freeze({ _tag: 'RangedProduct', ...fields }));
};

export const destinationCurrencyOf = (product: Product) =>
  product._tag === 'FixedProduct' ? product.destination.currency : product.destinationMin.currency;

export const sourceCurrencyOf = (product: Product) => product.fee.currency;

/** Number of grid points of a product: 1 for a fixed denomination. */
export const gridSize = (product: Product): bigint =>
  product._tag === 'FixedProduct'
    ? 1n
    : (product.destinationMax.amountMinor - product.destinationMin.amountMinor) / product.stepMinor + 1n;

/** The destination amount at grid index `index` (0-based). */
export const destinationAt = (product: Product, index: bigint): Money =>
  product._tag === 'FixedProduct'
    ? product.destination
    : money(product.destinationMin.amountMinor + index * product.stepMinor, product.destinationMin.currency);

/**
 * The wholesale price of the amount at grid index `index`, exact: a fixed
 * product's own price; a ranged product's conversion through its rate,
 * rounded up to the source minor unit (a rate may give no finite decimal).
 */
export const wholesaleAt = (product: Product, index: bigint): PreciseMoney =>
  product._tag === 'FixedProduct'
    ? product.wholesale
    : preciseOf(sourceCostOf(product.rate, destinationAt(product, index).amountMinor));

/** Wholesale price plus fee, exact, in the source currency (the constructors keep both in it). */
export const exactCostAt = (product: Product, index: bigint): PreciseMoney => {
  const wholesale = wholesaleAt(product, index);
  const scale = Math.max(wholesale.scale, product.fee.scale);
  return preciseMoney(unitsAtScale(wholesale, scale) + unitsAtScale(product.fee, scale), scale, wholesale.currency);
};

/**
 * What the account is charged for the amount at `index`: the exact cost
 * rounded up to the source minor unit, never less than it (USD 1.857 + fee
 * 0.0125 = 1.8695 is charged 1.87).
 */
export const costAt = (product: Product, index: bigint): Money => chargeOf(exactCostAt(product, index));

const DIGITS_ONLY = /^[0-9]+$/;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A strict total order on product ids, so that the selector's last
 * tie-break never depends on product order: ids of digits only (DVS ids)
 * come first, by number ("9" < "10"), equal numbers by text ("09" < "9");
 * every other id follows, by UTF-16 code units ("1a" < "a"). 0 only for
 * equal ids.
 */
export const compareProductIds = (a: string, b: string): number => {
  const aDigits = DIGITS_ONLY.test(a);
  const bDigits = DIGITS_ONLY.test(b);
  if (aDigits !== bDigits) return aDigits ? -1 : 1;
  if (aDigits) {
    const left = BigInt(a);
    const right = BigInt(b);
    if (left !== right) return left < right ? -1 : 1;
  }
  return byText(a, b);
};

type Key = string | number | bigint;

const currencyKey = (currency: { readonly code: string; readonly exponent: number }): Key[] => [
  currency.code,
  currency.exponent,
];
const moneyKey = (amount: Money): Key[] => [...currencyKey(amount.currency), amount.amountMinor];
const preciseKey = (amount: PreciseMoney): Key[] => [...currencyKey(amount.currency), amount.scale, amount.units];

/** Every field of a product but its id, in a fixed order: operator, name, kind, then prices. */
const productKey = (product: Product): Key[] => [
  product.operator.id,
  product.operator.countryIso,
  product.operator.name,
  product.name,
  product.kind,
  product._tag,
  ...preciseKey(product.fee),
  ...(product._tag === 'FixedProduct'
    ? [...moneyKey(product.destination), ...preciseKey(product.wholesale)]
    : [
        ...moneyKey(product.destinationMin),
        ...moneyKey(product.destinationMax),
        product.stepMinor,
        ...currencyKey(product.rate.source),
        ...currencyKey(product.rate.destination),
        product.rate.numerator,
        product.rate.denominator,
      ]),
];

const compareKeys = (a: readonly Key[], b: readonly Key[]): number => {
  for (const [index, left] of a.entries()) {
    const right = b[index];
    if (right === undefined) return 1;
    if (left !== right) return left < right ? -1 : 1;
  }
  return a.length < b.length ? -1 : 0;
};

/**
 * A strict total order on products, so that the selector's last tie-break
 * never depends on product order, even when two products share an id (two
 * operators' id "5"): by id (`compareProductIds`), then operator id,
 * operator country, operator name, name, kind, fixed before ranged, fee,
 * and the prices field by field (strings by UTF-16 code units). 0 only for
 * products equal in every field, which give the same quote.
 */
export const compareProducts = (a: Product, b: Product): number =>
  compareProductIds(a.id, b.id) || compareKeys(productKey(a), productKey(b));
