// The simulator's records in DVS's JSON shapes (reference). Amounts are
// written from integer minor units: `Number("10.5")` is the double whose
// shortest text is "10.5", so JSON.stringify writes exactly that decimal.
// Optional fields without a value are left out, never sent as null.
import {
  type ExchangeRate,
  formatExchangeRate,
  formatMoney,
  impliedRate,
  type Money,
  sourceCostOf,
} from '@airtime/domain';
import { Either } from 'effect';
import type { Balance } from '../engine/balance-ledger';
import {
  countryByIso,
  operatorById,
  operatorRegions,
  productById,
  promotionsOfProduct,
} from '../engine/catalogue.queries';
import type {
  BenefitType,
  Catalogue,
  SimBenefit,
  SimCampaign,
  SimCountry,
  SimOperator,
  SimProduct,
  SimPromotion,
  SimRegion,
  SimService,
} from '../engine/catalogue.types';
import { dvsStatusOf } from '../engine/dvs-status.table';
import type { PartyFields, SimTransaction } from '../engine/transaction.types';

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };
type JsonObject = { readonly [key: string]: Json | undefined };

const MAX_EXACT_MINOR = 2n ** 51n;

/** A money amount as a JSON number in major units, exactly. */
export const jsonAmount = (value: Money): number => {
  if (value.amountMinor > MAX_EXACT_MINOR || value.amountMinor < -MAX_EXACT_MINOR) {
    throw new RangeError(`${value.currency.code} amount too large for an exact JSON number`);
  }
  return Number(formatMoney(value));
};

/** An exchange rate as a JSON number (six decimals, truncated). */
export const jsonRate = (rate: ExchangeRate): number => Number(formatExchangeRate(rate, 6));

const isoDate = (epochMs: number): string => new Date(epochMs).toISOString();

export const serviceJson = (service: SimService): JsonObject => ({
  id: service.id,
  name: service.name,
  subservices: service.subservices.map(({ id, name }) => ({ id, name })),
});

const regionsJson = (regions: readonly SimRegion[]): Json => regions.map(({ name, code }) => ({ name, code }));

export const countryJson = (country: SimCountry): JsonObject => ({
  name: country.name,
  iso_code: country.isoCode,
  regions: regionsJson(country.regions),
});

export const operatorJson = (catalogue: Catalogue, operator: SimOperator): JsonObject => {
  const country = countryByIso(catalogue, operator.countryIso);
  return {
    id: operator.id,
    name: operator.name,
    country: country ? countryJson(country) : { name: operator.countryIso, iso_code: operator.countryIso, regions: [] },
    regions: regionsJson(operatorRegions(catalogue, operator)),
  };
};

const serviceOf = (catalogue: Catalogue, product: SimProduct): JsonObject => {
  const service = catalogue.services.find((candidate) => candidate.id === product.serviceId);
  const subservice = service?.subservices.find((candidate) => candidate.id === product.subserviceId);
  return {
    id: product.serviceId,
    name: service?.name ?? String(product.serviceId),
    subservice: { id: product.subserviceId, name: subservice?.name ?? String(product.subserviceId) },
  };
};

const currencyValue = (value: Money): JsonObject => ({
  unit_type: 'CURRENCY',
  unit: value.currency.code,
  amount: jsonAmount(value),
});

const priceValue = (value: Money, fee: Money): JsonObject => ({ ...currencyValue(value), fee: jsonAmount(fee) });

/** A benefit amount: one number, or a `{min, max}` range for a ranged product's currency benefit. */
type BenefitAmount = number | { readonly min: number; readonly max: number };

const benefitAmounts = (amount: BenefitAmount): JsonObject => ({
  base: amount,
  promotion_bonus: typeof amount === 'number' ? 0 : { min: 0, max: 0 },
  total_excluding_tax: amount,
  total_including_tax: amount,
});

/**
 * A benefit with its `amount` (`{base, promotion_bonus, total_excluding_tax,
 * total_including_tax}`): the benefit's own amount when it has one, else the
 * destination amount (fixed products, transactions) or range (ranged products).
 */
const benefitJson = (benefit: SimBenefit, destination: BenefitAmount | undefined): JsonObject => {
  const amount = benefit.amount !== undefined ? Number(benefit.amount) : destination;
  return {
    type: benefit.type,
    unit_type: benefit.unitType,
    unit: benefit.unit,
    ...(amount === undefined ? {} : { amount: benefitAmounts(amount) }),
  };
};

/** A promotion as a product or a transaction lists it. */
const promotionSummaryJson = (promotion: SimPromotion): JsonObject => ({
  id: promotion.id,
  title: promotion.title,
  description: promotion.description,
  terms: promotion.terms,
  start_date: promotion.startDate,
  end_date: promotion.endDate,
});

