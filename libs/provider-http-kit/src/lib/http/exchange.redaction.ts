// The one redaction of every provider adapter: what a transfer-log record may keep of an exchange.
// The configured secrets and the destination number (in any of its forms) never appear; personal fields and
// anything that looks like a phone number are masked; headers are left out (they carry the credentials).
import type { PhoneNumber } from '@airtime/domain';
import type { HttpExchange } from './http-exchange.client';

/** One provider exchange as the top-up's transfer log keeps it: no secret, no phone number, no personal data. */
export interface TransferLogRecord {
  readonly provider: string;
  /** Our external id of the attempt the exchange belongs to. */
  readonly reference?: string | undefined;
  readonly method: string;
  /** The URL without credentials, secret query values or phone numbers. */
  readonly url: string;
  /** When the request left (ISO 8601). */
  readonly startedAt: string;
  readonly durationMs: number;
  /** The HTTP status, or null when no answer came back. */
  readonly status: number | null;
  /** The request body, redacted, at most `MAX_LOGGED_BODY_LENGTH` characters; null when there was none. */
  readonly requestBody: string | null;
  /** The answer's body, redacted, at most `MAX_LOGGED_BODY_LENGTH` characters; null when no answer came back. */
  readonly responseBody: string | null;
  /** Why no answer came back (a transport failure: "no answer within 300 ms"), when none did. */
  readonly failure?: string | undefined;
}

/** What must never reach a record: the configured secrets and, for a send, its destination number. */
export interface RedactionScope {
  /** API keys, tokens, secrets, encoded credentials: removed wherever they appear. */
  readonly secrets: readonly string[];
  /** The destination of the request: removed in E.164, digits-only and national form. */
  readonly destination?: PhoneNumber | undefined;
}

export const REDACTED = '[REDACTED]';
/** Bodies are cut to this length in the log (an HTML error page is not worth keeping whole). */
export const MAX_LOGGED_BODY_LENGTH = 4_000;

/**
 * JSON fields of personal data or credentials, replaced whole wherever they
 * appear (DVS sender and beneficiary details, account numbers, purchaser ids;
 * callback URLs, whose unguessable token authenticates the callback).
 */
export const PERSONAL_FIELDS: readonly string[] = [
  'callback_url',
  'callbackUrl',
  'first_name',
  'last_name',
  'middle_name',
  'email',
  'address_text',
  'address_city',
  'address_postal_code',
  'account_number',
  'credit_party_account_number',
  'debit_party_account_number',
  'purchaser_id',
];

/** JSON fields holding a phone number (DVS, Africa's Talking, engageSPARK), masked to their last three digits. */
export const PHONE_FIELDS: readonly string[] = [
  'mobile_number',
  'credit_party_mobile_number',
  'debit_party_mobile_number',
  'phoneNumber',
  'fullPhoneNumber',
  'phone_number',
  'msisdn',
];

const MASK = '***';
const JSON_VALUE = String.raw`("(?:[^"\\]|\\.)*"|-?[\d.eE+-]+)`;
const fieldPattern = (names: readonly string[]) =>
  new RegExp(String.raw`("(?:${names.join('|')})"\s*:\s*)${JSON_VALUE}`, 'g');
const PERSONAL_FIELD_VALUE = fieldPattern(PERSONAL_FIELDS);
const PHONE_FIELD_VALUE = fieldPattern(PHONE_FIELDS);
// a PIN's code is the value itself: {"pin": {"code": "1234", "serial": "..."}}
const PIN_CODE_VALUE = new RegExp(String.raw`("pin"\s*:\s*\{[^{}]*?"code"\s*:\s*)${JSON_VALUE}`, 'g');

// 8 or more digits, optionally after "+" (or its URL encoding), not inside a longer number nor after a decimal
// point: any phone number, while decimal fractions and timestamps stay readable.
const PHONE_LIKE = /(?<!\d)(?<!\d\.)(?:\+|%2B)?\d{8,}/gi;

const lastThreeDigits = (text: string): string => text.replace(/\D/g, '').slice(-3);

/** Masks phone-like digit runs, keeping the last three digits for support: "+254711000111" -> "***111". */
export const maskPhoneNumbers = (text: string): string =>
  text.replace(PHONE_LIKE, (phone) => `${MASK}${lastThreeDigits(phone)}`);

