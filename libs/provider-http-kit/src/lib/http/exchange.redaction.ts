import type { HttpExchange } from './http-exchange.client';

/** One provider exchange as the top-up's transfer log keeps it: no secret, no phone number. */
export interface TransferLogRecord {
  readonly provider: string;
  /** Our external id of the attempt the exchange belongs to. */
  readonly reference?: string;
  readonly method: string;
  readonly url: string;
  /** The HTTP status, or null when no answer came back. */
  readonly status: number | null;
  readonly requestBody: string | null;
  readonly responseBody: string | null;
  readonly durationMs: number;
  /** Why no answer came back (transport failure), when none did. */
  readonly failure?: string;
}

export const REDACTED = '[REDACTED]';
/** Bodies are cut to this length in the log (an HTML error page is not worth keeping whole). */
export const MAX_LOGGED_BODY_LENGTH = 4_000;

// 8 to 15 digits, optionally after "+", not inside a word, a decimal or a longer number:
// international numbers, while amounts, ids such as "ATQid_1be9..." and timestamps stay readable.
const PHONE_LIKE = /(?<![\w.+])\+?\d{8,15}(?![\w.])/g;

/** Masks phone numbers, keeping the last three digits for support: "+254711000111" -> "***111". */
export const maskPhoneNumbers = (text: string): string => text.replace(PHONE_LIKE, (phone) => `***${phone.slice(-3)}`);

/** Removes every secret value, then masks phone numbers. */
export const redactText = (text: string, secrets: readonly string[]): string =>
  maskPhoneNumbers(
    secrets
      .filter((secret) => secret.length >= 4)
      .reduce((redacted, secret) => redacted.split(secret).join(REDACTED), text),
  );

const SECRET_PARAMETER = /key|token|secret|password|signature/i;

/** The URL without credentials: userinfo and secret-looking query values are replaced, then `redactText` applies. */
export const redactUrl = (url: string, secrets: readonly string[]): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url, secrets);
  }
  if (parsed.username !== '') parsed.username = REDACTED;
  if (parsed.password !== '') parsed.password = REDACTED;
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMETER.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  return redactText(parsed.toString(), secrets);
};

const loggedBody = (body: string | undefined, secrets: readonly string[]): string | null =>
  body === undefined ? null : redactText(body, secrets).slice(0, MAX_LOGGED_BODY_LENGTH);

/** The transfer-log record of one exchange; headers are left out (they carry the credentials). */
export const redactExchange = (
  provider: string,
  exchange: HttpExchange,
  secrets: readonly string[],
): TransferLogRecord => {
  const { request, outcome } = exchange;
  const answered = outcome._tag === 'Answered' ? outcome.response : undefined;
  return {
    provider,
    ...(request.reference === undefined ? {} : { reference: request.reference }),
    method: request.method,
    url: redactUrl(request.url, secrets),
    status: answered?.status ?? null,
    requestBody: loggedBody(request.body, secrets),
    responseBody: loggedBody(answered?.bodyText, secrets),
    durationMs: exchange.durationMs,
    ...(outcome._tag === 'Answered' ? {} : { failure: outcome.reason }),
  };
};
