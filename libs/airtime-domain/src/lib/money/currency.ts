import { data as iso4217 } from 'currency-codes';
import { Either } from 'effect';
import { UnknownCurrency } from './money.errors';

/** An ISO 4217 currency and its exponent (number of minor-unit digits). */
export interface Currency {
  readonly code: string;
  readonly exponent: number;
}

/**
 * Codes ISO 4217 lists with no minor unit ("N.A." in its list one): precious
 * metals, bond-market units, SDR, Sucre, ADB unit, the testing code and "no
 * currency". They are not money an account can hold, though
 * `currency-codes` gives them 0 digits, like JPY.
 */
export const CODES_WITHOUT_MINOR_UNIT: readonly string[] = [
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
];

const byCode = new Map<string, Currency>(
  iso4217
    .filter((record) => Number.isInteger(record.digits) && !CODES_WITHOUT_MINOR_UNIT.includes(record.code))
    .map((record) => [record.code, Object.freeze({ code: record.code, exponent: record.digits })]),
);

const THREE_LETTERS = /^[A-Z]{3}$/;

/**
 * Looks a currency up by its ISO 4217 alphabetic code (case-sensitive, e.g.
 * "KES"). `UnknownCurrency` for any other text and for the codes without a
 * minor unit (`CODES_WITHOUT_MINOR_UNIT`); its `currencyCode` names the code
 * only when it is three capital letters, never other text it was given (its
 * message names none).
 */
export const currencyOf = (code: string): Either.Either<Currency, UnknownCurrency> => {
  const found = typeof code === 'string' ? byCode.get(code) : undefined;
  if (found) return Either.right(found);
  return Either.left(
    new UnknownCurrency({ currencyCode: typeof code === 'string' && THREE_LETTERS.test(code) ? code : '(not a code)' }),
  );
};

/** Every currency the platform knows, in code order. */
export const knownCurrencies = (): readonly Currency[] =>
  [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

export const sameCurrency = (a: Currency, b: Currency): boolean => a.code === b.code;

/**
 * The table's currency when `currency` is one: a known code with the table's
 * exponent (a forged `{ code: 'KES', exponent: 1.5 }`, 3, -1 or NaN is not).
 * `UnknownCurrency` otherwise, its `currencyCode` naming the code only when
 * it is three capital letters. Never throws, whatever it is given.
 */
export const checkCurrency = (currency: unknown): Either.Either<Currency, UnknownCurrency> => {
  const code =
    typeof currency === 'object' && currency !== null && 'code' in currency
      ? (currency as { code: unknown }).code
      : undefined;
  const exponent =
    typeof currency === 'object' && currency !== null && 'exponent' in currency
      ? (currency as { exponent: unknown }).exponent
      : undefined;
  const known = typeof code === 'string' ? byCode.get(code) : undefined;
  return known !== undefined && known.exponent === exponent
    ? Either.right(known)
    : Either.left(
        new UnknownCurrency({
          currencyCode: typeof code === 'string' && THREE_LETTERS.test(code) ? code : '(not a code)',
        }),
      );
};
