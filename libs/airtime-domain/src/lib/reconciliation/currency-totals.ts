// Exact totals per currency: amounts of several currencies summed each in its
// own, never converted.
import type { Currency } from '../money/currency';
import { addPrecise, type PreciseMoney, preciseMoney } from '../money/precise-money';

/** Zero of `currency` at its own precision. */
export const preciseZero = (currency: Currency): PreciseMoney => preciseMoney(0n, currency.exponent, currency);

/** Strict code-unit order, the same on every machine (no locale). */
export const compareCodes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The sum of `amounts` per currency, exact (PreciseMoney keeps every
 * decimal), one entry per currency that occurs, sorted by currency code; []
 * for no amounts. Amounts of one code are assumed to share the currency's
 * exponent (the ISO table's).
 */
export const totalsPerCurrency = (amounts: readonly PreciseMoney[]): readonly PreciseMoney[] => {
  const totals = new Map<string, PreciseMoney>();
  for (const amount of amounts) {
    const sofar = totals.get(amount.currency.code);
    totals.set(amount.currency.code, sofar === undefined ? amount : (addPrecise(sofar, amount) ?? sofar));
  }
  return [...totals.values()].sort((a, b) => compareCodes(a.currency.code, b.currency.code));
};

/** The total of one currency among `totals` (as `totalsPerCurrency` gives them), zero when absent. */
export const totalIn = (totals: readonly PreciseMoney[], currency: Currency): PreciseMoney =>
  totals.find((total) => total.currency.code === currency.code) ?? preciseZero(currency);
