// What an exchange with a provider comes to, the same for every adapter: the transport failures, the
// statuses every provider means alike (408, 409, 429, 3xx, 5xx), and the adapter's reading of the rest.
import {
  ExternalIdAlreadyUsed,
  type ProviderError,
  ProviderOutcomeUnknown,
  ProviderRejected,
  ProviderResponseInvalid,
  ProviderUnavailable,
  type UnknownOutcomeKind,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import { type HttpExchange, type HttpResponse, MAX_ANSWER_BYTES } from './http-exchange.client';
import type { RateLimitGate } from './rate-limit.policy';

/**
 * `send`: asks the provider to do something that moves money (a top-up, a
 * confirm, a cancel): never repeated, and any answer but a definite one is an
 * unknown outcome. `read`: changes nothing (discovery, status, balances): safe
 * to repeat, and a failure is only unavailability or an unreadable answer.
 */
export type CallKind = 'send' | 'read';

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
      kind: 'UNREADABLE_ANSWER',
    }),
  /** An answer that cannot be read: an unknown outcome for a send, an invalid answer for a read. */
  unreadable: (kind: CallKind, reason: string): ProviderError =>
    kind === 'send'
      ? new ProviderOutcomeUnknown({
          provider,
          reason: `the request was accepted but its answer could not be read: ${reason}`,
          kind: 'UNREADABLE_ANSWER',
        })
      : new ProviderResponseInvalid({ provider, reason }),
});

/** How one adapter reads the answers to one request. */
export interface AnswerReading<A> {
  readonly kind: CallKind;
  /**
   * The key of a send, set only by an adapter that can fetch a transaction by
   * it (DT One's `GET /transactions?external_id=`): a 409 then says it was
   * already used (ExternalIdAlreadyUsed: "fetch that transaction"). Without
   * it, a 409 to a send is an unknown outcome: the adapter could never learn
   * what became of the request, so it is never read as "already used".
   */
  readonly fetchableExternalId?: string | undefined;
  /**
   * A 4xx answer (408, 409 of a send and 429 aside), whole when it answers a
   * send (a cut one is an unknown outcome). Its reason names fields and kinds,
   * never values.
   */
  readonly refusal: (response: HttpResponse) => ProviderError;
  /** A complete 2xx answer. */
  readonly success: (response: HttpResponse) => Either.Either<A, ProviderError>;
}

/** What the transport knows of the provider, for reasons. */
export interface AnswerContext {
  readonly provider: string;
  /** The variable that sets the provider's URL, named when a redirect suggests it is wrong. */
  readonly baseUrlVariable: string;
}

/**
 * An answered exchange, 429 aside (the gate handles it).
 *
 * | answer                  | send (ProviderOutcomeUnknown's kind)        | read                      |
 * | ----------------------- | ------------------------------------------- | ------------------------- |
 * | 2xx, whole              | `success`                                   | `success`                 |
 * | 2xx, too large          | ProviderOutcomeUnknown (UNREADABLE_ANSWER)  | ProviderResponseInvalid   |
 * | 4xx, too large          | ProviderOutcomeUnknown (UNREADABLE_ANSWER)  | `refusal`                 |
 * | 1xx                     | ProviderOutcomeUnknown (UNREADABLE_ANSWER)  | ProviderResponseInvalid   |
 * | 3xx (never followed)    | ProviderOutcomeUnknown (REDIRECT)           | ProviderUnavailable       |
 * | 408                     | ProviderOutcomeUnknown (TIMEOUT)            | ProviderUnavailable       |
 * | 5xx                     | ProviderOutcomeUnknown (SERVER_ERROR)       | ProviderUnavailable       |
 * | 409, fetchable key      | ExternalIdAlreadyUsed                       | `refusal`                 |
 * | 409, no fetchable key   | ProviderOutcomeUnknown (CONFLICT)           | `refusal`                 |
 * | other 4xx, whole        | `refusal`                                   | `refusal`                 |
 */
export const readAnswer = <A>(
  response: HttpResponse,
  reading: AnswerReading<A>,
  context: AnswerContext,
): Either.Either<A, ProviderError> => {
  const { provider } = context;
  const { status } = response;
  const send = reading.kind === 'send';
  const unavailable = (reason: string) => Either.left(new ProviderUnavailable({ provider, reason }));
  const unknownOutcome = (kind: UnknownOutcomeKind, reason: string) =>
    Either.left(new ProviderOutcomeUnknown({ provider, reason, kind }));
  // a server error or a request timeout (408): a send may have been acted on
  if (status >= 500 || status === 408) {
    return send
      ? unknownOutcome(status === 408 ? 'TIMEOUT' : 'SERVER_ERROR', `HTTP ${status} after the request was sent`)
      : unavailable(`HTTP ${status}`);
  }
  // redirects are never followed: the request may have been taken where it was sent, or the base URL is wrong
  if (status >= 300 && status < 400) {
    const reason = `HTTP ${status}, a redirect, which is never followed: check ${context.baseUrlVariable}`;
    return send ? unknownOutcome('REDIRECT', `${reason} (the request was sent)`) : unavailable(reason);
  }
  // a conflict on our key (the provider's idempotency key): it was already used, not a failure, when the
  // adapter can fetch that transaction; otherwise nothing tells what became of it
  if (status === 409 && send)
    return reading.fetchableExternalId === undefined
      ? unknownOutcome('CONFLICT', 'HTTP 409 (a conflict) to a send, and no transaction to fetch by our key')
      : Either.left(new ExternalIdAlreadyUsed({ provider, providerExternalId: reading.fetchableExternalId }));
  const { unreadable } = providerFailures(provider);
  const tooLarge = `the body is larger than the ${MAX_ANSWER_BYTES} bytes read`;
  // a cut 4xx answer to a send proves no refusal: what was cut off may name a transaction
  if (status >= 400 && send && response.truncated === true) return Either.left(unreadable('send', tooLarge));
  if (status >= 400) return Either.left(reading.refusal(response));
  if (status < 200) return Either.left(unreadable(reading.kind, `unexpected HTTP ${status}`));
  if (response.truncated === true) return Either.left(unreadable(reading.kind, tooLarge));
  return reading.success(response);
};

/**
 * What an exchange comes to: "certainly not sent" is `ProviderUnavailable`;
 * "may have arrived" is `ProviderOutcomeUnknown` for a send (of the
 * transport failure's kind, TIMEOUT or CONNECTION_LOST),
 * `ProviderUnavailable` for a read; an answer goes through the rate-limit gate
 * (a 429 fails there), then `readAnswer`.
 */
export const interpretExchange = <A>(
  exchange: HttpExchange,
  gate: RateLimitGate,
  reading: AnswerReading<A>,
  context: AnswerContext,
): Effect.Effect<A, ProviderError> => {
  const { outcome } = exchange;
  const { provider } = context;
  switch (outcome._tag) {
    case 'NotSent':
      return Effect.fail(new ProviderUnavailable({ provider, reason: `nothing was sent: ${outcome.reason}` }));
    case 'NoAnswer':
      return Effect.fail(
        reading.kind === 'send'
          ? new ProviderOutcomeUnknown({
              provider,
              reason: `the request was sent: ${outcome.reason}`,
              kind: outcome.kind,
            })
          : new ProviderUnavailable({ provider, reason: outcome.reason }),
      );
    case 'Answered':
      return Effect.zipRight(gate.observe(outcome.response), readAnswer(outcome.response, reading, context));
  }
};
