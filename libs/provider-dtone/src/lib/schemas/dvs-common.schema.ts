// Building blocks of the DVS JSON objects. Every struct ignores properties it
// does not name (effect/Schema's default), and optional fields also accept
// `null`: DVS adds fields without notice and that must not break us.
// Enumerations (unit types, product types, benefit types) are read as plain
// strings for the same reason; the mappers decide what they understand.
import { Schema } from 'effect';

/** An optional field that DVS may also send as `null`. */
export const optionalNullable = <S extends Schema.Schema.Any>(schema: S) => Schema.optional(Schema.NullOr(schema));

export const DvsId = Schema.Number.pipe(Schema.int());

/** A country's constituent (ISO 3166-2); both fields may be null (`{"name": "Luzon", "code": null}`). */
export const DvsRegion = Schema.Struct({
  code: optionalNullable(Schema.String),
  name: optionalNullable(Schema.String),
});
export type DvsRegion = typeof DvsRegion.Type;

export const DvsCountry = Schema.Struct({
  iso_code: Schema.String,
  name: optionalNullable(Schema.String),
  regions: optionalNullable(Schema.Array(DvsRegion)),
});
export type DvsCountry = typeof DvsCountry.Type;

export const DvsOperator = Schema.Struct({
  id: DvsId,
  name: Schema.String,
  country: DvsCountry,
  regions: optionalNullable(Schema.Array(DvsRegion)),
});
export type DvsOperator = typeof DvsOperator.Type;

export const DvsSubservice = Schema.Struct({ id: DvsId, name: optionalNullable(Schema.String) });
export type DvsSubservice = typeof DvsSubservice.Type;

/** A range of amounts of a ranged product (`increment` is the step, when DVS gives one). */
export const DvsAmountRange = Schema.Struct({
  min: Schema.Number,
  max: Schema.Number,
  increment: optionalNullable(Schema.Number),
});
export type DvsAmountRange = typeof DvsAmountRange.Type;

/** `{unit_type, unit, amount}`: one amount (fixed values, transactions) or a range (ranged products). */
export const DvsValue = Schema.Struct({
  unit_type: Schema.String,
  unit: Schema.String,
  amount: Schema.Union(Schema.Number, DvsAmountRange),
});
export type DvsValue = typeof DvsValue.Type;

/** A value of a transaction: always one amount. */
export const DvsFixedValue = Schema.Struct({
  unit_type: Schema.String,
  unit: Schema.String,
  amount: Schema.Number,
});
export type DvsFixedValue = typeof DvsFixedValue.Type;

/** A price; ranged products may give only the unit and fee (the amount follows from the rate). */
export const DvsPrice = Schema.Struct({
  unit_type: Schema.String,
  unit: Schema.String,
  amount: optionalNullable(Schema.Union(Schema.Number, DvsAmountRange)),
  fee: optionalNullable(Schema.Number),
});
export type DvsPrice = typeof DvsPrice.Type;

export const DvsPrices = Schema.Struct({
  wholesale: optionalNullable(DvsPrice),
  retail: optionalNullable(DvsPrice),
});
export type DvsPrices = typeof DvsPrices.Type;

/** Destination units per source unit, at base, wholesale and retail prices. */
export const DvsRates = Schema.Struct({
  base: optionalNullable(Schema.Number),
  wholesale: optionalNullable(Schema.Number),
  retail: optionalNullable(Schema.Number),
});
export type DvsRates = typeof DvsRates.Type;

export const DvsBenefit = Schema.Struct({
  type: optionalNullable(Schema.String),
  unit_type: optionalNullable(Schema.String),
  unit: optionalNullable(Schema.String),
  /** `{base, promotion_bonus, total_excluding_tax, total_including_tax}`, numbers or ranges: kept as sent. */
  amount: optionalNullable(Schema.Unknown),
  additional_information: optionalNullable(Schema.String),
});
export type DvsBenefit = typeof DvsBenefit.Type;

/** How long a product's benefits last; informational, so either part may be null (`{"unit": "DAY", "quantity": null}`). */
export const DvsValidity = Schema.Struct({
  unit: optionalNullable(Schema.String),
  quantity: optionalNullable(Schema.Number),
});

export const DvsPromotionSummary = Schema.Struct({
  id: DvsId,
  title: optionalNullable(Schema.String),
  description: optionalNullable(Schema.String),
  terms: optionalNullable(Schema.String),
  start_date: optionalNullable(Schema.String),
  end_date: optionalNullable(Schema.String),
});
export type DvsPromotionSummary = typeof DvsPromotionSummary.Type;

/** Alternatives of required field sets: `[["mobile_number"], ["account_number"]]` means either one. */
export const DvsRequiredFields = Schema.Array(Schema.Array(Schema.String));
export type DvsRequiredFields = typeof DvsRequiredFields.Type;

export const DvsPartyIdentifier = Schema.Struct({
  mobile_number: optionalNullable(Schema.String),
  account_number: optionalNullable(Schema.String),
  account_qualifier: optionalNullable(Schema.String),
});
export type DvsPartyIdentifier = typeof DvsPartyIdentifier.Type;

/** Sender or beneficiary details. */
export const DvsParty = Schema.Struct({
  last_name: optionalNullable(Schema.String),
  first_name: optionalNullable(Schema.String),
  middle_name: optionalNullable(Schema.String),
  nationality_country_iso_code: optionalNullable(Schema.String),
  mobile_number: optionalNullable(Schema.String),
  email: optionalNullable(Schema.String),
  address_text: optionalNullable(Schema.String),
  address_city: optionalNullable(Schema.String),
  address_country_iso_code: optionalNullable(Schema.String),
  address_postal_code: optionalNullable(Schema.String),
});
export type DvsParty = typeof DvsParty.Type;

export const DvsStatementIdentifier = Schema.Struct({
  reference: optionalNullable(Schema.String),
  due_date: optionalNullable(Schema.String),
});

export const DvsAdditionalIdentifier = Schema.Struct({
  purchaser_id: optionalNullable(Schema.String),
});
