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
  /** API keys, tokens, secrets: removed wherever they appear, also JSON-escaped, URL-encoded or in base64. */
  readonly secrets: readonly string[];
  /** The destination of the request: removed in any written form (E.164, digits only, national, grouped). */
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

// A run of digits, perhaps written with separators as numbers are (spaces, dashes, dots, parentheses, URL-encoded
// spaces, form-encoded "+"), perhaps after "+" (or its URL encoding); not inside a longer number nor after a
// decimal point. `maskPhoneNumbers` decides which runs are phone numbers.
const DIGIT_SEPARATOR = String.raw`(?:[ .\-]|%20|\+|\)(?:[ .\-]|%20)?|(?:[ .\-]|%20)?\()`;
const NUMBER_LIKE = new RegExp(String.raw`(?<!\d)(?<!\d\.)(?:(?:\+|%2B) ?)?\(?\d(?:${DIGIT_SEPARATOR}?\d)*`, 'gi');
const PLUS_PREFIX = /^(?:\+|%2B)/i;
// dates written with separators (2021-04-16, 16.04.2021, 2021.04.16) are not phone numbers, nor is what follows
// them ("2021-04-16 18:53")
const DATE = /^(?:(?:19|20)\d\d[-.][01]\d[-.][0-3]\d|[0-3]\d[-.][01]\d[-.](?:19|20)\d\d)(?!\d)/;
// a decimal number: digits, one point, digits ("KES 1000000.0000", 54.05405405)
const DECIMAL = /^(\d+)\.(\d+)$/;
/** A phone number has 7 digits or more once its separators are left out. */
const MIN_PHONE_DIGITS = 7;
/** An integer part of a decimal is masked from this many digits (amounts and rates stay readable). */
const MIN_MASKED_INTEGER_DIGITS = 8;

const lastThreeDigits = (text: string): string => text.replace(/\D/g, '').slice(-3);

const maskNumberLike = (run: string): string => {
  const date = DATE.exec(run)?.[0];
  if (date !== undefined) return `${date}${maskPhoneNumbers(run.slice(date.length))}`;
  const digits = run.replace(PLUS_PREFIX, '').replace(/%20/g, ' ').replace(/\D/g, '');
  if (digits.length < MIN_PHONE_DIGITS) return run;
  const decimal = DECIMAL.exec(run);
  if (decimal !== null) {
    const [, integer = '', fraction = ''] = decimal;
    return integer.length < MIN_MASKED_INTEGER_DIGITS ? run : `${MASK}${integer.slice(-3)}.${fraction}`;
  }
  return `${MASK}${digits.slice(-3)}`;
};

/**
 * Masks phone-like numbers, keeping the last three digits for support:
 * 7 digits or more, separators allowed ("+254711000111", "+63 917 123 4567",
 * "(0917) 123-4567", "0711 000 111" -> "***111"); dates, and decimals whose
 * integer part has fewer than 8 digits, are left as they are.
 */
export const maskPhoneNumbers = (text: string): string =>
  text.replace(NUMBER_LIKE, (run: string, offset: number, whole: string) => {
    const masked = maskNumberLike(run);
    // a bare JSON number masked ("id": 1000004) becomes a JSON string ("id": "***004"): the body stays JSON
    return masked !== run && isJsonNumberAt(whole, offset, run) ? `"${masked}"` : masked;
  });

