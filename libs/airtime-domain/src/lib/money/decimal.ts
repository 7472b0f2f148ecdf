// Exact decimal text <-> scaled bigint. The only place where decimal text is
// read: no floating point is ever involved.
import { Either } from 'effect';

/** A decimal as `digits * 10^-scale`, e.g. "100.50" -> { units: 10050n, scale: 2 }. */
export interface ScaledDecimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/;
/** Most significant digits a decimal text may carry (leading and trailing zeros do not count). */
export const MAX_SIGNIFICANT_DIGITS = 60;

/** Why a text is not read as a decimal. */
export type DecimalProblem = 'not a decimal number' | 'more than 60 significant digits' | 'more than 60 integer digits';

/**
 * Reads a plain or exponent decimal ("10", "-0.25", "1.5e3", "1.000"):
 * zeros before the integer digits and after the fraction digits are not
 * significant, so "1." followed by 60 zeros is exactly 1, and zero is zero
 * whatever its exponent ("0e999" is 0). Refused when it is not a decimal, or
 * when it has more than MAX_SIGNIFICANT_DIGITS significant digits or integer
 * digits (e.g. "1e999", "0.001e999"), each with its own reason.
 */
export const readScaledDecimal = (text: string): Either.Either<ScaledDecimal, DecimalProblem> => {
  const match = DECIMAL.exec(text);
  if (!match) return Either.left('not a decimal number');
  const [, sign, wholeText = '', fractionText = '', exponentText] = match;
  const whole = wholeText.replace(/^0+/, '');
  const fraction = fractionText.replace(/0+$/, '');
  if (whole.length + fraction.length > MAX_SIGNIFICANT_DIGITS) return Either.left('more than 60 significant digits');
  const significant = `${whole}${fraction}`.replace(/^0+/, '');
  // zero, whatever its exponent ("0e999", "-0.000e-5")
  if (significant.length === 0) return Either.right({ units: 0n, scale: 0 });
  const exponent = exponentText === undefined ? 0 : Number.parseInt(exponentText, 10);
  // no value with more than MAX_SIGNIFICANT_DIGITS integer digits (e.g. "1e999", "0.001e999")
  if (significant.length + exponent - fraction.length > MAX_SIGNIFICANT_DIGITS)
    return Either.left('more than 60 integer digits');
  let units = BigInt(`0${whole}${fraction}`);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return Either.right({ units: sign === '-' ? -units : units, scale });
};

/** `readScaledDecimal`, undefined when refused. */
export const parseScaledDecimal = (text: string): ScaledDecimal | undefined =>
  Either.getOrUndefined(readScaledDecimal(text));

/**
 * Rescales to `targetScale` digits; undefined when digits beyond it are not
 * all zero (the value cannot be represented exactly).
 */
export const rescaleExactly = (value: ScaledDecimal, targetScale: number): bigint | undefined => {
  if (value.scale <= targetScale) return value.units * 10n ** BigInt(targetScale - value.scale);
  const divisor = 10n ** BigInt(value.scale - targetScale);
  return value.units % divisor === 0n ? value.units / divisor : undefined;
};

/** Formats `units * 10^-scale` with exactly `scale` fraction digits. */
export const formatScaled = (units: bigint, scale: number): string => {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
};

/** Integer division rounding towards positive infinity (for amounts we must not under-charge). */
export const divideCeil = (numerator: bigint, denominator: bigint): bigint => {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  return remainder !== 0n && remainder > 0n === denominator > 0n ? quotient + 1n : quotient;
};

export const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};
