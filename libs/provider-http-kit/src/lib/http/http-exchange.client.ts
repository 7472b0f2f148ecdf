// One HTTP exchange with a provider on Node's fetch: a deadline on the whole exchange, redirects never followed,
// a bounded answer, and one classification of what a failure means ("certainly not sent" or "may have arrived").
import type { UnknownOutcomeKind } from '@airtime/domain';
import { Effect } from 'effect';

/** One HTTP call to the provider, with its deadline (the whole exchange, body included). */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  readonly timeoutMs: number;
  /** Not sent: our external id of the attempt, to file the exchange in its transfer log. */
  readonly reference?: string | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body as text, cut at `MAX_ANSWER_BYTES` (see `truncated`). */
  readonly bodyText: string;
  /** The body was longer than `MAX_ANSWER_BYTES`: `bodyText` is its beginning only, never a readable answer. */
  readonly truncated?: boolean | undefined;
}

/**
 * Why no response came back: the one classification of every adapter.
 * - `NotSent`: certainly not sent. No connection was made (refused, DNS, TLS,
 *   an unbuildable request): the provider cannot have received anything, so
 *   it is safe to try again, even for a send.
 * - `NoAnswer`: may have arrived. A timeout, or a connection lost after it
 *   was made: the provider may have received the request and acted on it.
 * A timeout is always `NoAnswer`: fetch does not say whether it struck while
 * connecting or after the request was written, so the safe reading is taken.
 * `NoAnswer`'s `kind` says which it was: `TIMEOUT` or `CONNECTION_LOST`.
 */
export type TransportFailure =
  | { readonly _tag: 'NotSent'; readonly reason: string }
  | {
      readonly _tag: 'NoAnswer';
      readonly kind: Extract<UnknownOutcomeKind, 'TIMEOUT' | 'CONNECTION_LOST'>;
      readonly reason: string;
    };

export type HttpOutcome = { readonly _tag: 'Answered'; readonly response: HttpResponse } | TransportFailure;

/** A request and what came of it: the raw material of the transfer log (not redacted). */
export interface HttpExchange {
  readonly request: HttpRequest;
  readonly outcome: HttpOutcome;
  /** When the request left (epoch ms). */
  readonly startedAtMs: number;
  readonly durationMs: number;
}

/** Options of `performExchange`. */
export interface ExchangeOptions {
  /** Defaults to Node's global `fetch` (tests may pass another). */
  readonly fetch?: typeof fetch | undefined;
  /** The wall clock of `startedAtMs` (epoch ms); defaults to `Date.now`. */
  readonly nowMs?: (() => number) | undefined;
}

/** The most of an answer that is read (4 MiB): a larger body is cut and never read as an answer. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * Error codes (of undici, node:net, DNS and TLS) raised before any byte of the
 * request left: the request was certainly not sent.
 */
export const NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

// Errors are read by shape, not `instanceof`: fetch's errors may come from another realm (e.g. under jest).
const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined;

// a code names a kind of failure; anything else in its place is not quoted
const codeOf = (value: unknown): string | undefined => {
  const code = field(value, 'code');
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
};

/** The codes of `fetch failed`'s cause, and of each attempt when connecting tried several addresses. */
const causeCodes = (error: unknown): readonly string[] => {
  const cause = field(error, 'cause');
  const attempts = field(cause, 'errors');
  const nested = Array.isArray(attempts) ? attempts.map(codeOf) : [];
  return [...new Set([codeOf(cause), ...nested].filter((code): code is string => code !== undefined))];
};

const isTimeout = (error: unknown, timeout: AbortSignal): boolean =>
  timeout.aborted ||
  field(error, 'name') === 'TimeoutError' ||
  causeCodes(error).some((code) => code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT');

const codesText = (codes: readonly string[]): string => codes.join(', ') || 'no code';

/**
 * What a failed `fetch` means. Reasons name error codes only, never the
 * error's message: messages may carry the URL or other request details.
 */
export const classifyRequestFailure = (error: unknown, timedOut: boolean, timeoutMs: number): TransportFailure => {
  if (timedOut) return { _tag: 'NoAnswer', kind: 'TIMEOUT', reason: `no answer within ${timeoutMs} ms` };
  const codes = causeCodes(error);
  if (codes.length > 0 && codes.every((code) => NOT_SENT_ERROR_CODES.has(code))) {
    return { _tag: 'NotSent', reason: `connection failed (${codesText(codes)})` };
  }
  if (field(error, 'name') === 'TypeError' && field(error, 'cause') === undefined) {
    return { _tag: 'NotSent', reason: 'the request could not be built' };
  }
  return { _tag: 'NoAnswer', kind: 'CONNECTION_LOST', reason: `connection lost (${codesText(codes)})` };
};

const bodyFailure = (error: unknown, timedOut: boolean, timeoutMs: number): TransportFailure =>
  timedOut
    ? { _tag: 'NoAnswer', kind: 'TIMEOUT', reason: `no complete answer within ${timeoutMs} ms` }
    : {
        _tag: 'NoAnswer',
        kind: 'CONNECTION_LOST',
        reason: `connection lost while reading the answer (${codesText(causeCodes(error))})`,
      };

/** The body as text, at most `MAX_ANSWER_BYTES` of it. */
const readBody = async (response: Response): Promise<{ readonly text: string; readonly truncated: boolean }> => {
  if (response.body === null) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), truncated: false };
    const room = MAX_ANSWER_BYTES - bytes;
    if (value.byteLength > room) {
      text += decoder.decode(value.subarray(0, room));
      await reader.cancel().catch(() => undefined);
      return { text, truncated: true };
    }
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
};

const run = async (
  request: HttpRequest,
  options: ExchangeOptions,
  interruption: AbortSignal,
): Promise<HttpExchange> => {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const startedAtMs = (options.nowMs ?? Date.now)();
  const startedAt = performance.now();
  const done = (outcome: HttpOutcome): HttpExchange => ({
    request,
    outcome,
    startedAtMs,
    durationMs: Math.round(performance.now() - startedAt),
  });
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([interruption, timeout]);
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      // never followed: a followed redirect turns a POST into a GET, or sends the request twice
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    return done(classifyRequestFailure(error, isTimeout(error, timeout), request.timeoutMs));
  }
  try {
    const { text, truncated } = await readBody(response);
    return done({
      _tag: 'Answered',
      response: {
        status: response.status,
        headers: response.headers,
        bodyText: text,
        ...(truncated ? { truncated } : {}),
      },
    });
  } catch (error) {
    return done(bodyFailure(error, isTimeout(error, timeout), request.timeoutMs));
  }
};

/**
 * Performs one exchange with `fetch` under `AbortSignal.timeout`, redirects
 * not followed (a 3xx comes back as an answer). Never fails: the outcome says
 * what happened.
 */
export const performExchange = (request: HttpRequest, options: ExchangeOptions = {}): Effect.Effect<HttpExchange> =>
  Effect.promise((interruption) => run(request, options, interruption));
