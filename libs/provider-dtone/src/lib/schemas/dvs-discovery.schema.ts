import { Schema } from 'effect';
import { DvsCountry, DvsId, DvsOperator, DvsSubservice, optionalNullable } from './dvs-common.schema';

/** `GET /services`, `GET /services/{id}`. */
export const DvsService = Schema.Struct({
  id: DvsId,
  name: Schema.String,
  subservices: optionalNullable(Schema.Array(DvsSubservice)),
});
export type DvsService = typeof DvsService.Type;

/** `GET /countries`, `GET /countries/{iso}`. */
export { DvsCountry, DvsOperator };

/** `GET /benefit-types`: `[{ "name": "TALKTIME" }, ...]`. */
export const DvsBenefitType = Schema.Struct({ name: Schema.String });
export type DvsBenefitType = typeof DvsBenefitType.Type;

/** A product as a promotion or a campaign lists it. */
export const DvsProductSummary = Schema.Struct({
  id: DvsId,
  name: optionalNullable(Schema.String),
  description: optionalNullable(Schema.String),
  type: optionalNullable(Schema.String),
  operator: optionalNullable(DvsOperator),
});
export type DvsProductSummary = typeof DvsProductSummary.Type;

const PromotionOperator = Schema.Struct({
  id: DvsId,
  name: Schema.String,
  country: optionalNullable(DvsCountry),
});

/** `GET /promotions`, `GET /promotions/{id}`. */
export const DvsPromotion = Schema.Struct({
  id: DvsId,
  title: optionalNullable(Schema.String),
  description: optionalNullable(Schema.String),
  terms: optionalNullable(Schema.String),
  start_date: optionalNullable(Schema.String),
  end_date: optionalNullable(Schema.String),
  operator: optionalNullable(PromotionOperator),
  products: optionalNullable(Schema.Array(DvsProductSummary)),
});
export type DvsPromotion = typeof DvsPromotion.Type;

/** `GET /campaigns`, `GET /campaigns/{id}`. */
export const DvsCampaign = Schema.Struct({
  id: DvsId,
  title: optionalNullable(Schema.String),
  description: optionalNullable(Schema.String),
  terms: optionalNullable(Schema.String),
  start_date: optionalNullable(Schema.String),
  end_date: optionalNullable(Schema.String),
  products: optionalNullable(Schema.Array(DvsProductSummary)),
});
export type DvsCampaign = typeof DvsCampaign.Type;

/** `POST /lookup/mobile-number`: an operator and whether DVS identified it (rather than guessed from the prefix). */
export const DvsLookupOperator = Schema.Struct({
  id: DvsId,
  name: Schema.String,
  country: DvsCountry,
  regions: DvsOperator.fields.regions,
  identified: optionalNullable(Schema.Boolean),
});
export type DvsLookupOperator = typeof DvsLookupOperator.Type;
