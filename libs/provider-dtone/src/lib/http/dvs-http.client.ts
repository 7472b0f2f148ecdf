// The DVS HTTP layer: DT One's request shape (HTTP Basic auth, JSON with exact decimals, query encoding) on the
// one provider transport of @airtime/provider-http-kit, plus what only DVS does on top: bounded retries of reads
// after a 429 or an exhausted quota, and the DVS error table for refusals.
import { parseExternalId, type PhoneNumber, type ProviderError } from '@airtime/domain';
import {
  type AnswerReading,
  type CallKind,
  type ExchangeClientOptions,
  type HttpResponse,
  makeProviderTransport,
  providerFailures,
  throttledWaitMsOf,
} from '@airtime/provider-http-kit';
import { Duration, Effect, Either } from 'effect';
import type { DvsConfig } from '../config/dvs.config';
import { dvsErrorsOf, providerErrorOf } from './dvs-errors.table';
import { encodeJson, type JsonValue } from './dvs-json.codec';
import { DTONE_PROVIDER_ID } from '../config/dvs.config';

export type DvsQueryValue = string | number | boolean | readonly (string | number)[] | undefined;
export type DvsQuery = Readonly<Record<string, DvsQueryValue>>;

export interface DvsRequest {
  readonly method: 'GET' | 'POST';
  /** Below the versioned root: `/products`, `/async/transactions`. */
  readonly path: string;
  readonly query?: DvsQuery | undefined;
  readonly body?: JsonValue | undefined;
  /** `send`: creates, confirms or cancels a transaction, never repeated; `read`: changes nothing. */
  readonly kind: CallKind;
  /** The external id a create carries (to name it in ExternalIdAlreadyUsed, and to file the transfer log). */
  readonly externalId?: string | undefined;
  /**
   * Not sent: the attempt's external id the call is about, to file its
   * exchanges in the transfer log (a status query by external id, a read made
   * for a send); defaults to `externalId`.
   */
  readonly reference?: string | undefined;
  /**
   * Not sent: a call by DVS transaction id (confirm, cancel, get) files its
   * exchange under the `external_id` of the transaction answered, when that
   * is a valid external id (see `externalIdOfAnswer`).
   */
  readonly referenceFromAnswer?: boolean | undefined;
  /** `Accept-Language` of the i18n endpoints. */
  readonly language?: string | undefined;
  /** This call's deadline, when not the configured one (a sync transaction may be held up to 180 s). */
  readonly timeoutMs?: number | undefined;
  /** The phone number the call carries (a create's credit party, a lookup's number): never in a record. */
  readonly destination?: PhoneNumber | undefined;
}

export interface DvsResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The decoded JSON (`null` for an empty body). */
  readonly body: unknown;
}

export interface DvsHttpClient {
  readonly request: (request: DvsRequest) => Effect.Effect<DvsResponse, ProviderError>;
}

export type DvsHttpSettings = Pick<DvsConfig, 'apiKey' | 'apiSecret' | 'baseUrl' | 'timeoutMs' | 'maxRetriesOn429'>;

export interface DvsHttpOptions extends ExchangeClientOptions {
  /** Longest wait this layer accepts before retrying a throttled read; a longer one fails with ProviderRateLimited. */
  readonly maxRateLimitWaitMs?: number | undefined;
}

export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 30_000;

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

const parseJson = (text: string): Either.Either<unknown, 'not JSON'> => {
  if (text.trim() === '') return Either.right(null);
  try {
    return Either.right(JSON.parse(text) as unknown);
  } catch {
    return Either.left('not JSON');
  }
};

/**
 * The `external_id` of the transaction a 2xx DVS answer carries, when it is a
 * valid external id (1..40 characters, no space or control character);
 * undefined otherwise (a refusal, a list, a body that is not a transaction).
 */
export const externalIdOfAnswer = (response: HttpResponse): string | undefined => {
  if (response.status < 200 || response.status > 299) return undefined;
  const body = Either.getOrUndefined(parseJson(response.bodyText));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const externalId: unknown = (body as Record<string, unknown>)['external_id'];
  return typeof externalId === 'string' ? Either.getOrUndefined(parseExternalId(externalId)) : undefined;
};

