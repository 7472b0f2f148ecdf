// The JSON shape of a top-up and of a quote in the API's answers (snake_case,
// amounts as decimal strings, times as ISO 8601). The OpenAPI document is
// generated from these schemas; the mappers build values of their types.
import { Schema } from 'effect';
import { MoneyView } from './money-view.schema';

/** A DVS-style status: the detailed status, its description, and its class. */
export const StatusView = Schema.Struct({
  id: Schema.String.annotations({ description: 'the detailed status, e.g. DECLINED-BARRED-CREDIT-PARTY' }),
  message: Schema.String,
  class: Schema.String.annotations({ description: 'the status class: CREATED, CONFIRMED, SUBMITTED, COMPLETED, ...' }),
}).annotations({ identifier: 'Status' });

export const OperatorView = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  country_iso: Schema.String.annotations({ description: 'ISO 3166-1 alpha-2' }),
}).annotations({ identifier: 'Operator' });

/** An exact exchange rate: how much `destination` one `source` buys (a truncated decimal and the exact fraction). */
export const RateView = Schema.Struct({
  source: Schema.String,
  destination: Schema.String,
  value: Schema.String.annotations({ description: 'the rate as a decimal, truncated to 6 fraction digits' }),
  numerator: Schema.String,
  denominator: Schema.String,
}).annotations({ identifier: 'ExchangeRate' });
export type RateView = typeof RateView.Type;

const ProductBase = {
  id: Schema.String,
  name: Schema.String,
  kind: Schema.Literal('AIRTIME', 'DATA', 'BUNDLE'),
  operator: OperatorView,
  fee: MoneyView,
};

/** A fixed denomination: one amount received for one wholesale price (plus fee). */
export const FixedProductView = Schema.Struct({
  ...ProductBase,
  type: Schema.Literal('FIXED'),
  destination: MoneyView,
  wholesale: MoneyView,
}).annotations({ identifier: 'FixedProduct' });

/** A ranged product: any amount from min to max on a grid of `step`, priced through `rate`. */
export const RangedProductView = Schema.Struct({
  ...ProductBase,
  type: Schema.Literal('RANGED'),
  destination_min: MoneyView,
  destination_max: MoneyView,
  step: MoneyView,
  rate: RateView,
}).annotations({ identifier: 'RangedProduct' });

export const ProductView = Schema.Union(FixedProductView, RangedProductView).annotations({ identifier: 'Product' });
export type ProductView = typeof ProductView.Type;

/**
 * What a top-up sends and costs, and why: the product, what the beneficiary
 * receives, the charge and its parts (wholesale + fee = exact cost, rounded
 * up to the minor unit), the selector's rule with the request it was given,
 * and the rate.
 */
export const QuoteView = Schema.Struct({
  product: ProductView,
  receive: MoneyView,
  matched_amount: MoneyView.annotations({
    description: "the amount compared with the request (in the request's currency)",
  }),
  cost: MoneyView.annotations({
    description: 'what the account is charged: the exact cost rounded up to the minor unit',
  }),
  cost_parts: Schema.Struct({
    wholesale: MoneyView,
    fee: MoneyView,
    exact: MoneyView,
    rounding_up: MoneyView,
  }),
  rule: Schema.Literal('SMALLEST_AT_OR_ABOVE_DESIRED', 'LARGEST_AT_OR_BELOW_MAX_FALLBACK', 'LARGEST_AT_OR_BELOW_MAX'),
  explanation: Schema.String.annotations({ description: 'the rule in words, with the amounts it compared' }),
  request: Schema.Struct({ max_amount: MoneyView, desired_amount: Schema.NullOr(MoneyView) }),
  rate: RateView,
}).annotations({ identifier: 'Quote' });
export type QuoteView = typeof QuoteView.Type;

export const AttemptView = Schema.Struct({
  number: Schema.Number,
  provider: Schema.NullOr(Schema.String),
  provider_external_id: Schema.String,
  provider_transaction_id: Schema.NullOr(Schema.String),
  state: Schema.Literal('InFlight', 'Pending', 'Unknown', 'Succeeded', 'Failed'),
  status: Schema.NullOr(StatusView),
  failure: Schema.NullOr(
    Schema.Struct({ reason: Schema.String, retryable: Schema.Boolean, detail: Schema.NullOr(Schema.String) }),
  ),
  unknown_reason: Schema.NullOr(Schema.String),
  started_at: Schema.String,
  updated_at: Schema.String,
}).annotations({ identifier: 'Attempt' });
export type AttemptView = typeof AttemptView.Type;

/** A top-up as the API shows it to the account's keys (every field described for the OpenAPI document). */
export const TopUpView = Schema.Struct({
  id: Schema.String.annotations({ description: "the platform's id of the top-up" }),
  external_id: Schema.String.annotations({
    description: 'your idempotency key (the Idempotency-Key header or external_id of the request)',
  }),
  account_id: Schema.String.annotations({ description: 'the account charged' }),
  status: StatusView.annotations({ description: "the top-up's status: that of its latest attempt, or CREATED" }),
  phone_number: Schema.String.annotations({ description: 'the number topped up, E.164' }),
  quote: QuoteView.annotations({ description: 'what is sent and charged, and why (see Quote)' }),
  attempts: Schema.Array(AttemptView).annotations({ description: 'each send to the provider, oldest first' }),
  failure: Schema.NullOr(
    Schema.Struct({
      reason: Schema.String,
      attempts_exhausted: Schema.Boolean,
      detail: Schema.NullOr(Schema.String),
    }),
  ).annotations({
    description: 'why the top-up failed (a reason code, whether the retries ran out, a detail); null unless it failed',
  }),
  next_attempt_at: Schema.NullOr(Schema.String).annotations({
    description: 'when a scheduled retry is due (ISO 8601); null when none is scheduled and once final',
  }),
  awaiting_status_query: Schema.Boolean.annotations({
    description:
      "true while the latest attempt's outcome is unknown (a timeout, a lost answer): the platform asks the " +
      'provider for its status by external id, and sends nothing again until it knows',
  }),
  callback_url: Schema.optional(Schema.NullOr(Schema.String)).annotations({
    description: "the caller's callback URL (not in lists)",
  }),
  created_at: Schema.String.annotations({ description: 'when the top-up was requested (ISO 8601)' }),
  updated_at: Schema.String.annotations({ description: 'when the top-up last changed (ISO 8601)' }),
  metadata: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown }))).annotations({
    description: "the caller's metadata as sent (not in lists)",
  }),
}).annotations({ identifier: 'TopUp' });
export type TopUpView = typeof TopUpView.Type;
