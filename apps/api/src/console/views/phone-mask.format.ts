// A phone number as the console shows it: the country calling code and the
// last four digits, the rest masked (`+63 •••••4100`). The full number is
// only ever typed by the user (the filter searches by the full number).
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const VISIBLE_TAIL = 4;

/** `+<calling code> <bullets><last 4 digits>`; a number libphonenumber cannot read keeps only its last 4 digits. */
export const maskedPhone = (e164: string): string => {
  const digits = e164.replace(/\D/g, '');
  const parsed = parsePhoneNumberFromString(e164);
  const code = parsed?.countryCallingCode ?? '';
  const national = code === '' ? digits : digits.slice(code.length);
  const shown = national.slice(-VISIBLE_TAIL);
  const hidden = '•'.repeat(Math.max(0, national.length - shown.length));
  return code === '' ? `${hidden}${shown}` : `+${code} ${hidden}${shown}`;
};
