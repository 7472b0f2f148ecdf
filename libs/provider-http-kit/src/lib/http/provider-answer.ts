import {
  ExternalIdAlreadyUsed,
  type ProviderError,
  ProviderOutcomeUnknown,
  ProviderRejected,
  ProviderResponseInvalid,
  ProviderUnavailable,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { TransferLogRecord } from './exchange.redaction';
import type { HttpExchange, HttpResponse } from './http-exchange.client';
import type { RateLimitGate } from './rate-limit.gate';

/** Options of a provider's HTTP client. */
export interface ExchangeClientOptions {
  /** Receives the redacted record of every exchange (the top-up's transfer log). */
  readonly onExchange?: (record: TransferLogRecord) => Effect.Effect<void>;
  readonly rateLimitGate?: RateLimitGate;
}

/** The errors a provider's answers come to, in that provider's name. */
export const providerFailures = (provider: string) => ({
  rejected: (providerCode: string, reason: string, retryable = false) =>
    new ProviderRejected({ provider, providerCode, reason, retryable }),
  /** An undecodable answer to a read (nothing was sent): never for an answer to a send. */
  invalid: (reason: string) => new ProviderResponseInvalid({ provider, reason }),
  /**
   * An answer to a send that cannot be read (undecodable, unexpected): the
   * provider accepted the request, so it may deliver: never a definite failure.
   */
  unknown: (reason: string) =>
    new ProviderOutcomeUnknown({
      provider,
      reason: `the request was accepted but its answer could not be read: ${reason}`,
    }),
});

/** The first line of a body, at most 200 characters. */
export const firstLine = (text: string): string => text.trim().split('\n')[0]?.slice(0, 200) ?? '';

/** How one provider reads the answers to one request. */
export interface AnswerReading<A> {
  readonly provider: string;
  /** Our reference of the request: a 409 says it was already used. */
  readonly providerExternalId: string;
  /** The variable to check when the provider redirects (redirects are never followed). */
  readonly baseUrlVariable: string;
  /** A 4xx answer (408 and 429 aside). */
  readonly refusal: (response: HttpResponse) => ProviderError;
  /** A 2xx answer. */
  readonly success: (response: HttpResponse) => Either.Either<A, ProviderError>;
}

/**
 * An answered exchange, 429 aside (the gate handles it). Read as the answer
 * to a send: anything but a definite answer is an unknown outcome.
 */
export const readAnswer = <A>(response: HttpResponse, reading: AnswerReading<A>): Either.Either<A, ProviderError> => {
  const { provider } = reading;
  const { status } = response;
  // a server error or a request timeout (408) after sending: the provider may have acted on it
  if (status >= 500 || status === 408) {
    return Either.left(new ProviderOutcomeUnknown({ provider, reason: `HTTP ${status} after the request was sent` }));
  }
  // a conflict on our reference (the provider's idempotency key): it was already used, not a failure
  if (status === 409)
    return Either.left(new ExternalIdAlreadyUsed({ provider, providerExternalId: reading.providerExternalId }));
  if (status >= 400) return Either.left(reading.refusal(response));
  if (status >= 300)
    return Either.left(
      providerFailures(provider).rejected(`HTTP_${status}`, `redirected: check ${reading.baseUrlVariable}`),
    );
  if (status < 200) return Either.left(providerFailures(provider).unknown(`unexpected HTTP ${status}`));
  return reading.success(response);
};

/**
 * What an exchange comes to: nothing sent is `ProviderUnavailable`, no answer
 * `ProviderOutcomeUnknown`; an answer goes through the rate-limit gate (a 429
 * fails there), then `readAnswer`.
 */
export const interpretExchange = <A>(
  exchange: HttpExchange,
  gate: RateLimitGate,
  reading: AnswerReading<A>,
): Effect.Effect<A, ProviderError> => {
  const { outcome } = exchange;
  switch (outcome._tag) {
    case 'NotSent':
      return Effect.fail(new ProviderUnavailable({ provider: reading.provider, reason: outcome.reason }));
    case 'NoAnswer':
      return Effect.fail(new ProviderOutcomeUnknown({ provider: reading.provider, reason: outcome.reason }));
    case 'Answered':
      return Effect.zipRight(gate.observe(outcome.response), readAnswer(outcome.response, reading));
  }
};
