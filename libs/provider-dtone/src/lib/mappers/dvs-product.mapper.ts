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
  type Product,
  type ProductKind,
  ProviderResponseInvalid,
  zero,
} from '@airtime/domain';
import { Either } from 'effect';
import { DTONE_PROVIDER_ID } from '../http/dvs-errors.mapping';
import type { DvsAmountRange, DvsPrice, DvsRequiredFields, DvsValue } from '../schemas/dvs-common.schema';
import type { DvsProduct } from '../schemas/dvs-product.schema';
import { plainDecimalOf } from './decimal-text';
import { operatorOf } from './dvs-operator.mapper';

/** A range of amounts in one currency (ranged products). */
export interface MoneyRange {
  readonly min: Money;
  readonly max: Money;
  readonly step?: Money;
}

export type MoneyOrRange = Money | MoneyRange;

export const isMoneyRange = (value: MoneyOrRange): value is MoneyRange => 'min' in value;

/** Every price of a DVS product, exact. */
export interface DvsProductPricing {
  /** What the sender pays in the source currency (when DVS gives it). */
  readonly source?: MoneyOrRange;
  /** What the beneficiary receives. */
  readonly destination: MoneyOrRange;
  /** What we pay DT One (before the fee); a ranged product may only give its rate. */
  readonly wholesale?: MoneyOrRange;
  readonly wholesaleFee: Money;
  /** DT One's suggested retail price. */
  readonly retail?: MoneyOrRange;
  readonly retailFee?: Money;
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

const fail = <A>(productId: number, reason: string): Result<A> =>
  Either.left(new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason: `product ${productId}: ${reason}` }));

const currencyNamed = (productId: number, unitType: string, unit: string): Result<Currency> =>
  unitType !== 'CURRENCY'
    ? fail(productId, `amount in ${unitType} "${unit}", not a currency`)
    : Either.mapLeft(
        currencyOf(unit),
        () =>
          new ProviderResponseInvalid({
            provider: DTONE_PROVIDER_ID,
            reason: `product ${productId}: unknown currency "${unit}"`,
          }),
      );

const exact = (productId: number, amount: number, currency: Currency, what: string): Result<Money> =>
  Either.mapLeft(
    moneyFromJsonNumber(amount, currency),
    (error) =>
      new ProviderResponseInvalid({
        provider: DTONE_PROVIDER_ID,
        reason: `product ${productId}: ${what} ${error.reason}`,
      }),
  );

const rangeOf = (productId: number, range: DvsAmountRange, currency: Currency, what: string): Result<MoneyRange> =>
  Either.gen(function* () {
    const min = yield* exact(productId, range.min, currency, `${what} minimum`);
    const max = yield* exact(productId, range.max, currency, `${what} maximum`);
    if (range.increment === undefined || range.increment === null) return { min, max };
    const step = yield* exact(productId, range.increment, currency, `${what} increment`);
    return { min, max, step };
  });

const amountOf = (
  productId: number,
  currency: Currency,
  amount: number | DvsAmountRange,
  what: string,
): Result<MoneyOrRange> =>
  typeof amount === 'number' ? exact(productId, amount, currency, what) : rangeOf(productId, amount, currency, what);

const valueOf = (productId: number, value: DvsValue, what: string): Result<MoneyOrRange> =>
  Either.flatMap(currencyNamed(productId, value.unit_type, value.unit), (currency) =>
    amountOf(productId, currency, value.amount, what),
  );

/** A price's amount; `undefined` when the price gives none. */
const priceOf = (productId: number, price: DvsPrice, what: string): Result<MoneyOrRange | undefined> =>
  Either.flatMap(currencyNamed(productId, price.unit_type, price.unit), (currency) =>
    price.amount === undefined || price.amount === null
      ? Either.right(undefined)
      : amountOf(productId, currency, price.amount, what),
  );

const feeOf = (productId: number, price: DvsPrice, what: string): Result<Money> =>
  Either.flatMap(currencyNamed(productId, price.unit_type, price.unit), (currency) =>
    price.fee === undefined || price.fee === null
      ? Either.right(zero(currency))
      : exact(productId, price.fee, currency, what),
  );

