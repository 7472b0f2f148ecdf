import { Data } from 'effect';

/** A text or number that is not an exact amount of the currency it names. */
export class InvalidAmount extends Data.TaggedError('InvalidAmount')<{
  /** The kind of what was read ("decimal text", "provider amount", "JSON number"), never its value. */
  readonly input: string;
  readonly reason: string;
}> {
  readonly code = 'INVALID_AMOUNT' as const;
  override get message(): string {
    return `invalid amount (${this.input}): ${this.reason}`;
  }
}

/** Not an ISO 4217 currency with a defined number of minor units. */
export class UnknownCurrency extends Data.TaggedError('UnknownCurrency')<{
  /** The code when it is three capital letters, else "(not a code)": never other outside text. */
  readonly currencyCode: string;
}> {
  readonly code = 'UNKNOWN_CURRENCY' as const;
  override get message(): string {
    return `unknown currency "${this.currencyCode}"`;
  }
}

/** Arithmetic or comparison across two currencies. */
export class CurrencyMismatch extends Data.TaggedError('CurrencyMismatch')<{
  readonly expected: string;
  readonly actual: string;
}> {
  readonly code = 'CURRENCY_MISMATCH' as const;
  override get message(): string {
    return `currency mismatch: expected ${this.expected}, got ${this.actual}`;
  }
}

/** An exchange rate that is not a positive exact decimal. */
export class InvalidExchangeRate extends Data.TaggedError('InvalidExchangeRate')<{
  /** The kind of what was read ("rate text", "price and amount"), never its value. */
  readonly input: string;
  readonly reason: string;
}> {
  readonly code = 'INVALID_EXCHANGE_RATE' as const;
  override get message(): string {
    return `invalid exchange rate (${this.input}): ${this.reason}`;
  }
}