/** Whether `run` at `offset` of `text` is a whole JSON number value: digits after `:`, `,` or `[`, before `,`, `}` or `]`. */
const isJsonNumberAt = (text: string, offset: number, run: string): boolean => {
  if (!/^-?\d+(?:\.\d+)?$/.test(run)) return false;
  const before = text.slice(0, offset).trimEnd().slice(-1);
  const after = text
    .slice(offset + run.length)
    .trimStart()
    .slice(0, 1);
  return (before === ':' || before === ',' || before === '[') && (after === ',' || after === '}' || after === ']');
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** A hexadecimal number in either case: "2f" -> "2[fF]". */
const anyCaseHex = (hex: string): string =>
  hex.replace(/[a-f]/gi, (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`);
const JSON_SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  '\b': 'b',
  '\f': 'f',
  '\n': 'n',
  '\r': 'r',
  '\t': 't',
};

/**
 * Every way one character of a secret can be written in a body: as itself,
 * JSON-escaped (`\"`, `\/`, `\u0022`), percent-encoded (UTF-8, either case)
 * and, for a space, form-encoded (`+`).
 */
const characterPattern = (character: string): string => {
  // letters and digits are written as they are by every JSON and URL encoder
  if (/^[A-Za-z0-9]$/.test(character)) return character;
  const forms = [escapeRegExp(character)];
  const short = JSON_SHORT_ESCAPES[character];
  if (short !== undefined) forms.push(escapeRegExp(`\\${short}`));
  for (let index = 0; index < character.length; index++) {
    forms.push(`\\\\u${anyCaseHex(character.charCodeAt(index).toString(16).padStart(4, '0'))}`);
  }
  const percent = [...new TextEncoder().encode(character)]
    .map((byte) => `%${anyCaseHex(byte.toString(16).padStart(2, '0'))}`)
    .join('');
  forms.push(percent);
  if (character === ' ') forms.push(String.raw`\+`);
  return forms.length === 1 ? (forms[0] ?? '') : `(?:${forms.join('|')})`;
};

/** A value in any of its escapings and encodings (see `characterPattern`). */
const encodedPattern = (value: string): string => [...value].map(characterPattern).join('');

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
/** The shortest base64 text worth looking for (shorter ones would match by chance). */
const MIN_BASE64_FINGERPRINT = 8;

/**
 * The base64 texts of `value` wherever it stands in an encoded string: for
 * each of the three alignments, the characters that depend on its bytes only,
 * so that base64 of "key:secret" (a Basic auth header) contains one of them;
 * in standard and URL-safe alphabets.
 */
const base64Forms = (value: string): readonly string[] => {
  const bytes = new TextEncoder().encode(value);
  const whole = base64(bytes);
  const fingerprints = [0, 1, 2].map((offset) => {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor(((offset + bytes.length) * 8) / 6);
    return base64(padded).slice(first, last);
  });
  const forms = [whole, whole.replace(/=+$/, ''), ...fingerprints].filter(
    (form) => form.length >= MIN_BASE64_FINGERPRINT,
  );
  return [...new Set(forms.flatMap((form) => [form, form.replace(/\+/g, '-').replace(/\//g, '_')]))];
};

/** The national significant number: the part every written form of the number contains. */
const subscriberDigits = (phone: PhoneNumber): string => phone.e164.slice(1 + phone.callingCode.length);

// between two digits of a written number: up to two of space, dash, dot, slash, parentheses, "+" and URL-encoded space
const NUMBER_SEPARATORS = String.raw`(?:[\s.\-()/+]|%20){0,2}`;
const digitsPattern = (digits: string): string => [...digits].join(NUMBER_SEPARATORS);

/**
 * The destination in any written form: E.164, digits only, international
 * ("+63 917 123 4567", "0063-917..."), national ("(0917) 123-4567"), or its
 * national significant number alone, in any grouping.
 */
const destinationPattern = (phone: PhoneNumber): string => {
  const plus = String.raw`(?:\+|%2B|\\u002[bB]|00)`;
  const international = `(?:${plus}${NUMBER_SEPARATORS})?${digitsPattern(phone.callingCode)}`;
  return String.raw`(?:(?:${international}|\(?0)${NUMBER_SEPARATORS})?${digitsPattern(subscriberDigits(phone))}`;
};

interface Removal {
  readonly pattern: RegExp;
  readonly replacement: string;
}

const removalCache = new Map<string, readonly Removal[]>();
const MAX_CACHED_SCOPES = 64;

/**
 * The values removed from any text: each secret in all its escapings and
 * encodings and its base64 forms (which base64 of "key:secret" contains);
 * then the destination in any written form.
 */
const removals = (scope: RedactionScope): readonly Removal[] => {
  const key = JSON.stringify([scope.secrets, scope.destination?.e164 ?? null]);
  const cached = removalCache.get(key);
  if (cached !== undefined) return cached;
  const secrets = [...new Set(scope.secrets.filter((secret) => secret.length > 0))];
  const forms = [...new Set([...secrets, ...secrets.flatMap(base64Forms)])].sort((a, b) => b.length - a.length);
  const result: Removal[] = [];
  if (forms.length > 0) {
    result.push({ pattern: new RegExp(forms.map(encodedPattern).join('|'), 'g'), replacement: REDACTED });
  }
  const phone = scope.destination;
  if (phone !== undefined) {
    result.push({ pattern: new RegExp(destinationPattern(phone), 'g'), replacement: `${MASK}${phone.e164.slice(-3)}` });
  }
  if (removalCache.size >= MAX_CACHED_SCOPES) removalCache.clear();
  removalCache.set(key, result);
  return result;
};

const removeAll = (text: string, scope: RedactionScope): string => {
  const all = removals(scope);
  const found = (current: string) => all.some(({ pattern }) => current.search(pattern) >= 0);
  let result = text;
  // a removal could, in theory, join two pieces into a value: repeat until none is left (bounded)
  for (let round = 0; round < 5; round++) {
    const next = all.reduce((current, { pattern, replacement }) => current.replace(pattern, replacement), result);
    if (next === result) return result;
    result = next;
  }
  return found(result) ? REDACTED : result;
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
