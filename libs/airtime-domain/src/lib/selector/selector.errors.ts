import { taggedError } from '../errors/tagged-error';

/** No product offers an amount at or below the request's maximum. */
export class NoMatchingProduct extends taggedError('NoMatchingProduct', {
  code: 'NO_MATCHING_PRODUCT',
  retryable: false,
})<{
  readonly currency: string;
  readonly maxAmountMinor: bigint;
  readonly desiredAmountMinor?: bigint | undefined;
}>((e) => `no product offers an amount of at most ${e.maxAmountMinor} (minor units of ${e.currency})`) {}

/**
 * The request's currency is neither the destination's currency nor a source
 * currency the products accept: it is refused, never silently converted.
 */
export class CurrencyNotAccepted extends taggedError('CurrencyNotAccepted', {
  code: 'CURRENCY_NOT_ACCEPTED',
  retryable: false,
})<{
  readonly currency: string;
  readonly accepted: readonly string[];
}>((e) => `currency ${e.currency} is not accepted here; accepted: ${e.accepted.join(', ') || 'none'}`) {}

/** A request that cannot be answered as written (amounts not positive, currencies differ). */
export class InvalidSelectionRequest extends taggedError('InvalidSelectionRequest', {
  code: 'INVALID_SELECTION_REQUEST',
  retryable: false,
})<{
  readonly reason: string;
}>((e) => `invalid selection request: ${e.reason}`) {}

export type SelectionError = NoMatchingProduct | CurrencyNotAccepted | InvalidSelectionRequest;
