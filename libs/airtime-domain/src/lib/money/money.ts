import { Either } from 'effect';
import { type Currency, currencyOf, sameCurrency } from './currency';
import { formatScaled, parseScaledDecimal, rescaleExactly } from './decimal';
import { CurrencyMismatch, InvalidAmount, UnknownCurrency } from './money.errors';

/** An exact amount: integer minor units of an ISO 4217 currency. */
export interface Money {
  readonly amountMinor: bigint;
  readonly currency: Currency;
}

export const money = (amountMinor: bigint, currency: Currency): Money => Object.freeze({ amountMinor, currency });

export const zero = (currency: Currency): Money => money(0n, currency);

/**
 * Parses a decimal text in a currency's major units ("100", "100.5",
 * "100.5000"). Zeros past the currency's exponent are accepted; any other
 * digit there is refused rather than rounded.
 */
export const parseMoney = (text: string, currency: Currency): Either.Either<Money, InvalidAmount> => {
  const decimal = parseScaledDecimal(text.trim());
  if (!decimal) return Either.left(new InvalidAmount({ input: text, reason: 'not a decimal number' }));
  const minor = rescaleExactly(decimal, currency.exponent);
  if (minor === undefined) {
    return Either.left(
      new InvalidAmount({
        input: text,
        reason: `${currency.code} has ${currency.exponent} decimal places; the amount would be rounded`,
      }),
    );
  }
  return Either.right(money(minor, currency));
};

/**
 * Below 2^51 minor units, doubles lie less than half a minor unit apart, so
 * every amount with the currency's decimals has a double of its own and the
 * shortest round-trip text gives it back; above, two amounts can share one.
 */
const MAX_EXACT_JSON_MINOR = 2n ** 51n;

/** "KES 100.0000": a code, then an unsigned plain decimal. */
const PROVIDER_AMOUNT = /^([A-Z]{3})\s+(\d+(?:\.\d+)?)$/;

/** Parses a provider amount such as Africa's Talking's `"KES 100.0000"`. */
export const parseProviderAmount = (text: string): Either.Either<Money, InvalidAmount | UnknownCurrency> => {
  const match = PROVIDER_AMOUNT.exec(text.trim());
  if (!match) return Either.left(new InvalidAmount({ input: text, reason: 'expected "CCC 123.45"' }));
  const [, code = '', amount = ''] = match;
  return Either.flatMap(currencyOf(code), (currency) =>
    Either.mapLeft(
      parseMoney(amount, currency),
      () => new InvalidAmount({ input: text, reason: `not an exact ${code} amount` }),
    ),
  );
};

/**
 * Reads a JSON number (e.g. DVS `"amount": 10.5`) exactly. A JSON decimal is
 * read as the shortest decimal that round-trips to the same double, which
 * is the literal that was sent for any amount of the currency's decimals up
 * to 2^51 minor units; a larger one is refused, since it may not have been
 * received exactly (e.g. 90071992547409.93 USD).
 */
export const moneyFromJsonNumber = (value: number, currency: Currency): Either.Either<Money, InvalidAmount> => {
  if (!Number.isFinite(value))
    return Either.left(new InvalidAmount({ input: String(value), reason: 'not a finite number' }));
  const text = String(value);
  return Either.flatMap(parseMoney(text, currency), (parsed) =>
    parsed.amountMinor > MAX_EXACT_JSON_MINOR || parsed.amountMinor < -MAX_EXACT_JSON_MINOR
      ? Either.left(new InvalidAmount({ input: text, reason: 'beyond the amounts a JSON number carries exactly' }))
      : Either.right(parsed),
  );
};

/** The amount in major units with the currency's own number of decimals: "100.50". */
export const formatMoney = (value: Money): string => formatScaled(value.amountMinor, value.currency.exponent);

/**
 * The amount as a provider writes it: `"KES 100.0000"`. `fractionDigits`
 * may exceed the currency's exponent (zeros are appended), never fall short.
 */
export const formatProviderAmount = (value: Money, fractionDigits = value.currency.exponent): string => {
  const digits = Math.max(fractionDigits, value.currency.exponent);
  const units = value.amountMinor * 10n ** BigInt(digits - value.currency.exponent);
  return `${value.currency.code} ${formatScaled(units, digits)}`;
};

const ensureSame = (a: Money, b: Money): Either.Either<Currency, CurrencyMismatch> =>
  sameCurrency(a.currency, b.currency)
    ? Either.right(a.currency)
    : Either.left(new CurrencyMismatch({ expected: a.currency.code, actual: b.currency.code }));

export const addMoney = (a: Money, b: Money): Either.Either<Money, CurrencyMismatch> =>
  Either.map(ensureSame(a, b), (currency) => money(a.amountMinor + b.amountMinor, currency));

export const subtractMoney = (a: Money, b: Money): Either.Either<Money, CurrencyMismatch> =>
  Either.map(ensureSame(a, b), (currency) => money(a.amountMinor - b.amountMinor, currency));

/** -1, 0 or 1; a comparison across currencies is refused. */
export const compareMoney = (a: Money, b: Money): Either.Either<-1 | 0 | 1, CurrencyMismatch> =>
  Either.map(ensureSame(a, b), () => (a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0));

export const isPositive = (value: Money): boolean => value.amountMinor > 0n;

export const moneyEquals = (a: Money, b: Money): boolean =>
  sameCurrency(a.currency, b.currency) && a.amountMinor === b.amountMinor;
