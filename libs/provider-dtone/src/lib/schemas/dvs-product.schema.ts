import { Schema } from 'effect';
import {
  DvsBenefit,
  DvsId,
  DvsOperator,
  DvsPrices,
  DvsPromotionSummary,
  DvsRates,
  DvsRegion,
  DvsRequiredFields,
  DvsSubservice,
  DvsValidity,
  DvsValue,
  optionalNullable,
} from './dvs-common.schema';

/** The product types of the reference; others may appear and are read as strings. */
export const DVS_PRODUCT_TYPES = [
  'FIXED_VALUE_RECHARGE',
  'RANGED_VALUE_RECHARGE',
  'FIXED_VALUE_PIN_PURCHASE',
  'RANGED_VALUE_PIN_PURCHASE',
  'RANGED_VALUE_PAYMENT',
] as const;
export type DvsProductType = (typeof DVS_PRODUCT_TYPES)[number];

export const DVS_BENEFIT_TYPES = ['TALKTIME', 'DATA', 'SMS', 'PAYMENT', 'CREDITS'] as const;
export type DvsBenefitTypeName = (typeof DVS_BENEFIT_TYPES)[number];

export const DvsProductService = Schema.Struct({
  id: DvsId,
  name: optionalNullable(Schema.String),
  subservice: optionalNullable(DvsSubservice),
});

/** `GET /products`, `GET /products/{id}`. */
export const DvsProduct = Schema.Struct({
  id: DvsId,
  name: Schema.String,
  description: optionalNullable(Schema.String),
  tags: optionalNullable(Schema.Array(Schema.String)),
  service: optionalNullable(DvsProductService),
  operator: DvsOperator,
  regions: optionalNullable(Schema.Array(DvsRegion)),
  type: Schema.String,
  validity: optionalNullable(DvsValidity),
  required_debit_party_identifier_fields: optionalNullable(DvsRequiredFields),
  required_credit_party_identifier_fields: optionalNullable(DvsRequiredFields),
  required_sender_fields: optionalNullable(DvsRequiredFields),
  required_beneficiary_fields: optionalNullable(DvsRequiredFields),
  required_statement_identifier_fields: optionalNullable(DvsRequiredFields),
  required_additional_identifier_fields: optionalNullable(DvsRequiredFields),
  availability_zones: optionalNullable(Schema.Array(Schema.String)),
  source: optionalNullable(DvsValue),
  destination: optionalNullable(DvsValue),
  prices: optionalNullable(DvsPrices),
  rates: optionalNullable(DvsRates),
  benefits: optionalNullable(Schema.Array(DvsBenefit)),
  promotions: optionalNullable(Schema.Array(DvsPromotionSummary)),
});
export type DvsProduct = typeof DvsProduct.Type;
