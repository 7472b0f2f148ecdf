import { taggedError } from '../errors/tagged-error';

/** A text or number that is not an exact amount of the currency it names. */
export class InvalidAmount extends taggedError('InvalidAmount', { code: 'INVALID_AMOUNT', retryable: false })<{
  /** The kind of what was read ("decimal text", "provider amount", "JSON number"), never its value. */
  readonly input: string;
  readonly reason: string;
}>((e) => `invalid amount (${e.input}): ${e.reason}`) {}

/**
 * Not an ISO 4217 currency with a defined number of minor units. The message
 * never quotes the code (it ends up in dead-letter reasons and logs); the
 * caller that wants it reads `currencyCode`.
 */
export class UnknownCurrency extends taggedError('UnknownCurrency', { code: 'UNKNOWN_CURRENCY', retryable: false })<{
  /** The code when it is three capital letters, else "(not a code)": never other outside text. */
  readonly currencyCode: string;
}>(() => 'unknown currency: not an ISO 4217 code with a known number of minor units') {}

/** Arithmetic or comparison across two currencies. */
export class CurrencyMismatch extends taggedError('CurrencyMismatch', { code: 'CURRENCY_MISMATCH', retryable: false })<{
  readonly expected: string;
  readonly actual: string;
}>((e) => `currency mismatch: expected ${e.expected}, got ${e.actual}`) {}

/** An exchange rate that is not a positive exact decimal. */
export class InvalidExchangeRate extends taggedError('InvalidExchangeRate', {
  code: 'INVALID_EXCHANGE_RATE',
  retryable: false,
})<{
  /** The kind of what was read ("rate text", "price and amount"), never its value. */
  readonly input: string;
  readonly reason: string;
}>((e) => `invalid exchange rate (${e.input}): ${e.reason}`) {}
