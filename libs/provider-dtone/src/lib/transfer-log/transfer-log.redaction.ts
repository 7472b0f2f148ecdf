/**
 * The transfer log keeps every provider exchange of an attempt; this makes
 * one safe to keep: no authorization header or cookie, no key or secret
 * anywhere, phone numbers masked (last three digits kept: the DVS sandbox
 * outcome suffix), names, e-mails, addresses, account numbers and PIN codes
 * replaced.
 */

export interface TransferLogMessage {
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body (parsed), or its text when it is not JSON. */
  readonly body?: unknown;
}

export interface TransferLogEntry {
  readonly provider: string;
  /** ISO time the request left. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly request: TransferLogMessage & { readonly method: string; readonly url: string };
  readonly response?: TransferLogMessage & { readonly status: number };
  /** Why no answer came (timeout, connection refused...). */
  readonly failure?: string;
}

const MASK = '***';

const DROPPED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Fields of personal data replaced whole. */
const PERSONAL_FIELDS = new Set([
  'first_name',
  'last_name',
  'middle_name',
  'email',
  'address_text',
  'address_city',
  'address_postal_code',
  'account_number',
  'credit_party_account_number',
  'purchaser_id',
]);

/** Fields holding a phone number, masked. */
const PHONE_FIELDS = new Set(['mobile_number', 'credit_party_mobile_number']);

// a "+" (or its URL encoding) then 7 to 15 digits: E.164
const E164_ANYWHERE = /(\+|%2B)([1-9]\d{5,13})(\d)(?!\d)/gi;

/** `+6595123100` -> `+65*****100`: the first two digits and the last three stay. */
export const maskPhoneNumber = (text: string): string => {
  const match = /^(\+?)(\d+)$/.exec(text.trim());
  if (!match) return MASK;
  const [, plus = '', digits = ''] = match;
  if (digits.length <= 5) return `${plus}${'*'.repeat(digits.length)}`;
  return `${plus}${digits.slice(0, 2)}${'*'.repeat(digits.length - 5)}${digits.slice(-3)}`;
};

/** `text` with every E.164 number in it (`+` or `%2B` then digits) masked as `maskPhoneNumber` does. */
export const maskPhonesIn = (text: string): string =>
  text.replace(E164_ANYWHERE, (_whole, plus: string, head: string, last: string) => {
    const digits = `${head}${last}`;
    return `${plus}${maskPhoneNumber(digits)}`;
  });

const scrubSecrets = (text: string, secrets: readonly string[]): string =>
  secrets.reduce((result, secret) => (secret.length === 0 ? result : result.split(secret).join(MASK)), text);

const redactText = (text: string, secrets: readonly string[]): string => maskPhonesIn(scrubSecrets(text, secrets));

const redactValue = (value: unknown, secrets: readonly string[], key?: string): unknown => {
  if (typeof value === 'string') {
    if (key !== undefined && PERSONAL_FIELDS.has(key)) return MASK;
    if (key !== undefined && PHONE_FIELDS.has(key)) return maskPhoneNumber(value);
    return redactText(value, secrets);
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([field, item]) => [
        field,
        // a PIN's code is the value itself
        field === 'pin' && item !== null && typeof item === 'object' && 'code' in item
          ? { ...(redactValue(item, secrets) as Record<string, unknown>), code: MASK }
          : redactValue(item, secrets, field),
      ]),
    );
  }
  return value;
};

const redactHeaders = (headers: Readonly<Record<string, string>>, secrets: readonly string[]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()))
      .map(([name, value]) => [name, redactText(value, secrets)]),
  );

const redactUrl = (url: string, secrets: readonly string[]): string => {
  const withoutUserInfo = url.replace(/^(\w+:\/\/)[^/@]*@/, '$1');
  return redactText(withoutUserInfo, secrets).replace(
    /([?&](?:credit_party_account_number|account_number)=)[^&#]*/g,
    `$1${MASK}`,
  );
};

const redactMessage = <M extends TransferLogMessage>(message: M, secrets: readonly string[]): M => ({
  ...message,
  headers: redactHeaders(message.headers, secrets),
  ...(message.body === undefined ? {} : { body: redactValue(message.body, secrets) }),
});

/** A copy of `entry` safe to store; `secrets` (the API key and secret) are masked wherever they appear. */
export const redactTransferLogEntry = (entry: TransferLogEntry, secrets: readonly string[]): TransferLogEntry => ({
  ...entry,
  request: { ...redactMessage(entry.request, secrets), url: redactUrl(entry.request.url, secrets) },
  ...(entry.response === undefined ? {} : { response: redactMessage(entry.response, secrets) }),
  ...(entry.failure === undefined ? {} : { failure: redactText(entry.failure, secrets) }),
});
