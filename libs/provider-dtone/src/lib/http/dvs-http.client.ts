import {
  type ProviderError,
  ProviderOutcomeUnknown,
  ProviderRateLimited,
  ProviderRejected,
  ProviderResponseInvalid,
  ProviderUnavailable,
} from '@airtime/domain';
import { Duration, Effect } from 'effect';
import type { DvsConfig } from '../config/dvs.config';
import { maskPhonesIn, redactTransferLogEntry, type TransferLogEntry } from '../transfer-log/transfer-log.redaction';
import { type DvsCallKind, DTONE_PROVIDER_ID, dvsErrorsOf, providerErrorOf } from './dvs-errors.mapping';
import { encodeJson, type JsonValue } from './dvs-json.codec';
import {
  backoffMs,
  type RateLimitSnapshot,
  rateLimitSnapshotOf,
  retryAfterMsOf,
  waitBeforeNextCallMs,
} from './rate-limit.policy';

export type DvsQueryValue = string | number | boolean | readonly (string | number)[] | undefined;
export type DvsQuery = Readonly<Record<string, DvsQueryValue>>;

export interface DvsRequest {
  readonly method: 'GET' | 'POST';
  /** Below the versioned root: `/products`, `/async/transactions`. */
  readonly path: string;
  readonly query?: DvsQuery;
  readonly body?: JsonValue;
  readonly kind: DvsCallKind;
  /** The external id a create carries (to name it in ExternalIdAlreadyUsed). */
  readonly externalId?: string;
  /** `Accept-Language` of the i18n endpoints. */
  readonly language?: string;
  /** This call's deadline, when not the configured one (a sync transaction may be held up to 180 s). */
  readonly timeoutMs?: number;
}

export interface DvsResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The decoded JSON (`null` for an empty body). */
  readonly body: unknown;
}

export interface DvsHttpClient {
  readonly request: (request: DvsRequest) => Effect.Effect<DvsResponse, ProviderError>;
  /** The rate-limit headers of the last answer. */
  readonly rateLimit: () => RateLimitSnapshot | undefined;
}

export type DvsHttpSettings = Pick<DvsConfig, 'apiKey' | 'apiSecret' | 'baseUrl' | 'timeoutMs' | 'maxRetriesOn429'>;

export interface DvsHttpOptions {
  /** Defaults to the global `fetch` of Node 20. */
  readonly fetch?: typeof fetch;
  /** Receives every exchange, already redacted: the transfer log. */
  readonly onExchange?: (entry: TransferLogEntry) => void;
  /** Longest wait this layer accepts before retrying a throttled read; a longer one fails with ProviderRateLimited. */
  readonly maxRateLimitWaitMs?: number;
  readonly nowMs?: () => number;
}

export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 30_000;

/** Connection failures that mean the request never left: safe to retry, even for a send. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

type RawExchange =
  | { readonly _tag: 'Answered'; readonly status: number; readonly headers: Headers; readonly text: string }
  | { readonly _tag: 'NoAnswer'; readonly failure: 'timeout' | 'not-sent' | 'broken'; readonly detail: string };

// errors of Node's fetch come from another realm under test runners: read them by shape, not `instanceof`
const fieldOf = (value: unknown, field: string): unknown =>
  value !== null && typeof value === 'object' && field in value ? (value as Record<string, unknown>)[field] : undefined;

const errorCodeOf = (error: unknown): string | undefined => {
  const cause = fieldOf(error, 'cause');
  // a refused dual-stack connection may come as an AggregateError of per-address errors
  for (const candidate of [cause, ...((fieldOf(cause, 'errors') as unknown[] | undefined) ?? []), error]) {
    const code = fieldOf(candidate, 'code');
    if (typeof code === 'string') return code;
  }
  return undefined;
};

/**
 * An error message fit for a reason: URLs (which carry the query, e.g.
 * `credit_party_mobile_number`) and bare query strings are cut out, and any
 * E.164 number left is masked.
 */
