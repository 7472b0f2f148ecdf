// Exact JSON forms of money values: every bigint as a decimal string (JSON
// numbers are doubles), every currency by its ISO 4217 code, re-resolved on
// read so that its exponent comes from the table, never from storage.
import {
  type Currency,
  currencyOf,
  type ExchangeRate,
  formatPrecise,
  isWellFormedPrecise,
  type Money,
  parsePreciseMoney,
  type PreciseMoney,
  ruleViolation,
} from '@airtime/domain';
import { Either, ParseResult, Schema } from 'effect';
import { fromDomain } from './codec-support';

const INTEGER_TEXT = /^-?(0|[1-9]\d*)$/;

/** A bigint as a plain decimal string: "-120", never "1e3", " 12" or "0x10". */
export const BigIntFromDecimal = Schema.transformOrFail(Schema.String, Schema.BigIntFromSelf, {
  strict: true,
  decode: (text, _, ast) =>
    INTEGER_TEXT.test(text)
      ? ParseResult.succeed(BigInt(text))
      : ParseResult.fail(ruleViolation(ast, text, 'is not an integer written as a plain decimal string')),
  encode: (value) => ParseResult.succeed(value.toString()),
}).annotations({ identifier: 'BigIntFromDecimal' });

export const PositiveBigIntFromDecimal = BigIntFromDecimal.pipe(
  Schema.filter((value) => value > 0n || 'expected a positive integer'),
);

const isCurrency = (input: unknown): input is Currency =>
  typeof input === 'object' &&
  input !== null &&
  typeof (input as Currency).code === 'string' &&
  typeof (input as Currency).exponent === 'number';

/** A currency stored as its code; the code must be known, and on write the exponent must be the table's. */
export const CurrencyFromCode = Schema.transformOrFail(
  Schema.String,
  Schema.declare(isCurrency, { identifier: 'Currency' }),
  {
    strict: true,
    decode: (code, _, ast) => fromDomain(currencyOf(code), ast, code, () => 'is not a known ISO 4217 currency code'),
    encode: (currency, _, ast) =>
      Either.flatMap(
        fromDomain(currencyOf(currency.code), ast, currency, () => 'is not a known ISO 4217 currency code'),
        (known) =>
          known.exponent === currency.exponent
            ? Either.right(currency.code)
            : Either.left(ruleViolation(ast, currency, 'has another exponent than ISO 4217 gives the currency')),
      ),
  },
).annotations({ identifier: 'CurrencyFromCode' });

/** `{ "amountMinor": "10050", "currency": "PHP" }`. */
export const MoneyFromJson: Schema.Schema<Money, { readonly amountMinor: string; readonly currency: string }> =
  Schema.Struct({
    amountMinor: BigIntFromDecimal,
    currency: CurrencyFromCode,
  });

export type MoneyJson = Schema.Schema.Encoded<typeof MoneyFromJson>;

const PLAIN_DECIMAL_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;

const isPreciseMoney = (input: unknown): input is PreciseMoney =>
  typeof input === 'object' &&
  input !== null &&
  typeof (input as PreciseMoney).units === 'bigint' &&
  typeof (input as PreciseMoney).scale === 'number' &&
  isCurrency((input as PreciseMoney).currency);

const PreciseMoneyFields = Schema.Struct({ amount: Schema.String, currency: CurrencyFromCode });

/**
 * An exact amount at a provider's precision as a plain decimal string:
 * `{ "amount": "1.857", "currency": "USD" }` (a DVS price; never "1.857e0").
 */
export const PreciseMoneyFromJson: Schema.Schema<PreciseMoney, { readonly amount: string; readonly currency: string }> =
  Schema.transformOrFail(PreciseMoneyFields, Schema.declare(isPreciseMoney, { identifier: 'PreciseMoney' }), {
    strict: true,
    decode: ({ amount, currency }, _, ast) =>
      PLAIN_DECIMAL_TEXT.test(amount)
        ? fromDomain(parsePreciseMoney(amount, currency), ast, amount, (error) => error.reason)
        : Either.left(ruleViolation(ast, amount, 'is not a plain decimal string')),
    encode: (value, _, ast) =>
      isWellFormedPrecise(value)
        ? Either.right({ amount: formatPrecise(value), currency: value.currency })
        : Either.left(ruleViolation(ast, value, 'has an invalid scale')),
  });

export type PreciseMoneyJson = Schema.Schema.Encoded<typeof PreciseMoneyFromJson>;

/** A rate as its exact fraction: `{ "source": "USD", "destination": "PHP", "numerator": "581234", "denominator": "10000" }`. */
export const ExchangeRateFromJson: Schema.Schema<
  ExchangeRate,
  { readonly source: string; readonly destination: string; readonly numerator: string; readonly denominator: string }
> = Schema.Struct({
  source: CurrencyFromCode,
  destination: CurrencyFromCode,
  numerator: PositiveBigIntFromDecimal,
  denominator: PositiveBigIntFromDecimal,
});
