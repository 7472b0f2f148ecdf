import type { Quote } from '@airtime/domain';
import { Schema } from 'effect';
import { CurrencyFromCode, ExchangeRateFromJson, MoneyFromJson, PreciseMoneyFromJson } from '../shared/money.codec';
import { ProductFromJson } from '../shared/product.codec';

const SelectionRequestFromJson = Schema.Struct({
  maxAmount: MoneyFromJson,
  desiredAmount: Schema.optional(MoneyFromJson),
  chargeCurrency: Schema.optional(CurrencyFromCode),
});

const QuoteFields = Schema.Struct({
  product: ProductFromJson,
  receive: MoneyFromJson,
  matchedAmount: MoneyFromJson,
  wholesale: PreciseMoneyFromJson,
  fee: PreciseMoneyFromJson,
  costExact: PreciseMoneyFromJson,
  cost: MoneyFromJson,
  roundingUp: PreciseMoneyFromJson,
  rule: Schema.Literal('SMALLEST_AT_OR_ABOVE_DESIRED', 'LARGEST_AT_OR_BELOW_MAX_FALLBACK', 'LARGEST_AT_OR_BELOW_MAX'),
  request: SelectionRequestFromJson,
  rate: ExchangeRateFromJson,
});

export type QuoteJson = Schema.Schema.Encoded<typeof QuoteFields>;

/**
 * A quote as the exact JSON of `top_ups.quote`: amounts as decimal strings
 * (prices, fee, exact cost and rounding at the provider's precision),
 * currencies by code, the product whole (fixed or ranged, with its rate
 * fraction). Decoding and encoding give back the same quote.
 */
export const QuoteFromJson: Schema.Schema<Quote, QuoteJson> = QuoteFields;
