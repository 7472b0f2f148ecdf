import type { Currency } from '../money/currency';
import type { ExchangeRate } from '../money/exchange-rate';
import type { Money } from '../money/money';
import type { PreciseMoney } from '../money/precise-money';
import type { Product } from '../product/product';

/** Which rule of the denomination selector chose the amount. */
export type SelectionRule =
  /** desiredAmount given: the smallest candidate >= desired and <= max. */
  | 'SMALLEST_AT_OR_ABOVE_DESIRED'
  /** desiredAmount given but nothing in [desired, max]: the largest candidate <= max. */
  | 'LARGEST_AT_OR_BELOW_MAX_FALLBACK'
  /** no desiredAmount: the largest candidate <= max. */
  | 'LARGEST_AT_OR_BELOW_MAX';

export interface SelectionRequest {
  readonly maxAmount: Money;
  readonly desiredAmount?: Money | undefined;
  /**
   * The currency the account is charged in. When given, only products priced
   * in it are candidates (a hold is never silently converted), and costs
   * compare within one currency. When absent, ties between costs in
   * different currencies fall to the currency code, then the product id.
   */
  readonly chargeCurrency?: Currency | undefined;
}

/**
 * The selector's answer: what will be sent, what it costs and why. Stored on
 * the top-up and offered to callers as a dry run.
 *
 * Prices are kept exactly at the provider's precision; only `cost`, the
 * amount the account is charged, is rounded, and always up:
 * `cost = costExact + roundingUp`, with 0 <= roundingUp < one minor unit.
 * E.g. wholesale USD 1.857 + fee 0.0125 = costExact 1.8695, cost 1.87,
 * roundingUp 0.0005.
 */
export interface Quote {
  readonly product: Product;
  /** What the beneficiary receives, in the destination currency. */
  readonly receive: Money;
  /** The matched amount in the request's currency (equals `receive` or `cost`). */
  readonly matchedAmount: Money;
  /**
   * The wholesale price of `receive`, exact: a fixed product's as the
   * provider gives it; a ranged product's converted through `rate` and
   * rounded up to the source minor unit.
   */
  readonly wholesale: PreciseMoney;
  /** The product's fee, exact. */
  readonly fee: PreciseMoney;
  /** wholesale + fee, exact: the price before any rounding. */
  readonly costExact: PreciseMoney;
  /** `costExact` rounded up to the source minor unit: the amount held and then captured on the account. */
  readonly cost: Money;
  /** `cost - costExact`: what rounding up added, at least zero and below one minor unit. */
  readonly roundingUp: PreciseMoney;
  readonly rule: SelectionRule;
  readonly request: SelectionRequest;
  /** Source -> destination rate of this quote (receive / wholesale). */
  readonly rate: ExchangeRate;
}
