import { Either } from 'effect';
import type { Currency } from './currency';
import { divideCeil, formatScaled, gcd, parseScaledDecimal } from './decimal';
import { InvalidExchangeRate } from './money.errors';
import { type Money, money } from './money';
import type { PreciseMoney } from './precise-money';

/**
 * How many major units of `destination` one major unit of `source` buys,
 * kept as an exact reduced fraction.
 */
export interface ExchangeRate {
  readonly source: Currency;
  readonly destination: Currency;
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const reduced = (source: Currency, destination: Currency, numerator: bigint, denominator: bigint): ExchangeRate => {
  const divisor = gcd(numerator, denominator);
  return Object.freeze({ source, destination, numerator: numerator / divisor, denominator: denominator / divisor });
};

/** Parses a positive decimal rate such as DVS's `rates.wholesale` ("58.1234"). */
export const parseExchangeRate = (
  text: string,
  source: Currency,
  destination: Currency,
): Either.Either<ExchangeRate, InvalidExchangeRate> => {
  const decimal = typeof text === 'string' ? parseScaledDecimal(text.trim()) : undefined;
  if (!decimal || decimal.units <= 0n) {
    return Either.left(new InvalidExchangeRate({ input: 'rate text', reason: 'expected a positive decimal' }));
  }
  return Either.right(reduced(source, destination, decimal.units, 10n ** BigInt(decimal.scale)));
};

/** An amount as `units * 10^-scale` major units. */
const scaledOf = (value: Money | PreciseMoney): { readonly units: bigint; readonly scale: number } =>
  'units' in value ? value : { units: value.amountMinor, scale: value.currency.exponent };

/**
 * The rate implied by paying `paid` (source) for `received` (destination),
 * both exact (a DVS price such as USD 1.857 for PHP 100.00); both must be
 * positive.
 */
export const impliedRate = (
  paid: Money | PreciseMoney,
  received: Money | PreciseMoney,
): Either.Either<ExchangeRate, InvalidExchangeRate> => {
  const source = scaledOf(paid);
  const destination = scaledOf(received);
  if (source.units <= 0n || destination.units <= 0n) {
    return Either.left(new InvalidExchangeRate({ input: 'price and amount', reason: 'amounts must be positive' }));
  }
  const numerator = destination.units * 10n ** BigInt(source.scale);
  const denominator = source.units * 10n ** BigInt(destination.scale);
  return Either.right(reduced(paid.currency, received.currency, numerator, denominator));
};

/**
 * What a destination amount costs in the source currency, rounded up to the
 * source's minor unit so that a conversion never under-charges.
 */
export const sourceCostOf = (rate: ExchangeRate, destinationMinor: bigint): Money => {
  const numerator = destinationMinor * 10n ** BigInt(rate.source.exponent) * rate.denominator;
  const denominator = rate.numerator * 10n ** BigInt(rate.destination.exponent);
  return money(divideCeil(numerator, denominator), rate.source);
};

/** The rate as a decimal text, truncated to `fractionDigits` (for display and storage next to the fraction). */
export const formatExchangeRate = (rate: ExchangeRate, fractionDigits = 6): string =>
  formatScaled((rate.numerator * 10n ** BigInt(fractionDigits)) / rate.denominator, fractionDigits);
