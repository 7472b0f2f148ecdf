// Balances: per currency, what the provider reports it holds and has captured
// for us against what our books say, compared exactly.
import type { Currency } from '../money/currency';
import { addPrecise, comparePrecise, type PreciseMoney, subtractPrecise } from '../money/precise-money';
import { compareCodes, preciseZero } from './currency-totals';

/**
 * Our books, one currency: `holding` is the sum charged of our attempts the
 * provider holds (state Pending / Unknown / InFlight with a provider id),
 * `captured` the sum charged of our attempts COMPLETED in the window.
 */
export interface OurExposure {
  readonly currency: string;
  readonly holding: PreciseMoney;
  readonly captured: PreciseMoney;
}

/**
 * The provider's side, one currency: `holding` from its balances (undefined
 * when it gave none that could be read), `captured` the sum of `charged` of
 * its COMPLETED transactions in the window.
 */
export interface TheirExposure {
  readonly currency: string;
  readonly holding: PreciseMoney | undefined;
  readonly captured: PreciseMoney;
}

export type BalanceField = 'captured' | 'holding';

export interface BalanceComparison {
  readonly currency: string;
  readonly field: BalanceField;
  readonly ours: PreciseMoney;
  readonly theirs: PreciseMoney | undefined;
  /** theirs - ours, exact; undefined when theirs is unknown (or the two are not of one currency). */
  readonly difference: PreciseMoney | undefined;
  readonly matches: boolean;
}

const BALANCE_FIELDS: readonly BalanceField[] = ['captured', 'holding'];

interface Side {
  readonly currency: Currency;
  readonly holding: PreciseMoney | undefined;
  readonly captured: PreciseMoney;
}

const sum = (a: PreciseMoney | undefined, b: PreciseMoney | undefined): PreciseMoney | undefined =>
  a === undefined || b === undefined ? undefined : addPrecise(a, b);

/** One entry per currency code; several entries of one code are added up (an unknown holding stays unknown). */
const byCurrency = (exposures: readonly (OurExposure | TheirExposure)[]): Map<string, Side> => {
  const sides = new Map<string, Side>();
  for (const exposure of exposures) {
    const sofar = sides.get(exposure.currency);
    sides.set(
      exposure.currency,
      sofar === undefined
        ? { currency: exposure.captured.currency, holding: exposure.holding, captured: exposure.captured }
        : {
            currency: sofar.currency,
            holding: sum(sofar.holding, exposure.holding),
            captured: addPrecise(sofar.captured, exposure.captured) ?? sofar.captured,
          },
    );
  }
  return sides;
};

const compared = (
  currency: string,
  field: BalanceField,
  ours: PreciseMoney,
  theirs: PreciseMoney | undefined,
): BalanceComparison => {
  const difference = theirs === undefined ? undefined : subtractPrecise(theirs, ours);
  return {
    currency,
    field,
    ours,
    theirs,
    difference,
    matches: difference !== undefined && comparePrecise(difference, preciseZero(difference.currency)) === 0,
  };
};

/**
 * Compares holding and captured per currency: one comparison per currency
 * and field, sorted by currency code then field (`captured` before
 * `holding`). A currency on one side only is compared against zero on the
 * other. `difference` is theirs − ours; `matches` when it is exactly zero.
 * A provider holding that is unknown (undefined) never matches: it is
 * reported with `theirs` and `difference` undefined.
 */
export const compareBalances = (
  ours: readonly OurExposure[],
  theirs: readonly TheirExposure[],
): readonly BalanceComparison[] => {
  const mine = byCurrency(ours);
  const yours = byCurrency(theirs);
  const codes = [...new Set([...mine.keys(), ...yours.keys()])].sort(compareCodes);
  return codes.flatMap((code) => {
    const currency = (mine.get(code) ?? yours.get(code))?.currency;
    if (currency === undefined) return [];
    const zero = preciseZero(currency);
    const our = mine.get(code) ?? { currency, holding: zero, captured: zero };
    const their = yours.get(code) ?? { currency, holding: zero, captured: zero };
    return BALANCE_FIELDS.map((field) => compared(code, field, our[field] ?? zero, their[field]));
  });
};
