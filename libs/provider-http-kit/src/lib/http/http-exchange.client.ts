import { Effect } from 'effect';

/** One HTTP call to the provider, with its deadline (the whole exchange, body included). */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Not sent: our external id of the attempt, to file the exchange in its transfer log. */
  readonly reference?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly bodyText: string;
}

/**
 * Why no response came back.
 * - `NotSent`: no connection was made (refused, DNS, TLS, an unbuildable
 *   request): the provider cannot have received anything; safe to retry.
 * - `NoAnswer`: the request may have reached the provider (timeout, connection
 *   lost mid-exchange): its outcome is unknown.
 * A timeout is always `NoAnswer`: fetch does not say whether it struck while
 * connecting or after the request was written, so the safe reading is taken.
 */
export type TransportFailure =
  { readonly _tag: 'NotSent'; readonly reason: string } | { readonly _tag: 'NoAnswer'; readonly reason: string };

export type HttpOutcome = { readonly _tag: 'Answered'; readonly response: HttpResponse } | TransportFailure;

/** A request and what came of it: the raw material of the transfer log (not redacted). */
export interface HttpExchange {
  readonly request: HttpRequest;
  readonly outcome: HttpOutcome;
  readonly durationMs: number;
}

/** Error codes (of undici / node:net / TLS) raised before any byte of the request left. */
const CONNECT_FAILURE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

// Errors are read by shape, not `instanceof`: fetch's errors may come from another realm (e.g. under jest).
const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined;

const codeOf = (value: unknown): string | undefined => {
  const code = field(value, 'code');
  return typeof code === 'string' ? code : undefined;
};

/** The codes of `fetch failed`'s cause, and of each attempt when connecting tried several addresses. */
const causeCodes = (error: unknown): readonly string[] => {
  const cause = field(error, 'cause');
  const attempts = field(cause, 'errors');
  const nested = Array.isArray(attempts) ? attempts.map(codeOf) : [];
  return [codeOf(cause), ...nested].filter((code): code is string => code !== undefined);
};

const isTimeout = (error: unknown): boolean => field(error, 'name') === 'TimeoutError';

// Reasons name error codes only: error messages may carry the URL or other request details.
const requestFailure = (error: unknown): TransportFailure => {
  if (isTimeout(error)) return { _tag: 'NoAnswer', reason: 'no answer within the timeout' };
  const codes = causeCodes(error);
  if (codes.length > 0 && codes.every((code) => CONNECT_FAILURE_CODES.has(code))) {
    return { _tag: 'NotSent', reason: `connection failed (${[...new Set(codes)].join(', ')})` };
  }
  if (field(error, 'name') === 'TypeError' && field(error, 'cause') === undefined) {
    return { _tag: 'NotSent', reason: 'the request could not be built' };
  }
  return { _tag: 'NoAnswer', reason: `connection lost (${codes.join(', ') || 'no code'})` };
};

const bodyFailure = (error: unknown): TransportFailure =>
  isTimeout(error)
    ? { _tag: 'NoAnswer', reason: 'no complete answer within the timeout' }
    : {
        _tag: 'NoAnswer',
        reason: `connection lost while reading the answer (${causeCodes(error).join(', ') || 'no code'})`,
      };

const run = async (request: HttpRequest, interruption: AbortSignal): Promise<HttpExchange> => {
  const startedAt = performance.now();
  const done = (outcome: HttpOutcome): HttpExchange => ({
    request,
    outcome,
    durationMs: Math.round(performance.now() - startedAt),
  });
  const signal = AbortSignal.any([interruption, AbortSignal.timeout(request.timeoutMs)]);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      // a followed redirect would turn a POST into a GET: a 3xx is reported, never followed
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    return done(requestFailure(error));
  }
  try {
    const bodyText = await response.text();
    return done({ _tag: 'Answered', response: { status: response.status, headers: response.headers, bodyText } });
  } catch (error) {
    return done(bodyFailure(error));
  }
};

/** Performs one exchange with Node's `fetch` under `AbortSignal.timeout`; never fails, the outcome says what happened. */
export const performExchange = (request: HttpRequest): Effect.Effect<HttpExchange> =>
  Effect.promise((interruption) => run(request, interruption));