const withoutUrls = (text: string): string =>
  maskPhonesIn(
    text
      .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]*/gi, '<url>')
      .replace(/\?[^\s'"<>=]*=[^\s'"<>]*/g, '')
      .replace(/[\w.%[\]-]+=[^\s'"<>&]*/g, '<param>'),
  );

const describeError = (error: unknown): string => {
  const code = errorCodeOf(error);
  const message = fieldOf(error, 'message');
  const text = withoutUrls(typeof message === 'string' ? message : String(error));
  return code === undefined ? text : `${text} (${code})`;
};

const isTimeout = (error: unknown): boolean => {
  const code = errorCodeOf(error);
  return (
    fieldOf(error, 'name') === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
  );
};

const encodeQuery = (query: DvsQuery | undefined): string => {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    // arrays as repeated keys (OpenAPI's form style): benefit_types=TALKTIME&benefit_types=DATA
    if (Array.isArray(value))
      for (const item of value as readonly (string | number)[]) params.append(name, String(item));
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
};

const headersRecord = (headers: Headers): Record<string, string> => {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
};

const parseJson = (text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } => {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

/**
 * The DVS HTTP layer on Node's `fetch`: HTTP Basic auth, a deadline on every
 * call (covering the body), answers classified into typed provider errors.
 * - connection refused (the request never left): ProviderUnavailable, for any call;
 * - timeout or 5xx: ProviderUnavailable for a read, ProviderOutcomeUnknown for a write;
 * - 429: a read waits (Retry-After, X-Ratelimit-Reset or backoff) and tries
 *   again up to `maxRetriesOn429` times; a write is never resent and fails
 *   with ProviderRateLimited;
 * - `X-Ratelimit-Remaining: 0` with a known reset: a read waits for the
 *   reset before it leaves, a write fails with ProviderRateLimited unsent;
 * - DVS error bodies: per code (dvs-errors.mapping.ts).
 */
export const makeDvsHttpClient = (settings: DvsHttpSettings, options: DvsHttpOptions = {}): DvsHttpClient => {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const nowMs = options.nowMs ?? Date.now;
  const maxWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
  const authorization = `Basic ${Buffer.from(`${settings.apiKey}:${settings.apiSecret}`, 'utf8').toString('base64')}`;
  const secrets = [settings.apiKey, settings.apiSecret];
  let lastRateLimit: RateLimitSnapshot | undefined;

  const log = (entry: TransferLogEntry): void => {
    if (options.onExchange === undefined) return;
    try {
      options.onExchange(redactTransferLogEntry(entry, secrets));
    } catch {
      // a failing log sink never changes the outcome of a call
    }
  };

  /** The JSON text of the body; a body that cannot be written (NaN, ...) fails typed, before anything is sent. */
  const encodeBody = (request: DvsRequest): Effect.Effect<string | undefined, ProviderError> =>
    Effect.try({
      try: () => (request.body === undefined ? undefined : encodeJson(request.body)),
      catch: (error) =>
        new ProviderRejected({
          provider: DTONE_PROVIDER_ID,
          providerCode: 'INVALID_REQUEST',
          reason: `${request.method} ${request.path} not sent: the request body cannot be encoded (${describeError(error)})`,
          retryable: false,
        }),
    });

  const exchange = async (request: DvsRequest, body: string | undefined, signal: AbortSignal): Promise<RawExchange> => {
    const url = `${settings.baseUrl}${request.path}${encodeQuery(request.query)}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(request.language === undefined ? {} : { 'accept-language': request.language }),
    };
    const started = nowMs();
    const logged = {
      provider: DTONE_PROVIDER_ID,
      startedAt: new Date(started).toISOString(),
      request: { method: request.method, url, headers, ...(body === undefined ? {} : { body: parseJsonOrText(body) }) },
    };
    const timeoutMs = request.timeoutMs ?? settings.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetchImpl(url, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.any([deadline, signal]),
        redirect: 'error',
      });
      const text = await response.text();
      log({
        ...logged,
        durationMs: nowMs() - started,
        response: { status: response.status, headers: headersRecord(response.headers), body: parseJsonOrText(text) },
      });
      return { _tag: 'Answered', status: response.status, headers: response.headers, text };
    } catch (error) {
      const timedOut = deadline.aborted || isTimeout(error);
      const code = errorCodeOf(error);
      const failure = timedOut ? 'timeout' : code !== undefined && NOT_SENT_CODES.has(code) ? 'not-sent' : 'broken';
      const detail = timedOut ? `no answer within ${timeoutMs} ms` : describeError(error);
      log({ ...logged, durationMs: nowMs() - started, failure: `${failure}: ${detail}` });
      return { _tag: 'NoAnswer', failure, detail };
    }
  };

  const noAnswerError = (request: DvsRequest, raw: Extract<RawExchange, { _tag: 'NoAnswer' }>): ProviderError =>
    raw.failure === 'not-sent' || request.kind === 'read'
      ? new ProviderUnavailable({
          provider: DTONE_PROVIDER_ID,
          reason: `${request.method} ${request.path}: ${raw.detail}`,
        })
      : new ProviderOutcomeUnknown({
          provider: DTONE_PROVIDER_ID,
          reason: `${request.method} ${request.path} sent, ${raw.failure === 'timeout' ? raw.detail : `connection broke: ${raw.detail}`}`,
        });

  const waitForWindow = (request: DvsRequest): Effect.Effect<void, ProviderError> =>
    Effect.suspend(() => {
      const waitMs = waitBeforeNextCallMs(lastRateLimit, nowMs());
      if (waitMs <= 0) return Effect.void;
      if (request.kind === 'write' || waitMs > maxWaitMs) {
        return Effect.fail(new ProviderRateLimited({ provider: DTONE_PROVIDER_ID, retryAfterMs: waitMs }));
      }
      return Effect.sleep(Duration.millis(waitMs));
    });

  const attempt = (request: DvsRequest, retry: number): Effect.Effect<DvsResponse, ProviderError> =>
    encodeBody(request).pipe(
      Effect.tap(() => waitForWindow(request)),
      Effect.flatMap((body) => Effect.promise((signal) => exchange(request, body, signal))),
      Effect.flatMap((raw): Effect.Effect<DvsResponse, ProviderError> => {
        if (raw._tag === 'NoAnswer') return Effect.fail(noAnswerError(request, raw));
        const now = nowMs();
        lastRateLimit = rateLimitSnapshotOf(raw.headers, now);
        const parsed = parseJson(raw.text);
        const ok = raw.status >= 200 && raw.status < 300;
        if (ok) {
          if (parsed.ok) return Effect.succeed({ status: raw.status, headers: raw.headers, body: parsed.value });
          const reason = `${request.method} ${request.path}: HTTP ${raw.status} with a body that is not JSON`;
          return Effect.fail(
            request.kind === 'write'
              ? new ProviderOutcomeUnknown({ provider: DTONE_PROVIDER_ID, reason })
              : new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason }),
          );
        }
        const retryAfterMs = retryAfterMsOf(raw.headers, now) ?? backoffMs(retry);
        if (
          raw.status === 429 &&
          request.kind === 'read' &&
          retry < settings.maxRetriesOn429 &&
          retryAfterMs <= maxWaitMs
        ) {
          lastRateLimit = undefined; // the wait below is the one the answer asked for
          return Effect.sleep(Duration.millis(retryAfterMs)).pipe(Effect.zipRight(attempt(request, retry + 1)));
        }
        return Effect.fail(
          providerErrorOf(parsed.ok ? dvsErrorsOf(parsed.value) : [], {
            kind: request.kind,
            httpStatus: raw.status,
            retryAfterMs,
            ...(request.externalId === undefined ? {} : { externalId: request.externalId }),
          }),
        );
      }),
    );

  return {
    request: (request) => attempt(request, 0),
    rateLimit: () => lastRateLimit,
  };
};

const parseJsonOrText = (text: string): unknown => {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text;
};
