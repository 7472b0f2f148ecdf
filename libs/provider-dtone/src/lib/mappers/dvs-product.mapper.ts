import {
  type Currency,
  currencyOf,
  type ExchangeRate,
  impliedRate,
  makeFixedProduct,
  makeRangedProduct,
  type Money,
  moneyFromJsonNumber,
  parseExchangeRate,
  type PreciseMoney,
  preciseMoneyFromJsonNumber,
  preciseOf,
  type Product,
  type ProductKind,
  ProviderResponseInvalid,
  zero,
} from '@airtime/domain';
import { Either } from 'effect';
import type { DvsAmountRange, DvsPrice, DvsRequiredFields, DvsValue } from '../schemas/dvs-common.schema';
import type { DvsProduct } from '../schemas/dvs-product.schema';
import { plainDecimalOf } from './decimal-text';
import { operatorOf } from './dvs-operator.mapper';
import { DTONE_PROVIDER_ID } from '../config/dvs.config';

/** A range of amounts in one currency, exact in its minor unit (what the beneficiary receives). */
export interface MoneyRange {
  readonly min: Money;
  readonly max: Money;
  readonly step?: Money | undefined;
}

export type MoneyOrRange = Money | MoneyRange;

export const isMoneyRange = (value: MoneyOrRange): value is MoneyRange => 'min' in value;

/** A range of prices, exact at DVS's precision (a minimum of USD 10.005 stays 10.005). */
export interface PriceRange {
  readonly min: PreciseMoney;
  readonly max: PreciseMoney;
  readonly step?: PreciseMoney | undefined;
}

export type PriceOrRange = PreciseMoney | PriceRange;

export const isPriceRange = (value: PriceOrRange): value is PriceRange => 'min' in value;

/**
 * Every price of a DVS product, exact: prices and fees at DVS's own
 * precision (USD 2.105, fee 0.0125), rounded only when an account is charged
 * (the domain's `costAt`); the destination in the currency's minor unit.
 */
export interface DvsProductPricing {
  /** What the sender pays in the source currency (when DVS gives it). */
  readonly source?: PriceOrRange | undefined;
  /** What the beneficiary receives. */
  readonly destination: MoneyOrRange;
  /** What we pay DT One (before the fee); a ranged product may only give its rate. */
  readonly wholesale?: PriceOrRange | undefined;
  readonly wholesaleFee: PreciseMoney;
  /** DT One's suggested retail price. */
  readonly retail?: PriceOrRange | undefined;
  readonly retailFee?: PreciseMoney | undefined;
}

/** The fields a transaction on this product must carry: alternatives of field sets (any one set suffices). */
export interface DvsProductRequirements {
  readonly creditPartyIdentifier: DvsRequiredFields;
  readonly debitPartyIdentifier: DvsRequiredFields;
  readonly sender: DvsRequiredFields;
  readonly beneficiary: DvsRequiredFields;
  readonly statementIdentifier: DvsRequiredFields;
  readonly additionalIdentifier: DvsRequiredFields;
}

/** A DVS product as the domain sees it, with what the adapter needs to send it. */
export interface MappedDvsProduct {
  readonly product: Product;
  readonly dvsType: string;
  readonly pricing: DvsProductPricing;
  readonly requirements: DvsProductRequirements;
}

/** DVS subservices of the Mobile service (1): Airtime 11, Bundle 12, Data 13. */
export const MOBILE_SERVICE_ID = 1;
export const SUBSERVICE_OF_KIND: Readonly<Record<ProductKind, number>> = { AIRTIME: 11, BUNDLE: 12, DATA: 13 };

type Result<A> = Either.Either<A, ProviderResponseInvalid>;

// reasons name the field and the kind of problem, never a value DVS sent (ids, units, amounts)
const fail = <A>(reason: string): Result<A> =>
  Either.left(new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason: `product: ${reason}` }));

const currencyNamed = (unitType: string, unit: string, field: string): Result<Currency> =>
  unitType !== 'CURRENCY'
    ? fail(`${field} is not in a currency`)
    : Either.mapLeft(
        currencyOf(unit),
        () =>
          new ProviderResponseInvalid({
            provider: DTONE_PROVIDER_ID,
            reason: `product: ${field} is not a known currency`,
          }),
      );

/** An amount the beneficiary receives: exact in the currency's minor unit. */
const exact = (amount: number, currency: Currency, field: string): Result<Money> =>
  Either.mapLeft(
    moneyFromJsonNumber(amount, currency),
    (error) =>
      new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason: `product: ${field} ${error.reason}` }),
  );

