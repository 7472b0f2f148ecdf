/**
 * Exact decimal text <-> scaled bigint. The only place where decimal text is
 * read: no floating point is ever involved.
 */

/** A decimal as `digits * 10^-scale`, e.g. "100.50" -> { units: 10050n, scale: 2 }. */
export interface ScaledDecimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/;
const MAX_DIGITS = 60;

/** Parses a plain or exponent decimal ("10", "-0.25", "1.5e3"); undefined when it is not one or is absurdly large. */
export const parseScaledDecimal = (text: string): ScaledDecimal | undefined => {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole.length + fraction.length > MAX_DIGITS) return undefined;
  const exponent = exponentText === undefined ? 0 : Number.parseInt(exponentText, 10);
  // no value with more than MAX_DIGITS integer digits (e.g. "1e999")
  if (whole.replace(/^0+/, '').length + exponent > MAX_DIGITS) return undefined;
  let units = BigInt(whole + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: sign === '-' ? -units : units, scale };
};

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