/** The national significant number: the part every written form of the number contains. */
const subscriberDigits = (phone: PhoneNumber): string => phone.e164.slice(1 + phone.callingCode.length);

/** The values removed from any text: secrets, then the number's forms (longest first). */
const removals = (scope: RedactionScope): readonly (readonly [string, string])[] => {
  const secrets = [...new Set(scope.secrets.filter((secret) => secret.length > 0))]
    .sort((a, b) => b.length - a.length)
    .map((secret) => [secret, REDACTED] as const);
  const phone = scope.destination;
  if (phone === undefined) return secrets;
  const masked = `${MASK}${phone.e164.slice(-3)}`;
  // E.164 and digits-only contain the subscriber digits, and so does every national form ("0711000111")
  const forms = [phone.e164, phone.e164.slice(1), subscriberDigits(phone)].filter((form) => form.length > 0);
  return [...secrets, ...forms.map((form) => [form, masked] as const)];
};

const removeAll = (text: string, scope: RedactionScope): string => {
  const pairs = removals(scope);
  let result = text;
  // a removal could, in theory, join two pieces into a value: repeat until none is left (bounded)
  for (let round = 0; round < 5; round++) {
    const next = pairs.reduce((current, [value, replacement]) => current.split(value).join(replacement), result);
    if (next === result) return result;
    result = next;
  }
  return pairs.some(([value]) => result.includes(value)) ? REDACTED : result;
};

/**
 * Any provider text (a body, an error message) made fit for a log: the
 * scope's secrets and destination number removed, personal JSON fields and
 * PIN codes replaced, phone-number fields and phone-like digit runs masked.
 */
export const redactText = (text: string, scope: RedactionScope): string =>
  maskPhoneNumbers(
    removeAll(text, scope)
      .replace(PERSONAL_FIELD_VALUE, `$1"${REDACTED}"`)
      .replace(PIN_CODE_VALUE, `$1"${REDACTED}"`)
      .replace(PHONE_FIELD_VALUE, (_whole, name: string, value: string) => `${name}"${MASK}${lastThreeDigits(value)}"`),
  );

const SECRET_PARAMETER = /key|token|secret|password|signature|auth/i;

/**
 * The URL without credentials: userinfo, secret-looking and personal query
 * values are replaced, then `redactText` applies.
 */
export const redactUrl = (url: string, scope: RedactionScope): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url, scope);
  }
  if (parsed.username !== '') parsed.username = REDACTED;
  if (parsed.password !== '') parsed.password = REDACTED;
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMETER.test(name) || PERSONAL_FIELDS.includes(name)) parsed.searchParams.set(name, REDACTED);
  }
  return redactText(parsed.toString(), scope);
};

/**
 * A body for the log, cut to `MAX_LOGGED_BODY_LENGTH`. Only its beginning is
 * redacted, with a margin longer than any secret and any number, so that the
 * cut never leaves part of one behind; then it is cut.
 */
const loggedBody = (body: string | undefined, scope: RedactionScope): string | null => {
  if (body === undefined) return null;
  const margin = 64 + Math.max(0, ...scope.secrets.map((secret) => secret.length));
  return redactText(body.slice(0, MAX_LOGGED_BODY_LENGTH + margin), scope).slice(0, MAX_LOGGED_BODY_LENGTH);
};

/** The transfer-log record of one exchange; headers are left out (they carry the credentials). */
export const redactExchange = (provider: string, exchange: HttpExchange, scope: RedactionScope): TransferLogRecord => {
  const { request, outcome } = exchange;
  const answered = outcome._tag === 'Answered' ? outcome.response : undefined;
  return {
    provider,
    // our own external id: kept as it is, to file the record
    reference: request.reference,
    method: request.method,
    url: redactUrl(request.url, scope),
    startedAt: new Date(exchange.startedAtMs).toISOString(),
    durationMs: exchange.durationMs,
    status: answered?.status ?? null,
    requestBody: loggedBody(request.body, scope),
    responseBody: loggedBody(answered?.bodyText, scope),
    ...(outcome._tag === 'Answered' ? {} : { failure: redactText(outcome.reason, scope) }),
  };
};