/** Airtime, bundle or data: from the Mobile subservice, else from the benefits. */
export const productKindOf = (product: Pick<DvsProduct, 'service' | 'benefits'>): ProductKind => {
  const subservice = product.service?.subservice;
  if (subservice) {
    const byId = (Object.entries(SUBSERVICE_OF_KIND) as [ProductKind, number][]).find(([, id]) => id === subservice.id);
    if (byId) return byId[0];
    const name = subservice.name.toLowerCase();
    if (name.includes('data')) return 'DATA';
    if (name.includes('bundle')) return 'BUNDLE';
    if (name.includes('airtime')) return 'AIRTIME';
  }
  const types = new Set((product.benefits ?? []).map((benefit) => benefit.type.toUpperCase()));
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
  wholesale: MoneyOrRange | undefined,
): Result<ExchangeRate> => {
  const rate = product.rates?.wholesale;
  if (rate !== undefined && rate !== null) {
    const text = plainDecimalOf(rate) ?? '';
    return Either.mapLeft(
      parseExchangeRate(text, source, destination.min.currency),
      (error) =>
        new ProviderResponseInvalid({
          provider: DTONE_PROVIDER_ID,
          reason: `product ${product.id}: rates.wholesale ${error.reason}`,
        }),
    );
  }
  if (wholesale === undefined) return fail(product.id, 'neither rates.wholesale nor a wholesale amount');
  const paid = isMoneyRange(wholesale) ? wholesale.max : wholesale;
  return Either.mapLeft(
    impliedRate(paid, destination.max),
    (error) =>
      new ProviderResponseInvalid({
        provider: DTONE_PROVIDER_ID,
        reason: `product ${product.id}: no rates.wholesale and ${error.reason}`,
      }),
  );
};

/** What of `pricing` is present, by the shape of each value. */
const pricingOf = (product: DvsProduct): Result<DvsProductPricing> =>
  Either.gen(function* () {
    const { id } = product;
    if (!product.destination) return yield* fail<DvsProductPricing>(id, 'no destination');
    const wholesalePrice = product.prices?.wholesale;
    if (!wholesalePrice) return yield* fail<DvsProductPricing>(id, 'no wholesale price');
    const destination = yield* valueOf(id, product.destination, 'destination');
    const wholesale = yield* priceOf(id, wholesalePrice, 'wholesale price');
    const wholesaleFee = yield* feeOf(id, wholesalePrice, 'wholesale fee');
    const source = product.source ? yield* valueOf(id, product.source, 'source') : undefined;
    const retailPrice = product.prices?.retail;
    const retail = retailPrice ? yield* priceOf(id, retailPrice, 'retail price') : undefined;
    const retailFee = retailPrice ? yield* feeOf(id, retailPrice, 'retail fee') : undefined;
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
 * priced through `rates.wholesale`. All amounts are read exactly.
 */
export const mapDvsProduct = (product: DvsProduct): Result<MappedDvsProduct> =>
  Either.gen(function* () {
    const { id } = product;
    const operator = yield* operatorOf(product.operator);
    const pricing = yield* pricingOf(product);
    const base = {
      id: String(id),
      name: product.name,
      kind: productKindOf(product),
      operator,
      fee: pricing.wholesaleFee,
    };
    const ranged = isRangedType(product.type);
    const { destination, wholesale } = pricing;

    const mapped: Product = ranged
      ? yield* Either.gen(function* () {
          if (!isMoneyRange(destination))
            return yield* fail<Product>(id, `${product.type} with a single destination amount`);
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
            (error) => new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason: error.message }),
          );
        })
      : yield* Either.gen(function* () {
          if (isMoneyRange(destination) || wholesale === undefined || isMoneyRange(wholesale)) {
            return yield* fail<Product>(id, `${product.type} without one destination amount and one wholesale price`);
          }
          return yield* Either.mapLeft(
            makeFixedProduct({ ...base, destination, wholesale }),
            (error) => new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason: error.message }),
          );
        });

    return { product: mapped, dvsType: product.type, pricing, requirements: requirementsOf(product) };
  });
