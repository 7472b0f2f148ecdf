// The one transport of every provider adapter (DT One DVS, Africa's Talking, engageSPARK): the rate-limit gate,
// one exchange on fetch, its redacted transfer-log record, and what it comes to, by one set of rules.
import type { PhoneNumber, ProviderError } from '@airtime/domain';
import { Effect } from 'effect';
import { type RedactionScope, redactExchange, redactText, type TransferLogRecord } from './exchange.redaction';
import { type HttpExchange, type HttpRequest, type HttpResponse, performExchange } from './http-exchange.client';
import { type AnswerReading, interpretExchange } from './provider-answer';
import { makeRateLimitGate, type RateLimitGate } from './rate-limit.policy';

/** Options an adapter's client passes on to its transport. */
export interface ExchangeClientOptions {
  /** Receives the redacted record of every exchange (the top-up's transfer log); its failures are ignored. */
  readonly onExchange?: ((record: TransferLogRecord) => Effect.Effect<void>) | undefined;
  /** Shared by the clients of one provider account (defaults to one per transport). */
  readonly rateLimitGate?: RateLimitGate | undefined;
  /** Defaults to Node's global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** The wall clock (epoch ms) of records and of the rate-limit gate; defaults to effect's `Clock`. */
  readonly nowMs?: (() => number) | undefined;
}

export interface ProviderTransportSettings extends ExchangeClientOptions {
  /** The provider id errors and records carry (`dtone`, `africastalking`, `engagespark`). */
  readonly provider: string;
  /** The variable of the provider's URL, named when an answer redirects (redirects are never followed). */
  readonly baseUrlVariable: string;
  /** The configured secrets (keys, tokens, encoded credentials): never in a record or a reason. */
  readonly secrets: readonly string[];
}

/** One call through the transport. */
export interface ProviderCall extends HttpRequest {
  /** The phone number the call is about (a send's destination, a lookup's number): never in a record. */
  readonly destination?: PhoneNumber | undefined;
  /**
   * Not sent: for a call whose `reference` is not known before it leaves (a
   * cancel or a read by the provider's own transaction id), the reference the
   * answer names (the external id of the transaction answered). Its record
   * keeps it only when redaction leaves it as it is (never a number or a
   * secret from a provider's text); otherwise the record has no reference.
   */
  readonly referenceOfAnswer?: ((response: HttpResponse) => string | undefined) | undefined;
}

/**
 * The exchange filed under the reference its answer names, when the call had
 * none and says how to read one; a reader that throws, or a reference that
 * redaction would change, leaves it without.
 */
const withAnswerReference = (
  exchange: HttpExchange,
  referenceOfAnswer: ProviderCall['referenceOfAnswer'],
  scope: RedactionScope,
): HttpExchange => {
  const { request, outcome } = exchange;
  if (request.reference !== undefined || referenceOfAnswer === undefined || outcome._tag !== 'Answered')
    return exchange;
  let reference: string | undefined;
  try {
    reference = referenceOfAnswer(outcome.response);
  } catch {
    return exchange;
  }
  return reference === undefined || reference === '' || redactText(reference, scope) !== reference
    ? exchange
    : { ...exchange, request: { ...request, reference } };
};

export interface ProviderTransport {
  readonly provider: string;
  readonly gate: RateLimitGate;
  /**
   * Sends `call` unless the gate is closed (`ProviderRateLimited`, nothing
   * sent), hands the redacted record to `onExchange`, and reads the outcome
   * with `reading` (see `interpretExchange` and `readAnswer`). Never retries:
   * whoever may repeat a read does it on top.
   */
  readonly call: <A>(call: ProviderCall, reading: AnswerReading<A>) => Effect.Effect<A, ProviderError>;
}

export const makeProviderTransport = (settings: ProviderTransportSettings): ProviderTransport => {
  const { provider, secrets } = settings;
  const gate = settings.rateLimitGate ?? makeRateLimitGate(provider, settings.nowMs);
  const record = (entry: TransferLogRecord): Effect.Effect<void> =>
    settings.onExchange === undefined
      ? Effect.void
      : // a failing log sink never changes the outcome of a call
        Effect.catchAllCause(
          Effect.suspend(() => settings.onExchange?.(entry) ?? Effect.void),
          () => Effect.void,
        );
  const context = { provider, baseUrlVariable: settings.baseUrlVariable };
  return {
    provider,
    gate,
    call: (call, reading) =>
      Effect.gen(function* () {
        yield* gate.admit;
        const { destination, referenceOfAnswer, ...request } = call;
        const exchange = yield* performExchange(request, { fetch: settings.fetch, nowMs: settings.nowMs });
        const scope: RedactionScope = { secrets, destination };
        yield* record(redactExchange(provider, withAnswerReference(exchange, referenceOfAnswer, scope), scope));
        return yield* interpretExchange(exchange, gate, reading, context);
      }),
  };
};