/** A price or a fee: exact at whatever precision DVS wrote it. */
const precise = (amount: number, currency: Currency, field: string): Result<PreciseMoney> =>
  Either.mapLeft(
    preciseMoneyFromJsonNumber(amount, currency),
    (error) =>
      new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason: `product: ${field} ${error.reason}` }),
  );

const moneyRangeOf = (range: DvsAmountRange, currency: Currency, field: string): Result<MoneyRange> =>
  Either.gen(function* () {
    const min = yield* exact(range.min, currency, `${field}.min`);
    const max = yield* exact(range.max, currency, `${field}.max`);
    if (range.increment === undefined || range.increment === null) return { min, max };
    const step = yield* exact(range.increment, currency, `${field}.increment`);
    return { min, max, step };
  });

const priceRangeOf = (range: DvsAmountRange, currency: Currency, field: string): Result<PriceRange> =>
  Either.gen(function* () {
    const min = yield* precise(range.min, currency, `${field}.min`);
    const max = yield* precise(range.max, currency, `${field}.max`);
    if (range.increment === undefined || range.increment === null) return { min, max };
    const step = yield* precise(range.increment, currency, `${field}.increment`);
    return { min, max, step };
  });

/** The destination: what the beneficiary receives, one amount or a range. */
const destinationOf = (value: DvsValue): Result<MoneyOrRange> =>
  Either.flatMap(currencyNamed(value.unit_type, value.unit, 'destination.unit'), (currency): Result<MoneyOrRange> =>
    typeof value.amount === 'number'
      ? exact(value.amount, currency, 'destination.amount')
      : moneyRangeOf(value.amount, currency, 'destination.amount'),
  );

const priceAmountOf = (currency: Currency, amount: number | DvsAmountRange, field: string): Result<PriceOrRange> =>
  typeof amount === 'number' ? precise(amount, currency, field) : priceRangeOf(amount, currency, field);

/** The source value (what the sender pays), exact at DVS's precision. */
const sourceOf = (value: DvsValue): Result<PriceOrRange> =>
  Either.flatMap(currencyNamed(value.unit_type, value.unit, 'source.unit'), (currency) =>
    priceAmountOf(currency, value.amount, 'source.amount'),
  );

/** A price's amount; `undefined` when the price gives none. */
const priceOf = (price: DvsPrice, field: string): Result<PriceOrRange | undefined> =>
  Either.flatMap(currencyNamed(price.unit_type, price.unit, `${field}.unit`), (currency) =>
    price.amount === undefined || price.amount === null
      ? Either.right(undefined)
      : priceAmountOf(currency, price.amount, `${field}.amount`),
  );

const feeOf = (price: DvsPrice, field: string): Result<PreciseMoney> =>
  Either.flatMap(currencyNamed(price.unit_type, price.unit, `${field}.unit`), (currency) =>
    price.fee === undefined || price.fee === null
      ? Either.right(preciseOf(zero(currency)))
      : precise(price.fee, currency, `${field}.fee`),
  );

/** Airtime, bundle or data: from the Mobile subservice, else from the benefits. */
export const productKindOf = (product: Pick<DvsProduct, 'service' | 'benefits'>): ProductKind => {
  const subservice = product.service?.subservice;
  if (subservice) {
    const byId = (Object.entries(SUBSERVICE_OF_KIND) as [ProductKind, number][]).find(([, id]) => id === subservice.id);
    if (byId) return byId[0];
    const name = (subservice.name ?? '').toLowerCase();
    if (name.includes('data')) return 'DATA';
    if (name.includes('bundle')) return 'BUNDLE';
    if (name.includes('airtime')) return 'AIRTIME';
  }
  const types = new Set((product.benefits ?? []).map((benefit) => (benefit.type ?? '').toUpperCase()));
  if (types.has('DATA')) return types.size > 1 ? 'BUNDLE' : 'DATA';
  return 'AIRTIME';
};

const requirementsOf = (product: DvsProduct): DvsProductRequirements => ({
  creditPartyIdentifier: product.required_credit_party_identifier_fields ?? [],
  debitPartyIdentifier: product.required_debit_party_identifier_fields ?? [],
  sender: product.required_sender_fields ?? [],
  beneficiary: product.required_beneficiary_fields ?? [],
  statementIdentifier: product.required_statement_identifier_fields ?? [],
  additionalIdentifier: product.required_additional_identifier_fields ?? [],
});

