// The catalogue the simulated DVS account sees: services, countries, operators, products.
import type { Currency, ExchangeRate, Money } from '@airtime/domain';

export interface SimSubservice {
  readonly id: number;
  readonly name: string;
}

export interface SimService {
  readonly id: number;
  readonly name: string;
  readonly subservices: readonly SimSubservice[];
}

/** A subdivision of a country (ISO 3166-2 code, "PH-00"), as DVS lists it under `regions`. */
export interface SimRegion {
  readonly name: string;
  readonly code: string;
}

export interface SimCountry {
  /** ISO 3166-1 alpha-3, as DVS writes it ("PHL"). */
  readonly isoCode: string;
  /** ISO 3166-1 alpha-2, as the domain writes it ("PH"). */
  readonly isoAlpha2: string;
  readonly name: string;
  /** Calling code without "+" ("63"). */
  readonly callingCode: string;
  readonly regions: readonly SimRegion[];
}

export interface SimOperator {
  readonly id: number;
  readonly name: string;
  readonly countryIso: string;
  /** E.164 prefixes ("+63917") of the numbers this operator serves, for lookups. */
  readonly numberPrefixes: readonly string[];
  /** Codes of the country's regions the operator (and its products) cover; all of them when omitted. */
  readonly regionCodes?: readonly string[] | undefined;
}

export type ProductType =
  | 'FIXED_VALUE_RECHARGE'
  | 'RANGED_VALUE_RECHARGE'
  | 'FIXED_VALUE_PIN_PURCHASE'
  | 'RANGED_VALUE_PIN_PURCHASE'
  | 'RANGED_VALUE_PAYMENT';

export const PRODUCT_TYPES: readonly ProductType[] = [
  'FIXED_VALUE_RECHARGE',
  'RANGED_VALUE_RECHARGE',
  'FIXED_VALUE_PIN_PURCHASE',
  'RANGED_VALUE_PIN_PURCHASE',
  'RANGED_VALUE_PAYMENT',
];

export type BenefitType = 'TALKTIME' | 'DATA' | 'SMS' | 'PAYMENT' | 'CREDITS';

export const BENEFIT_TYPES: readonly BenefitType[] = ['TALKTIME', 'DATA', 'SMS', 'PAYMENT', 'CREDITS'];

/** A benefit; `amount` is in the benefit's unit, as decimal text ("10", "1.5"), or the destination amount when omitted. */
export interface SimBenefit {
  readonly type: BenefitType;
  readonly unitType: 'CURRENCY' | 'DATA' | 'TIME' | 'QUANTITY';
  readonly unit: string;
  readonly amount?: string | undefined;
}

export type ValidityUnit = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

/** How a PIN purchase's code is used, shown on its transactions (`product.pin`). */
export interface SimPinInfo {
  readonly usageInfo: readonly string[];
  readonly validity?: { readonly unit: ValidityUnit; readonly quantity: number };
  readonly terms?: string | undefined;
}

interface SimProductBase {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly serviceId: number;
  readonly subserviceId: number;
  readonly operatorId: number;
  readonly benefits: readonly SimBenefit[];
  readonly validity?: { readonly unit: ValidityUnit; readonly quantity: number };
  /** PIN purchases (`*_PIN_PURCHASE`): how the PIN is used. */
  readonly pin?: SimPinInfo | undefined;
  /** Alternative sets of credit party fields ([["mobile_number"]]); empty when none are needed (gift cards). */
  readonly requiredCreditPartyFields: readonly (readonly string[])[];
  readonly requiredSenderFields: readonly (readonly string[])[];
  readonly requiredBeneficiaryFields: readonly (readonly string[])[];
  readonly sourceCurrency: Currency;
  /** Per-transaction fees on top of the price, in the source currency. */
  readonly wholesaleFee: Money;
  readonly retailFee: Money;
}

export interface SimFixedProduct extends SimProductBase {
  readonly kind: 'FIXED';
  readonly type: 'FIXED_VALUE_RECHARGE' | 'FIXED_VALUE_PIN_PURCHASE';
  readonly destination: Money;
  readonly wholesale: Money;
  readonly retail: Money;
}

export interface SimRangedProduct extends SimProductBase {
  readonly kind: 'RANGED';
  readonly type: 'RANGED_VALUE_RECHARGE' | 'RANGED_VALUE_PIN_PURCHASE' | 'RANGED_VALUE_PAYMENT';
  readonly destinationMin: Money;
  readonly destinationMax: Money;
  /** Grid of allowed destination amounts, in destination minor units. */
  readonly stepMinor: bigint;
  /** Source -> destination: how many destination major units one source major unit buys. */
  readonly baseRate: ExchangeRate;
  readonly wholesaleRate: ExchangeRate;
  readonly retailRate: ExchangeRate;
}

export type SimProduct = SimFixedProduct | SimRangedProduct;

/** Whether a product is a PIN purchase: its completed transactions always carry a PIN. */
export const isPinPurchase = (product: SimProduct): boolean => product.type.endsWith('_PIN_PURCHASE');

/** A seasonal promotion of an operator on some of its products (`GET /promotions`). */
export interface SimPromotion {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly terms: string;
  /** ISO 8601 UTC ("2026-01-01T00:00:00Z"), as DVS writes dates. */
  readonly startDate: string;
  readonly endDate: string;
  readonly operatorId: number;
  readonly productIds: readonly number[];
}

/** A campaign over products of any operators (`GET /campaigns`). */
export interface SimCampaign {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly terms: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly productIds: readonly number[];
}

export interface Catalogue {
  readonly services: readonly SimService[];
  readonly countries: readonly SimCountry[];
  readonly operators: readonly SimOperator[];
  readonly products: readonly SimProduct[];
  /** None when omitted. */
  readonly promotions?: readonly SimPromotion[] | undefined;
  /** None when omitted. */
  readonly campaigns?: readonly SimCampaign[] | undefined;
}
