import { data as iso4217 } from 'currency-codes';
import { Either } from 'effect';
import { UnknownCurrency } from './money.errors';

/** An ISO 4217 currency and its exponent (number of minor-unit digits). */
export interface Currency {
  readonly code: string;
  readonly exponent: number;
}

const byCode = new Map<string, Currency>(
  iso4217
    .filter((record) => Number.isInteger(record.digits))
    .map((record) => [record.code, Object.freeze({ code: record.code, exponent: record.digits })]),
);

/** Looks a currency up by its ISO 4217 alphabetic code (case-sensitive, e.g. "KES"). */
export const currencyOf = (code: string): Either.Either<Currency, UnknownCurrency> => {
  const found = byCode.get(code);
  return found ? Either.right(found) : Either.left(new UnknownCurrency({ currencyCode: code }));
};

/** Every currency the platform knows, in code order. */
export const knownCurrencies = (): readonly Currency[] =>
  [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

export const sameCurrency = (a: Currency, b: Currency): boolean => a.code === b.code;