/** A product as a promotion lists it: `{id, name, description, type}`. */
const productSummaryJson = (product: SimProduct): JsonObject => ({
  id: product.id,
  name: product.name,
  description: product.description,
  type: product.type,
});

/** `GET /promotions` and `/promotions/{id}`: the operator with its country (no regions), and the products. */
export const promotionJson = (catalogue: Catalogue, promotion: SimPromotion): JsonObject => {
  const operator = operatorById(catalogue, promotion.operatorId);
  const country = operator && countryByIso(catalogue, operator.countryIso);
  return {
    ...promotionSummaryJson(promotion),
    operator: {
      id: promotion.operatorId,
      name: operator?.name ?? String(promotion.operatorId),
      ...(country ? { country: { name: country.name, iso_code: country.isoCode } } : {}),
    },
    products: promotion.productIds.flatMap((id) => {
      const product = productById(catalogue, id);
      return product ? [productSummaryJson(product)] : [];
    }),
  };
};

/** `GET /campaigns` and `/campaigns/{id}`: each product with its operator (country and regions). */
export const campaignJson = (catalogue: Catalogue, campaign: SimCampaign): JsonObject => ({
  id: campaign.id,
  title: campaign.title,
  description: campaign.description,
  terms: campaign.terms,
  start_date: campaign.startDate,
  end_date: campaign.endDate,
  products: campaign.productIds.flatMap((id) => {
    const product = productById(catalogue, id);
    const operator = product && operatorById(catalogue, product.operatorId);
    return product && operator ? [{ ...productSummaryJson(product), operator: operatorJson(catalogue, operator) }] : [];
  }),
});

/** `GET /benefit-types`: `{"name": "TALKTIME"}`. */
export const benefitTypeJson = (type: BenefitType): JsonObject => ({ name: type });

const fieldSets = (sets: readonly (readonly string[])[]): Json => sets.map((set) => [...set]);

const productCore = (catalogue: Catalogue, product: SimProduct): JsonObject => {
  const operator = operatorById(catalogue, product.operatorId);
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    tags: [...product.tags],
    service: serviceOf(catalogue, product),
    operator: operator
      ? operatorJson(catalogue, operator)
      : { id: product.operatorId, name: String(product.operatorId) },
    regions: regionsJson(operator ? operatorRegions(catalogue, operator) : []),
    type: product.type,
  };
};

const fixedRates = (wholesale: Money, retail: Money, destination: Money): JsonObject => {
  const wholesaleRate = Either.getOrUndefined(impliedRate(wholesale, destination));
  const retailRate = Either.getOrUndefined(impliedRate(retail, destination));
  return {
    base: wholesaleRate && jsonRate(wholesaleRate),
    wholesale: wholesaleRate && jsonRate(wholesaleRate),
    retail: retailRate && jsonRate(retailRate),
  };
};

export const productJson = (catalogue: Catalogue, product: SimProduct): JsonObject => {
  const common = {
    ...productCore(catalogue, product),
    ...(product.validity ? { validity: { ...product.validity } } : {}),
    required_debit_party_identifier_fields: [],
    required_credit_party_identifier_fields: fieldSets(product.requiredCreditPartyFields),
    required_sender_fields: fieldSets(product.requiredSenderFields),
    required_beneficiary_fields: fieldSets(product.requiredBeneficiaryFields),
    required_statement_identifier_fields: [],
    required_additional_identifier_fields: [],
    availability_zones: ['INTERNATIONAL'],
    promotions: promotionsOfProduct(catalogue, product).map(promotionSummaryJson),
  };
  if (product.kind === 'FIXED') {
    return {
      ...common,
      source: currencyValue(product.wholesale),
      destination: currencyValue(product.destination),
      prices: {
        wholesale: priceValue(product.wholesale, product.wholesaleFee),
        retail: priceValue(product.retail, product.retailFee),
      },
      rates: fixedRates(product.wholesale, product.retail, product.destination),
      benefits: product.benefits.map((benefit) => benefitJson(benefit, jsonAmount(product.destination))),
    };
  }
  const source = product.sourceCurrency.code;
  // the cost of the smallest and the largest amount at a rate, rounded up to the source's minor unit
  const costRange = (rate: ExchangeRate) => ({
    min: jsonAmount(sourceCostOf(rate, product.destinationMin.amountMinor)),
    max: jsonAmount(sourceCostOf(rate, product.destinationMax.amountMinor)),
  });
  const destinationRange = { min: jsonAmount(product.destinationMin), max: jsonAmount(product.destinationMax) };
  return {
    ...common,
    source: { unit_type: 'CURRENCY', unit: source, amount: costRange(product.wholesaleRate) },
    destination: {
      unit_type: 'CURRENCY',
      unit: product.destinationMin.currency.code,
      amount: {
        min: jsonAmount(product.destinationMin),
        max: jsonAmount(product.destinationMax),
        increment: jsonAmount({ amountMinor: product.stepMinor, currency: product.destinationMin.currency }),
      },
    },
    prices: {
      wholesale: {
        unit_type: 'CURRENCY',
        unit: source,
        amount: costRange(product.wholesaleRate),
        fee: jsonAmount(product.wholesaleFee),
      },
      retail: {
        unit_type: 'CURRENCY',
        unit: source,
        amount: costRange(product.retailRate),
        fee: jsonAmount(product.retailFee),
      },
    },
    rates: {
      base: jsonRate(product.baseRate),
      wholesale: jsonRate(product.wholesaleRate),
      retail: jsonRate(product.retailRate),
    },
    benefits: product.benefits.map((benefit) => benefitJson(benefit, destinationRange)),
  };
};

