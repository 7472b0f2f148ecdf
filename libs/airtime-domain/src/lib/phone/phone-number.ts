import { Either } from 'effect';
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { InvalidPhoneNumber } from './phone.errors';

/**
 * A phone number in E.164 form (`+254711000111`), validated against the
 * numbering plan of its country (libphonenumber's full metadata).
 */
export interface PhoneNumber {
  readonly e164: string;
  /** ISO 3166-1 alpha-2 country of the number, e.g. "KE". */
  readonly countryIso: string;
  /** The country calling code without `+`, e.g. "254". */
  readonly callingCode: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** What a national number may be written with: digits, spaces, dots, hyphens, parentheses, one leading "+". */
const NATIONAL_TEXT = /^\+?[0-9 .()-]+$/;

const invalid = (input: string, reason: string) => Either.left(new InvalidPhoneNumber({ input, reason }));

/**
 * Parses a strict E.164 text: a `+`, the country code and the number, nothing
 * else; valid in its country's numbering plan. `InvalidPhoneNumber` for
 * anything else; it never carries the number.
 */
export const parsePhoneNumber = (input: unknown): Either.Either<PhoneNumber, InvalidPhoneNumber> => {
  if (typeof input !== 'string' || !E164.test(input)) {
    return invalid('E.164 text', 'expected E.164: "+" then 7 to 15 digits');
  }
  const parsed = parsePhoneNumberFromString(input);
  if (!parsed?.country) return invalid('E.164 text', 'no country uses this number range');
  if (!parsed.isValid()) return invalid('E.164 text', `not a valid number in ${parsed.country}`);
  return Either.right(
    Object.freeze({ e164: parsed.number, countryIso: parsed.country, callingCode: parsed.countryCallingCode }),
  );
};

/** Parses a provider's international number without `+` ("254711000111"). */
export const parseInternationalDigits = (digits: unknown): Either.Either<PhoneNumber, InvalidPhoneNumber> =>
  typeof digits === 'string' && /^\d+$/.test(digits)
    ? Either.mapLeft(
        parsePhoneNumber(`+${digits}`),
        (error) => new InvalidPhoneNumber({ input: 'international digits', reason: error.reason }),
      )
    : invalid('international digits', 'expected digits only');

/**
 * Parses a number written the way people in `countryIso` write it ("0711
 * 000111", "(0711) 000-111" in KE), strictly: only digits, spaces, dots,
 * hyphens and parentheses (no letters, no extension such as "x12"), and the
 * number must be a valid one of that country (an international "+255..." is
 * not a KE number). `InvalidPhoneNumber` otherwise; it never carries the
 * number, neither as given nor as libphonenumber rewrote it.
 */
export const parseNationalNumber = (
  input: unknown,
  countryIso: string,
): Either.Either<PhoneNumber, InvalidPhoneNumber> => {
  const country = typeof countryIso === 'string' ? countryIso.toUpperCase() : '';
  if (!isSupportedCountry(country)) return invalid('national number', 'not a country with a numbering plan');
  if (typeof input !== 'string' || !NATIONAL_TEXT.test(input.trim())) {
    return invalid('national number', 'expected digits, spaces, dots, hyphens or parentheses only');
  }
  const parsed = parsePhoneNumberFromString(input.trim(), country as CountryCode);
  if (parsed === undefined) return invalid('national number', `not a number of ${country}`);
  if (parsed.ext !== undefined) return invalid('national number', 'an extension is not a mobile number');
  if (parsed.country !== country) return invalid('national number', `not a number of ${country}`);
  return Either.mapLeft(
    parsePhoneNumber(parsed.number),
    (error) => new InvalidPhoneNumber({ input: 'national number', reason: error.reason }),
  );
};

/** The number with its `+` (DT One DVS). */
export const toE164 = (phone: PhoneNumber): string => phone.e164;

/** The number without `+` (Africa's Talking, engageSPARK). */
export const toInternationalDigits = (phone: PhoneNumber): string => phone.e164.slice(1);

/**
 * The last `count` digits, e.g. for the DVS sandbox's outcome suffix: all
 * the digits (never the `+`) when `count` exceeds them, none when it is not
 * a positive integer (`slice(-0)` would give the whole number).
 */
export const lastDigits = (phone: PhoneNumber, count: number): string =>
  Number.isInteger(count) && count > 0 ? toInternationalDigits(phone).slice(-count) : '';