/**
 * The DVS HTTP layer: HTTP Basic auth, a deadline on every call (covering the
 * body), and the one transport's rules (see `readAnswer` of the kit):
 * - certainly not sent (connection refused, DNS): ProviderUnavailable, for any call;
 * - may have arrived (timeout, connection lost), 408, 5xx or a redirect:
 *   ProviderUnavailable for a read, ProviderOutcomeUnknown for a send;
 * - 429 (Retry-After, else X-Ratelimit-Reset, bounded to an hour) and
 *   `X-Ratelimit-Remaining: 0`: a read waits and tries again, up to
 *   `maxRetriesOn429` times and `maxRateLimitWaitMs` per wait; a send is never
 *   resent and fails with ProviderRateLimited;
 * - DVS error bodies of a 4xx: per code (dvs-errors.table.ts).
 */
export const makeDvsHttpClient = (settings: DvsHttpSettings, options: DvsHttpOptions = {}): DvsHttpClient => {
  const maxWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
  const nowMs = options.nowMs ?? Date.now;
  const credentials = `${settings.apiKey}:${settings.apiSecret}`;
  const basic = Buffer.from(credentials, 'utf8').toString('base64');
  const transport = makeProviderTransport({
    ...options,
    provider: DTONE_PROVIDER_ID,
    baseUrlVariable: 'DTONE_BASE_URL',
    secrets: [settings.apiKey, settings.apiSecret, credentials, basic],
  });
  const { rejected, unreadable } = providerFailures(DTONE_PROVIDER_ID);

  const readingOf = (request: DvsRequest): AnswerReading<DvsResponse> => {
    const what = `${request.method} ${request.path}`;
    return {
      kind: request.kind,
      fetchableExternalId: request.externalId,
      refusal: (response: HttpResponse) =>
        providerErrorOf(dvsErrorsOf(Either.getOrNull(parseJson(response.bodyText))), {
          kind: request.kind,
          httpStatus: response.status,
          retryAfterMs: throttledWaitMsOf(response.headers, nowMs()),
          externalId: request.externalId,
        }),
      success: (response: HttpResponse) =>
        Either.match(parseJson(response.bodyText), {
          onLeft: () =>
            Either.left(unreadable(request.kind, `${what}: HTTP ${response.status} with a body that is not JSON`)),
          onRight: (body) => Either.right({ status: response.status, headers: response.headers, body }),
        }),
    };
  };

  /** The JSON text of the body; a body that cannot be written (NaN, ...) fails typed, before anything is sent. */
  const encodeBody = (request: DvsRequest): Effect.Effect<string | undefined, ProviderError> =>
    Effect.try({
      try: () => (request.body === undefined ? undefined : encodeJson(request.body)),
      catch: (): ProviderError =>
        rejected(
          'INVALID_REQUEST',
          `${request.method} ${request.path} not sent: the request body cannot be written as JSON`,
        ),
    });

  const attempt = (
    request: DvsRequest,
    body: string | undefined,
    retry: number,
  ): Effect.Effect<DvsResponse, ProviderError> =>
    transport
      .call(
        {
          method: request.method,
          url: `${settings.baseUrl}${request.path}${encodeQuery(request.query)}`,
          headers: {
            accept: 'application/json',
            authorization: `Basic ${basic}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(request.language === undefined ? {} : { 'accept-language': request.language }),
          },
          body,
          timeoutMs: request.timeoutMs ?? settings.timeoutMs,
          reference: request.reference ?? request.externalId,
          referenceOfAnswer: request.referenceFromAnswer === true ? externalIdOfAnswer : undefined,
          destination: request.destination,
        },
        readingOf(request),
      )
      .pipe(
        Effect.catchTag('ProviderRateLimited', (throttled) =>
          // only reads wait and try again: a send is never resent
          request.kind === 'read' && retry < settings.maxRetriesOn429 && throttled.retryAfterMs <= maxWaitMs
            ? Effect.sleep(Duration.millis(throttled.retryAfterMs)).pipe(
                Effect.zipRight(attempt(request, body, retry + 1)),
              )
            : Effect.fail(throttled),
        ),
      );

  return {
    request: (request) => Effect.flatMap(encodeBody(request), (body) => attempt(request, body, 0)),
  };
};