/** The product as a transaction shows it: with `pin` (usage info, validity, terms) for a PIN purchase. */
const transactionProduct = (catalogue: Catalogue, product: SimProduct): JsonObject => {
  const { pin } = product;
  return {
    ...productCore(catalogue, product),
    ...(pin === undefined
      ? {}
      : {
          pin: {
            usage_info: [...pin.usageInfo],
            ...(pin.validity === undefined ? {} : { validity: { ...pin.validity } }),
            terms: pin.terms,
          },
        }),
  };
};

const party = (fields: PartyFields | undefined): JsonObject | undefined => fields && { ...fields };

const runsAt = (promotion: SimPromotion, atMs: number): boolean =>
  Date.parse(promotion.startDate) <= atMs && atMs <= Date.parse(promotion.endDate);

export const transactionJson = (catalogue: Catalogue, transaction: SimTransaction): JsonObject => {
  const product = productById(catalogue, transaction.productId);
  const { pricing } = transaction;
  return {
    id: transaction.id,
    external_id: transaction.externalId,
    creation_date: isoDate(transaction.createdAtMs),
    confirmation_expiration_date: isoDate(transaction.confirmationExpiresAtMs),
    ...(transaction.confirmedAtMs === undefined ? {} : { confirmation_date: isoDate(transaction.confirmedAtMs) }),
    status: { ...dvsStatusOf(transaction.status), class: { ...dvsStatusOf(transaction.status).class } },
    operator_reference: transaction.operatorReference,
    ...(transaction.pin === undefined ? {} : { pin: { ...transaction.pin } }),
    product: product ? transactionProduct(catalogue, product) : { id: transaction.productId },
    prices: {
      wholesale: priceValue(pricing.wholesale, pricing.wholesaleFee),
      retail: priceValue(pricing.retail, pricing.retailFee),
    },
    rates:
      product?.kind === 'RANGED'
        ? {
            base: jsonRate(product.baseRate),
            wholesale: jsonRate(product.wholesaleRate),
            retail: jsonRate(product.retailRate),
          }
        : fixedRates(pricing.wholesale, pricing.retail, pricing.destination),
    benefits: (product?.benefits ?? []).map((benefit) => benefitJson(benefit, jsonAmount(pricing.destination))),
    promotions: (product ? promotionsOfProduct(catalogue, product) : [])
      .filter((promotion) => runsAt(promotion, transaction.createdAtMs))
      .map(promotionSummaryJson),
    requested_values: {
      source: currencyValue(pricing.requestedSource),
      destination: currencyValue(pricing.requestedDestination),
    },
    adjusted_values: { source: currencyValue(pricing.source), destination: currencyValue(pricing.destination) },
    sender: party(transaction.sender),
    beneficiary: party(transaction.beneficiary),
    debit_party_identifier: party(transaction.debitPartyIdentifier),
    credit_party_identifier: party(transaction.creditPartyIdentifier),
    statement_identifier: party(transaction.statementIdentifier),
    additional_identifier: party(transaction.additionalIdentifier),
    callback_url: transaction.callbackUrl,
  };
};

export const balanceJson = (balance: Balance): JsonObject => ({
  id: balance.id,
  unit_type: 'CURRENCY',
  unit: balance.currency.code,
  available: jsonAmount({ amountMinor: balance.availableMinor, currency: balance.currency }),
  holding: jsonAmount({ amountMinor: balance.holdingMinor, currency: balance.currency }),
  credit_limit: jsonAmount({ amountMinor: balance.creditLimitMinor, currency: balance.currency }),
});

export const lookupJson = (catalogue: Catalogue, operator: SimOperator, identified: boolean): JsonObject => ({
  ...operatorJson(catalogue, operator),
  identified,
});
