// What never reaches a log line: phone numbers and secrets, wherever a
// field of that name appears (at the top or one or two levels down). Log
// records of the platform carry ids (topUpId, externalId, accountId,
// messageId), kinds, codes and counts; these paths are the safety net for a
// record that carries more.

/** Field names whose values are replaced by `[redacted]`. */
export const REDACTED_FIELDS = [
  'phone_number',
  'phoneNumber',
  'phone',
  'msisdn',
  'destination',
  'mobile_number',
  'mobileNumber',
  'apiKey',
  'apiSecret',
  'api_key',
  'api_secret',
  'password',
  'secret',
  'signingSecret',
  'token',
  'callbackToken',
  'authorization',
  'Authorization',
  // a caller's callback URL may carry its own token
  'callbackUrl',
  'callback_url',
] as const;

/** pino `redact.paths` for the fields above at depths 0 to 2. */
export const REDACTED_PATHS: readonly string[] = REDACTED_FIELDS.flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
]);

export const REDACTION_CENSOR = '[redacted]';

/** Runs of 7 or more digits (possibly grouped with spaces, dots, dashes or parentheses, after a "+"): phone-like. */
const NUMBER_RUN = /\+?\d(?:[\s().-]*\d){6,}/g;

/** Free text (a defect's message) with every phone-like run of digits replaced. */
export const maskNumbers = (text: string): string => text.replace(NUMBER_RUN, '[number]');