/** `rates.wholesale` (destination units per source unit), else the rate implied by the top of the range. */
const wholesaleRateOf = (
  product: DvsProduct,
  source: Currency,
  destination: MoneyRange,
  wholesale: PriceOrRange | undefined,
): Result<ExchangeRate> => {
  const rate = product.rates?.wholesale;
  if (rate !== undefined && rate !== null) {
    const text = plainDecimalOf(rate) ?? '';
    return Either.mapLeft(
      parseExchangeRate(text, source, destination.min.currency),
      (error) =>
        new ProviderResponseInvalid({
          provider: DTONE_PROVIDER_ID,
          reason: `product: rates.wholesale ${error.reason}`,
        }),
    );
  }
  if (wholesale === undefined) return fail('neither rates.wholesale nor prices.wholesale.amount');
  const paid = isPriceRange(wholesale) ? wholesale.max : wholesale;
  return Either.mapLeft(
    impliedRate(paid, destination.max),
    (error) =>
      new ProviderResponseInvalid({
        provider: DTONE_PROVIDER_ID,
        reason: `product: no rates.wholesale and ${error.reason}`,
      }),
  );
};

/** What of `pricing` is present, by the shape of each value. */
const pricingOf = (product: DvsProduct): Result<DvsProductPricing> =>
  Either.gen(function* () {
    if (!product.destination) return yield* fail<DvsProductPricing>('destination is missing');
    const wholesalePrice = product.prices?.wholesale;
    if (!wholesalePrice) return yield* fail<DvsProductPricing>('prices.wholesale is missing');
    const destination = yield* destinationOf(product.destination);
    const wholesale = yield* priceOf(wholesalePrice, 'prices.wholesale');
    const wholesaleFee = yield* feeOf(wholesalePrice, 'prices.wholesale');
    const source = product.source ? yield* sourceOf(product.source) : undefined;
    const retailPrice = product.prices?.retail;
    const retail = retailPrice ? yield* priceOf(retailPrice, 'prices.retail') : undefined;
    const retailFee = retailPrice ? yield* feeOf(retailPrice, 'prices.retail') : undefined;
    return {
      destination,
      wholesaleFee,
      ...(wholesale === undefined ? {} : { wholesale }),
      ...(source === undefined ? {} : { source }),
      ...(retail === undefined ? {} : { retail }),
      ...(retailFee === undefined ? {} : { retailFee }),
    };
  });

const isRangedType = (type: string): boolean => type.toUpperCase().startsWith('RANGED_VALUE_');

/**
 * Maps a DVS product to the domain's product: `FIXED_VALUE_*` to a fixed
 * denomination (destination, wholesale price and fee), `RANGED_VALUE_*` to a
 * range on the grid of its increment (one minor unit when DVS gives none),
 * priced through `rates.wholesale`. Destination amounts are read exactly in
 * the currency's minor unit; prices and fees exactly at DVS's precision.
 * Reasons name fields and kinds, never DVS's values.
 */
export const mapDvsProduct = (product: DvsProduct): Result<MappedDvsProduct> =>
  Either.gen(function* () {
    const operator = yield* operatorOf(product.operator);
    const pricing = yield* pricingOf(product);
    const base = {
      id: String(product.id),
      name: product.name,
      kind: productKindOf(product),
      operator,
      fee: pricing.wholesaleFee,
    };
    const invalidProduct = (error: { readonly reason: string }) =>
      new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason: `product: ${error.reason}` });
    const ranged = isRangedType(product.type);
    const { destination, wholesale } = pricing;

    const mapped: Product = ranged
      ? yield* Either.gen(function* () {
          if (!isMoneyRange(destination))
            return yield* fail<Product>('a ranged product type with a single destination amount');
          const stepMinor = destination.step?.amountMinor ?? 1n;
          const rate = yield* wholesaleRateOf(product, pricing.wholesaleFee.currency, destination, wholesale);
          return yield* Either.mapLeft(
            makeRangedProduct({
              ...base,
              destinationMin: destination.min,
              destinationMax: destination.max,
              stepMinor,
              rate,
            }),
            invalidProduct,
          );
        })
      : yield* Either.gen(function* () {
          if (isMoneyRange(destination) || wholesale === undefined || isPriceRange(wholesale)) {
            return yield* fail<Product>('a fixed product type without one destination amount and one wholesale price');
          }
          return yield* Either.mapLeft(makeFixedProduct({ ...base, destination, wholesale }), invalidProduct);
        });

    return { product: mapped, dvsType: product.type, pricing, requirements: requirementsOf(product) };
  });
