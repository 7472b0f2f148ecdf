import { Schema } from 'effect';

/** engageSPARK writes amounts as JSON numbers (10000, 0.55); strings are read too. */
const JsonAmount = Schema.Union(Schema.Number, Schema.String);

/**
 * The answer to POST /v1/organizations/{orgId}/topup/: the transaction
 * (error "") or an error alone ({"error": "no matching product found"}).
 * Unknown fields are ignored.
 */
export const TopupResult = Schema.Struct({
  id: Schema.optional(Schema.Union(Schema.String, Schema.Number)),
  error: Schema.optional(Schema.NullOr(Schema.String)),
  amountSent: Schema.optional(JsonAmount),
  currency: Schema.optional(Schema.String),
  price: Schema.optional(JsonAmount),
  clientRef: Schema.optional(Schema.NullOr(Schema.String)),
  createdDate: Schema.optional(Schema.String),
  /** The number topped up, as engageSPARK writes it ("629123456789"); a JSON number is read too. */
  fullPhoneNumber: Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Schema.Number))),
  phoneNumber: Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Schema.Number))),
});
export type TopupResult = typeof TopupResult.Type;

export const TopupResultFromJson = Schema.parseJson(TopupResult);

/**
 * What a 4xx may say: engageSPARK's `error`, or a framework's `detail`
 * ("Invalid token."). Decoded from a body already read as JSON, after the
 * loose search for a transaction (`topupTakenEvidence`): a JSON object or
 * array of another shape proves no refusal.
 */
export const TopupErrorBody = Schema.Struct({
  id: Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Schema.Number))),
  amountSent: Schema.optional(Schema.NullOr(JsonAmount)),
  clientRef: Schema.optional(Schema.NullOr(Schema.String)),
  error: Schema.optional(Schema.NullOr(Schema.String)),
  detail: Schema.optional(Schema.NullOr(Schema.String)),
});
