// What never reaches a log line: phone numbers and secrets, wherever a
// field of that name appears (at the top or one or two levels down). Log
// records of the consumer carry ids (topUpId, externalId, accountId,
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
