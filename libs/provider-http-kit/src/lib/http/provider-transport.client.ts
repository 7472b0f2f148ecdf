// The one transport of every provider adapter (DT One DVS, Africa's Talking, engageSPARK): the rate-limit gate,
// one exchange on fetch, its redacted transfer-log record, and what it comes to, by one set of rules.
import type { PhoneNumber, ProviderError } from '@airtime/domain';
import { Effect } from 'effect';
import { redactExchange, type TransferLogRecord } from './exchange.redaction';
import { type HttpRequest, performExchange } from './http-exchange.client';
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
}

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
        const { destination, ...request } = call;
        const exchange = yield* performExchange(request, { fetch: settings.fetch, nowMs: settings.nowMs });
        yield* record(redactExchange(provider, exchange, { secrets, destination }));
        return yield* interpretExchange(exchange, gate, reading, context);
      }),
  };
};
