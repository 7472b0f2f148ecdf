// The phone number a top-up search is given, as people type it, read into
// the E.164 text the top-ups keep, so that "+63 917 123 4100" finds
// "+639171234100".
import { parseInternationalDigits, parsePhoneNumber, type PhoneNumber, ruleViolation } from '@airtime/domain';
import { Either, ParseResult, Schema } from 'effect';

/** The longest search text read (a number with its separators). */
export const MAX_PHONE_SEARCH_LENGTH = 40;

/** Spaces, dots, hyphens and parentheses: what people write between the digits of a number. */
const SEPARATORS = /[ .()-]/g;

/**
 * The number a search text names: separators (spaces, dots, hyphens,
 * parentheses) dropped, then E.164 (`+63...`) or international digits
 * (`63...`), valid in its country's numbering plan. The refusal says why,
 * never the number.
 */
export const phoneOfSearchText = (text: string): Either.Either<PhoneNumber, string> => {
  if (text.length > MAX_PHONE_SEARCH_LENGTH) return Either.left(`longer than ${MAX_PHONE_SEARCH_LENGTH} characters`);
  const compact = text.trim().replace(SEPARATORS, '');
  return Either.mapLeft(
    /^\d+$/.test(compact) ? parseInternationalDigits(compact) : parsePhoneNumber(compact),
    (error) => error.reason,
  );
};

/**
 * A search's phone number: a text as `phoneOfSearchText` reads it, decoded
 * to its E.164 text (`+639171234100`); a text that is no valid number is
 * refused with the reason (never the number).
 */
export const PhoneSearchField = Schema.transformOrFail(Schema.String, Schema.String, {
  strict: true,
  decode: (text, _options, ast) =>
    Either.match(phoneOfSearchText(text), {
      onLeft: (reason) => ParseResult.fail(ruleViolation(ast, text, reason)),
      onRight: (phone) => ParseResult.succeed(phone.e164),
    }),
  encode: (e164) => ParseResult.succeed(e164),
}).annotations({
  identifier: 'PhoneSearch',
  description: 'a phone number, E.164 or international digits, spaces, dots, hyphens and parentheses allowed',
});
