import { Either } from 'effect';
import { checkCurrency, type Currency, currencyOf, sameCurrency } from './currency';
import { formatScaled, MAX_SIGNIFICANT_DIGITS, readScaledDecimal, rescaleExactly } from './decimal';
import { CurrencyMismatch, InvalidAmount, UnknownCurrency } from './money.errors';

/** An exact amount: integer minor units of an ISO 4217 currency. */
export interface Money {
  readonly amountMinor: bigint;
  readonly currency: Currency;
}

export const money = (amountMinor: bigint, currency: Currency): Money => Object.freeze({ amountMinor, currency });

export const zero = (currency: Currency): Money => money(0n, currency);

/**
 * Whether a value (from an untyped caller, maybe) is money of the table:
 * an object whose minor units are a bigint, in a currency with ISO 4217's
 * own exponent (`checkCurrency`). Internal: not exported by the package.
 */
export const isTableMoney = (value: unknown): value is Money =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Money).amountMinor === 'bigint' &&
  Either.isRight(checkCurrency((value as Money).currency));

/**
 * The refusal of a currency that is not the ISO 4217 table's (an unknown
 * code, or a known one with another exponent: `checkCurrency`).
 */
export const forgedCurrency = (input: string): InvalidAmount =>
  new InvalidAmount({ input, reason: 'the currency is not an ISO 4217 currency with its own exponent' });

/**
 * Parses a decimal text in a currency's major units ("100", "100.5",
 * "100.5000"). Zeros past the currency's exponent are accepted; any other
 * digit there is refused rather than rounded. `InvalidAmount` for anything
 * else (a non-text too, and a currency that is not the table's, e.g. KES
 * with exponent 1.5); its reason never quotes the input.
 */
export const parseMoney = (text: unknown, currency: Currency): Either.Either<Money, InvalidAmount> => {
  if (typeof text !== 'string') return Either.left(new InvalidAmount({ input: 'decimal text', reason: 'not a text' }));
  if (Either.isLeft(checkCurrency(currency))) return Either.left(forgedCurrency('decimal text'));
  const decimal = readScaledDecimal(text.trim());
  if (Either.isLeft(decimal)) return Either.left(new InvalidAmount({ input: 'decimal text', reason: decimal.left }));
  const minor = rescaleExactly(decimal.right, currency.exponent);
  if (minor === undefined) {
    return Either.left(
      new InvalidAmount({
        input: 'decimal text',
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

/**
 * A provider amount: a currency code, white space, then an unsigned plain
 * decimal ("KES 100.0000"). It is never negative: a provider writes what is
 * sent, delivered or discounted, and the sign never travels in the text.
 */
const PROVIDER_AMOUNT = /^([A-Z]{3})\s+(\d+(?:\.\d+)?)$/;

/**
 * Parses a provider amount such as Africa's Talking's `"KES 100.0000"`
 * exactly (zeros past the currency's exponent are accepted, other digits
 * refused, never rounded). `InvalidAmount` for anything else, a non-text
 * included (`null`, `100`); `UnknownCurrency` for a code that is not money
 * (see `currencyOf`). Reasons name the kind of problem, never the text.
 */
export const parseProviderAmount = (text: unknown): Either.Either<Money, InvalidAmount | UnknownCurrency> => {
  const refuse = (reason: string) => Either.left(new InvalidAmount({ input: 'provider amount', reason }));
  if (typeof text !== 'string') return refuse('not a text');
  const match = PROVIDER_AMOUNT.exec(text.trim());
  if (!match) return refuse('expected a currency code, a space and an unsigned decimal ("CCC 123.45")');
  const [, code = '', amount = ''] = match;
  return Either.flatMap(currencyOf(code), (currency) =>
    Either.mapLeft(
      parseMoney(amount, currency),
      (error) => new InvalidAmount({ input: 'provider amount', reason: error.reason }),
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
  if (typeof value !== 'number' || !Number.isFinite(value))
    return Either.left(new InvalidAmount({ input: 'JSON number', reason: 'not a finite number' }));
  if (Either.isLeft(checkCurrency(currency))) return Either.left(forgedCurrency('JSON number'));
  return Either.flatMap(
    Either.mapLeft(
      parseMoney(String(value), currency),
      (error) => new InvalidAmount({ input: 'JSON number', reason: error.reason }),
    ),
    (parsed) =>
      parsed.amountMinor > MAX_EXACT_JSON_MINOR || parsed.amountMinor < -MAX_EXACT_JSON_MINOR
        ? Either.left(
            new InvalidAmount({ input: 'JSON number', reason: 'beyond the amounts a JSON number carries exactly' }),
          )
        : Either.right(parsed),
  );
};

/** The amount in major units with the currency's own number of decimals: "100.50". */
export const formatMoney = (value: Money): string => formatScaled(value.amountMinor, value.currency.exponent);

/** Most fraction digits a provider amount is written with. */
export const MAX_PROVIDER_FRACTION_DIGITS = 12;

/**
 * The amount as a provider writes it: `"KES 100.0000"`, readable again by
 * `parseProviderAmount` (the two round-trip for every amount this accepts).
 * `fractionDigits` (an integer from 0 to MAX_PROVIDER_FRACTION_DIGITS) may
 * exceed the currency's exponent (zeros are appended), never fall short.
 * `InvalidAmount` for other `fractionDigits` (2.5, NaN, Infinity, -1), for a
 * negative amount (a provider amount is unsigned) and for one of more than
 * MAX_SIGNIFICANT_DIGITS digits; `UnknownCurrency` when the currency is not
 * the table's (an unknown code or another exponent).
 */
export const formatProviderAmount = (
  value: Money,
  fractionDigits: number = value.currency.exponent,
): Either.Either<string, InvalidAmount | UnknownCurrency> => {
  const refuse = (reason: string) => Either.left(new InvalidAmount({ input: 'amount to format', reason }));
  if (!Number.isInteger(fractionDigits) || fractionDigits < 0 || fractionDigits > MAX_PROVIDER_FRACTION_DIGITS)
    return refuse(`fraction digits must be an integer from 0 to ${MAX_PROVIDER_FRACTION_DIGITS}`);
  if (typeof value.amountMinor !== 'bigint') return refuse('the amount is not a whole number of minor units');
  if (value.amountMinor < 0n) return refuse('a provider amount is never negative');
  if (value.amountMinor.toString().length > MAX_SIGNIFICANT_DIGITS)
    return refuse(`more than ${MAX_SIGNIFICANT_DIGITS} digits`);
  return Either.flatMap(checkCurrency(value.currency), (known) => {
    const digits = Math.max(fractionDigits, known.exponent);
    const units = value.amountMinor * 10n ** BigInt(digits - known.exponent);
    return Either.right(`${known.code} ${formatScaled(units, digits)}`);
  });
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
