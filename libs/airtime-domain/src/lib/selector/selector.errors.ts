import { Data } from 'effect';

/** No product offers an amount at or below the request's maximum. */
export class NoMatchingProduct extends Data.TaggedError('NoMatchingProduct')<{
  readonly currency: string;
  readonly maxAmountMinor: bigint;
  readonly desiredAmountMinor?: bigint;
}> {
  readonly code = 'NO_MATCHING_PRODUCT' as const;
  override get message(): string {
    return `no product offers an amount of at most ${this.maxAmountMinor} (minor units of ${this.currency})`;
  }
}

/**
 * The request's currency is neither the destination's currency nor a source
 * currency the products accept: it is refused, never silently converted.
 */
export class CurrencyNotAccepted extends Data.TaggedError('CurrencyNotAccepted')<{
  readonly currency: string;
  readonly accepted: readonly string[];
}> {
  readonly code = 'CURRENCY_NOT_ACCEPTED' as const;
  override get message(): string {
    return `currency ${this.currency} is not accepted here; accepted: ${this.accepted.join(', ') || 'none'}`;
  }
}

/** A request that cannot be answered as written (amounts not positive, currencies differ). */
export class InvalidSelectionRequest extends Data.TaggedError('InvalidSelectionRequest')<{
  readonly reason: string;
}> {
  readonly code = 'INVALID_SELECTION_REQUEST' as const;
  override get message(): string {
    return `invalid selection request: ${this.reason}`;
  }
}

export type SelectionError = NoMatchingProduct | CurrencyNotAccepted | InvalidSelectionRequest;
