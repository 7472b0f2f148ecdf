import { Either } from 'effect';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
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

/** Parses a strict E.164 text: a `+`, the country code and the number, nothing else. */
export const parsePhoneNumber = (input: string): Either.Either<PhoneNumber, InvalidPhoneNumber> => {
  if (!E164.test(input)) {
    return Either.left(new InvalidPhoneNumber({ input, reason: 'expected E.164: "+" then 7 to 15 digits' }));
  }
  const parsed = parsePhoneNumberFromString(input);
  if (!parsed?.country) {
    return Either.left(new InvalidPhoneNumber({ input, reason: 'no country uses this number range' }));
  }
  if (!parsed.isValid()) {
    return Either.left(new InvalidPhoneNumber({ input, reason: `not a valid number in ${parsed.country}` }));
  }
  return Either.right(
    Object.freeze({ e164: parsed.number, countryIso: parsed.country, callingCode: parsed.countryCallingCode }),
  );
};

/** Parses a provider's international number without `+` ("254711000111"). */
export const parseInternationalDigits = (digits: string): Either.Either<PhoneNumber, InvalidPhoneNumber> =>
  /^\d+$/.test(digits)
    ? Either.mapLeft(
        parsePhoneNumber(`+${digits}`),
        (error) => new InvalidPhoneNumber({ input: digits, reason: error.reason }),
      )
    : Either.left(new InvalidPhoneNumber({ input: digits, reason: 'expected digits only' }));

/** Parses a number written the way people in `country` write it ("0711 000111" in KE). */
export const parseNationalNumber = (
  input: string,
  countryIso: string,
): Either.Either<PhoneNumber, InvalidPhoneNumber> => {
  const parsed = parsePhoneNumberFromString(input, countryIso.toUpperCase() as CountryCode);
  return parsed
    ? parsePhoneNumber(parsed.number)
    : Either.left(new InvalidPhoneNumber({ input, reason: `not a number of ${countryIso}` }));
};

/** The number with its `+` (DT One DVS). */
export const toE164 = (phone: PhoneNumber): string => phone.e164;

/** The number without `+` (Africa's Talking, engageSPARK). */
export const toInternationalDigits = (phone: PhoneNumber): string => phone.e164.slice(1);

/** The last `count` digits, e.g. for the DVS sandbox's outcome suffix. */
export const lastDigits = (phone: PhoneNumber, count: number): string => phone.e164.slice(-count);
