// Top-ups, quotes and products as the API shows them: the domain's values
// turned into the JSON views of top-up-view.schema.ts (amounts as exact
// decimal strings, times as ISO 8601, snake_case).
import {
  type Attempt,
  describeStatus,
  type ExchangeRate,
  formatExchangeRate,
  formatMoney,
  formatPrecise,
  type Money,
  money,
  type Operator,
  type PreciseMoney,
  type Product,
  type Quote,
  type TopUp,
  type TransactionStatus,
} from '@airtime/domain';
import type { MoneyView } from './money-view.schema';
import type { AttemptView, ProductView, QuoteView, RateView, TopUpView } from './top-up-view.schema';

/** An amount at its currency's minor unit, e.g. `{ amount: "20.00", currency: "PHP" }`. */
export const moneyView = (value: Money): MoneyView => ({ amount: formatMoney(value), currency: value.currency.code });

/** An amount at the provider's precision, e.g. `{ amount: "1.8695", currency: "USD" }`. */
export const preciseView = (value: PreciseMoney): MoneyView => ({
  amount: formatPrecise(value),
  currency: value.currency.code,
});

export const statusView = (status: TransactionStatus) => ({
  id: status.status,
  message: describeStatus(status.status),
  class: status.class,
});

export const rateView = (rate: ExchangeRate): RateView => ({
  source: rate.source.code,
  destination: rate.destination.code,
  value: formatExchangeRate(rate, 6),
  numerator: rate.numerator.toString(),
  denominator: rate.denominator.toString(),
});

const operatorView = (operator: Operator) => ({
  id: operator.id,
  name: operator.name,
  country_iso: operator.countryIso,
});

/** A product of the catalogue: fixed (amount and price) or ranged (bounds, step and rate). */
export const productView = (product: Product): ProductView => {
  const base = {
    id: product.id,
    name: product.name,
    kind: product.kind,
    operator: operatorView(product.operator),
    fee: preciseView(product.fee),
  };
  return product._tag === 'FixedProduct'
    ? {
        ...base,
        type: 'FIXED',
        destination: moneyView(product.destination),
        wholesale: preciseView(product.wholesale),
      }
    : {
        ...base,
        type: 'RANGED',
        destination_min: moneyView(product.destinationMin),
        destination_max: moneyView(product.destinationMax),
        step: moneyView(money(product.stepMinor, product.destinationMin.currency)),
        rate: rateView(product.rate),
      };
};

const explanationOf = (quote: Quote): string => {
  const max = `${quote.request.maxAmount.currency.code} ${formatMoney(quote.request.maxAmount)}`;
  const matched = `${quote.matchedAmount.currency.code} ${formatMoney(quote.matchedAmount)}`;
  const desired = quote.request.desiredAmount;
  const desiredText = desired === undefined ? '' : `${desired.currency.code} ${formatMoney(desired)}`;
  switch (quote.rule) {
    case 'SMALLEST_AT_OR_ABOVE_DESIRED':
      return `${matched} is the smallest amount offered at or above the desired ${desiredText} and at most the maximum ${max}`;
    case 'LARGEST_AT_OR_BELOW_MAX_FALLBACK':
      return `no amount is offered from the desired ${desiredText} to the maximum ${max}: ${matched} is the largest amount offered at or below the maximum`;
    case 'LARGEST_AT_OR_BELOW_MAX':
      return `no desired amount was given: ${matched} is the largest amount offered at or below the maximum ${max}`;
  }
};

/** A quote: what is sent and received, what it costs and its parts, and the rule that chose it (in words too). */
export const quoteView = (quote: Quote): QuoteView => ({
  product: productView(quote.product),
  receive: moneyView(quote.receive),
  matched_amount: moneyView(quote.matchedAmount),
  cost: moneyView(quote.cost),
  cost_parts: {
    wholesale: preciseView(quote.wholesale),
    fee: preciseView(quote.fee),
    exact: preciseView(quote.costExact),
    rounding_up: preciseView(quote.roundingUp),
  },
  rule: quote.rule,
  explanation: explanationOf(quote),
  request: {
    max_amount: moneyView(quote.request.maxAmount),
    desired_amount: quote.request.desiredAmount === undefined ? null : moneyView(quote.request.desiredAmount),
  },
  rate: rateView(quote.rate),
});

const attemptView = (attempt: Attempt): AttemptView => ({
  number: attempt.number,
  provider: attempt.providerId ?? null,
  provider_external_id: attempt.providerExternalId,
  provider_transaction_id: attempt.providerTransactionId ?? null,
  state: attempt.state,
  status: attempt.providerStatus === undefined ? null : statusView(attempt.providerStatus),
  failure:
    attempt.failure === undefined
      ? null
      : {
          reason: attempt.failure.reason,
          retryable: attempt.failure.retryable,
          detail: attempt.failure.detail ?? null,
        },
  unknown_reason: attempt.unknownReason ?? null,
  started_at: attempt.startedAt.toISOString(),
  updated_at: attempt.updatedAt.toISOString(),
});

/** What the caller sent with the top-up that the top-up itself does not hold. */
export interface TopUpRequestExtras {
  readonly callbackUrl?: string | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The extras of a stored request's canonical JSON (its `metadata`) and callback URL. */
export const extrasOfStoredRequest = (stored: {
  readonly request: Readonly<Record<string, unknown>>;
  readonly callbackUrl?: string | undefined;
}): TopUpRequestExtras => {
  const metadata = stored.request['metadata'];
  return { callbackUrl: stored.callbackUrl, metadata: isObject(metadata) ? metadata : undefined };
};

/**
 * A top-up with its status, quote, attempts and failure, and, given the
 * request's extras, the caller's callback URL and metadata (null when it
 * sent none; absent without extras, as in lists).
 */
export const topUpView = (topUp: TopUp, extras?: TopUpRequestExtras): TopUpView => ({
  id: topUp.id,
  external_id: topUp.externalId,
  account_id: topUp.accountId,
  status: statusView(topUp.status),
  phone_number: topUp.destination.e164,
  quote: quoteView(topUp.quote),
  attempts: topUp.attempts.map(attemptView),
  failure:
    topUp.failureReason === undefined
      ? null
      : {
          reason: topUp.failureReason.reason,
          attempts_exhausted: topUp.failureReason.attemptsExhausted,
          detail: topUp.failureReason.detail ?? null,
        },
  next_attempt_at: topUp.nextAttemptAt?.toISOString() ?? null,
  awaiting_status_query: topUp.awaitingStatusQuery,
  created_at: topUp.createdAt.toISOString(),
  updated_at: topUp.updatedAt.toISOString(),
  ...(extras === undefined ? {} : { callback_url: extras.callbackUrl ?? null, metadata: extras.metadata ?? null }),
});
