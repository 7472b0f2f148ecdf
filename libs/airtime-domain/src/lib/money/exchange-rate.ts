import { Either } from 'effect';
import type { Currency } from './currency';
import { divideCeil, formatScaled, gcd, parseScaledDecimal } from './decimal';
import { InvalidExchangeRate } from './money.errors';
import { type Money, money } from './money';

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
  const decimal = parseScaledDecimal(text.trim());
  if (!decimal || decimal.units <= 0n) {
    return Either.left(new InvalidExchangeRate({ input: text, reason: 'expected a positive decimal' }));
  }
  return Either.right(reduced(source, destination, decimal.units, 10n ** BigInt(decimal.scale)));
};

/** The rate implied by paying `paid` (source) for `received` (destination); both must be positive. */
export const impliedRate = (paid: Money, received: Money): Either.Either<ExchangeRate, InvalidExchangeRate> => {
  if (paid.amountMinor <= 0n || received.amountMinor <= 0n) {
    return Either.left(
      new InvalidExchangeRate({
        input: `${received.amountMinor}/${paid.amountMinor}`,
        reason: 'amounts must be positive',
      }),
    );
  }
  const numerator = received.amountMinor * 10n ** BigInt(paid.currency.exponent);
  const denominator = paid.amountMinor * 10n ** BigInt(received.currency.exponent);
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
