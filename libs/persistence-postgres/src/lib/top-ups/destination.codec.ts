import type { PhoneNumber } from '@airtime/domain';
import { Either } from 'effect';
import { getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js/max';

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The destination from its stored E.164 text and country. The calling code
 * is the country's (it is not stored). The number is not validated again
 * against today's numbering plan: a top-up stored once stays readable.
 * Reasons never repeat the number (personal data).
 */
export const destinationOf = (e164: string, countryIso: string): Either.Either<PhoneNumber, string> => {
  if (!E164.test(e164)) return Either.left('destination is not an E.164 number');
  if (!isSupportedCountry(countryIso))
    return Either.left(`destination country ${JSON.stringify(countryIso)} is unknown`);
  const callingCode = getCountryCallingCode(countryIso);
  return e164.startsWith(`+${callingCode}`)
    ? Either.right({ e164, countryIso, callingCode })
    : Either.left(`destination number does not start with the calling code of ${countryIso} (+${callingCode})`);
};
