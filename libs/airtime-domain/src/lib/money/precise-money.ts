// Exact amounts at a provider's own precision: DVS prices such as USD 2.105
// or a delivered PHP 99.995 have more decimals than the currency's exponent.
// They are kept exactly; rounding to the currency's minor unit happens only
// where an account is charged (upward) and is then visible in the quote.
import { Either } from 'effect';
import { checkCurrency, type Currency } from './currency';
import { divideCeil, formatScaled, readScaledDecimal } from './decimal';
import { forgedCurrency, type Money, money } from './money';
import { InvalidAmount } from './money.errors';

/** Largest number of decimals a provider amount may carry (DVS shows at most 4 to 6 in practice). */
export const MAX_PRECISE_SCALE = 12;

/** `units * 10^-scale` major units of `currency`; `scale` may exceed `currency.exponent`, never fall short of it. */
export interface PreciseMoney {
  readonly currency: Currency;
  readonly units: bigint;
  readonly scale: number;
}

const normalised = (currency: Currency, units: bigint, scale: number): PreciseMoney => {
  let u = units;
  let s = scale;
  while (s > currency.exponent && u % 10n === 0n) {
    u /= 10n;
    s -= 1;
  }
  if (s < currency.exponent) {
    u *= 10n ** BigInt(currency.exponent - s);
    s = currency.exponent;
  }
  return Object.freeze({ currency, units: u, scale: s });
};

/**
 * `units * 10^-scale` of `currency`, written with as few decimals as it needs
 * (never fewer than the currency's). `scale` must be an integer from 0 to
 * `MAX_PRECISE_SCALE` (see `isWellFormedPrecise` for values from outside).
 */
export const preciseMoney = (units: bigint, scale: number, currency: Currency): PreciseMoney =>
  normalised(currency, units, scale);

/** A value whose `scale` is an integer from its currency's exponent to `MAX_PRECISE_SCALE` and whose `units` is a bigint. */
export const isWellFormedPrecise = (value: PreciseMoney): boolean =>
  typeof value.units === 'bigint' &&
  Number.isInteger(value.scale) &&
  value.scale >= value.currency.exponent &&
  value.scale <= MAX_PRECISE_SCALE;

/** A `Money` at its currency's own precision. */
export const preciseOf = (value: Money): PreciseMoney =>
  Object.freeze({ currency: value.currency, units: value.amountMinor, scale: value.currency.exponent });

/**
 * Parses decimal text exactly ("2.105", "99.995", "1e2"). `InvalidAmount`
 * for text that is not a decimal or has more than `MAX_PRECISE_SCALE`
 * significant decimals, and for a currency that is not the ISO 4217 table's
 * (`checkCurrency`: e.g. KES with exponent 1.5).
 */
export const parsePreciseMoney = (text: unknown, currency: Currency): Either.Either<PreciseMoney, InvalidAmount> => {
  if (typeof text !== 'string') return Either.left(new InvalidAmount({ input: 'decimal text', reason: 'not a text' }));
  if (Either.isLeft(checkCurrency(currency))) return Either.left(forgedCurrency('decimal text'));
  const decimal = readScaledDecimal(text.trim());
  if (Either.isLeft(decimal)) return Either.left(new InvalidAmount({ input: 'decimal text', reason: decimal.left }));
  const value = normalised(currency, decimal.right.units, decimal.right.scale);
  return value.scale > MAX_PRECISE_SCALE
    ? Either.left(new InvalidAmount({ input: 'decimal text', reason: `more than ${MAX_PRECISE_SCALE} decimals` }))
    : Either.right(value);
};

/** Below 2^51 units every decimal of this precision has a double of its own (see `moneyFromJsonNumber`). */
const MAX_EXACT_JSON_UNITS = 2n ** 51n;

/**
 * Reads a JSON number exactly, at whatever precision it was written: the
 * shortest text that round-trips to the double. Refused when not finite or
 * beyond what a double carries exactly at that precision: PHP `1e13` is
 * fine, PHP `1e15` is not (near 1e15 doubles lie 0.125 apart, so PHP
 * 1000000000000000.01 would arrive as the same number).
 */
export const preciseMoneyFromJsonNumber = (
  value: number,
  currency: Currency,
): Either.Either<PreciseMoney, InvalidAmount> => {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return Either.left(new InvalidAmount({ input: 'JSON number', reason: 'not a finite number' }));
  if (Either.isLeft(checkCurrency(currency))) return Either.left(forgedCurrency('JSON number'));
  return Either.flatMap(parsePreciseMoney(String(value), currency), (parsed) =>
    parsed.units > MAX_EXACT_JSON_UNITS || parsed.units < -MAX_EXACT_JSON_UNITS
      ? Either.left(
          new InvalidAmount({ input: 'JSON number', reason: 'beyond the amounts a JSON number carries exactly' }),
        )
      : Either.right(parsed),
  );
};

/** The units of `value` at a `scale` at least its own (e.g. USD 1.5 at scale 4 is 15000n). */
export const unitsAtScale = (value: PreciseMoney, scale: number): bigint =>
  value.units * 10n ** BigInt(scale - value.scale);

/** -1, 0 or 1 within one currency; undefined across currencies. */
export const comparePrecise = (a: PreciseMoney, b: PreciseMoney): -1 | 0 | 1 | undefined => {
  if (a.currency.code !== b.currency.code) return undefined;
  const scale = Math.max(a.scale, b.scale);
  const left = unitsAtScale(a, scale);
  const right = unitsAtScale(b, scale);
  return left < right ? -1 : left > right ? 1 : 0;
};

export const addPrecise = (a: PreciseMoney, b: PreciseMoney): PreciseMoney | undefined => {
  if (a.currency.code !== b.currency.code) return undefined;
  const scale = Math.max(a.scale, b.scale);
  return normalised(a.currency, unitsAtScale(a, scale) + unitsAtScale(b, scale), scale);
};

/** a - b, exact; undefined across currencies. */
export const subtractPrecise = (a: PreciseMoney, b: PreciseMoney): PreciseMoney | undefined =>
  addPrecise(a, { ...b, units: -b.units });

/** Exact `Money` when no digit lies beyond the currency's exponent, else undefined. */
export const exactMoneyOf = (value: PreciseMoney): Money | undefined => {
  const divisor = 10n ** BigInt(value.scale - value.currency.exponent);
  return value.units % divisor === 0n ? money(value.units / divisor, value.currency) : undefined;
};

/** Rounded up to the currency's minor unit: what an account is charged, never less than the price. */
export const chargeOf = (value: PreciseMoney): Money =>
  money(divideCeil(value.units, 10n ** BigInt(value.scale - value.currency.exponent)), value.currency);

/** "2.105" with at least the currency's decimals. */
export const formatPrecise = (value: PreciseMoney): string => formatScaled(value.units, value.scale);

export const isPositivePrecise = (value: PreciseMoney): boolean => value.units > 0n;
