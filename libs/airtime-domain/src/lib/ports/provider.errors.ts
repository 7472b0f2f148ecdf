import { Data } from 'effect';

/**
 * Every provider failure carries a reason and whether trying again later
 * may succeed. `outcomeKnown: false` means the request may have reached the
 * provider: it must be settled by a status query, never resent blindly.
 */

/** The provider could not be reached or answered 5xx before taking the request (safe to retry). */
export class ProviderUnavailable extends Data.TaggedError('ProviderUnavailable')<{
  readonly provider: string;
  readonly reason: string;
}> {
  readonly code = 'PROVIDER_UNAVAILABLE' as const;
  readonly retryable = true as const;
  override get message(): string {
    return `${this.provider} unavailable: ${this.reason}`;
  }
}

/** The provider throttled us (HTTP 429); retry no sooner than `retryAfterMs`. */
export class ProviderRateLimited extends Data.TaggedError('ProviderRateLimited')<{
  readonly provider: string;
  readonly retryAfterMs: number;
}> {
  readonly code = 'PROVIDER_RATE_LIMITED' as const;
  readonly retryable = true as const;
  override get message(): string {
    return `${this.provider} rate limit reached; retry after ${this.retryAfterMs} ms`;
  }
}

/**
 * A definite refusal by the provider (bad number, product not available,
 * insufficient provider balance...). `providerCode` is the provider's own
 * error code; `retryable` says whether the same request may later succeed.
 */
export class ProviderRejected extends Data.TaggedError('ProviderRejected')<{
  readonly provider: string;
  readonly providerCode: string;
  readonly reason: string;
  readonly retryable: boolean;
  /** The refusal hints that the number moved to another operator: look the operator up again. */
  readonly suggestsOperatorLookup?: boolean;
}> {
  readonly code = 'PROVIDER_REJECTED' as const;
  override get message(): string {
    return `${this.provider} refused (${this.providerCode}): ${this.reason}`;
  }
}

/**
 * The provider already has a transaction under this external id (DVS
 * 1007001). Not a failure: the existing transaction is the answer, to be
 * fetched with `statusByExternalId`, never a reason to void or fail over.
 */
export class ExternalIdAlreadyUsed extends Data.TaggedError('ExternalIdAlreadyUsed')<{
  readonly provider: string;
  readonly providerExternalId: string;
}> {
  readonly code = 'EXTERNAL_ID_ALREADY_USED' as const;
  readonly retryable = false as const;
  override get message(): string {
    return `${this.provider} already has external id ${this.providerExternalId}: fetch that transaction`;
  }
}

/**
 * The provider offers no way to ask what became of an external id (Africa's
 * Talking, engageSPARK). An unknown outcome there is settled by the
 * provider's callback or by manual reconciliation, never by a resend.
 */
export class StatusQueryUnsupported extends Data.TaggedError('StatusQueryUnsupported')<{
  readonly provider: string;
  readonly howToSettle: string;
}> {
  readonly code = 'STATUS_QUERY_UNSUPPORTED' as const;
  readonly retryable = false as const;
  override get message(): string {
    return `${this.provider} cannot be asked for a transaction's status: ${this.howToSettle}`;
  }
}

/** The request was sent but no answer came back (timeout, 5xx after sending): the outcome is unknown. */
export class ProviderOutcomeUnknown extends Data.TaggedError('ProviderOutcomeUnknown')<{
  readonly provider: string;
  readonly reason: string;
}> {
  readonly code = 'PROVIDER_OUTCOME_UNKNOWN' as const;
  readonly retryable = false as const;
  override get message(): string {
    return `${this.provider} outcome unknown: ${this.reason}`;
  }
}

/**
 * The provider's answer to a send does not hold to what was asked: another
 * transaction's external id, another currency, an amount that is not
 * positive, above what was asked, or not readable exactly. The request may
 * have been carried out, so the outcome is unknown: settle it by a status
 * query or by reconciliation, never resend, never capture blindly.
 * `field` names the answer's field (e.g. `adjusted_values.destination.amount`);
 * `reason` names the kind of mismatch, never the value.
 */
export class ProviderAnswerMismatch extends Data.TaggedError('ProviderAnswerMismatch')<{
  readonly provider: string;
  readonly field: string;
  readonly reason: string;
}> {
  readonly code = 'PROVIDER_ANSWER_MISMATCH' as const;
  readonly retryable = false as const;
  override get message(): string {
    return `${this.provider} answer does not match the request at ${this.field}: ${this.reason}`;
  }
}

/**
 * A refusal that means "not now" (Africa's Talking's "A duplicate request was
 * received within the last 5 minutes", an operator's "recently topped up"):
 * nothing was sent, and the same request may succeed from `earliestRetryAt` on.
 */
export class ProviderRetryLater extends Data.TaggedError('ProviderRetryLater')<{
  readonly provider: string;
  readonly reason: string;
  readonly earliestRetryAt: Date;
}> {
  readonly code = 'PROVIDER_RETRY_LATER' as const;
  readonly retryable = true as const;
  override get message(): string {
    return `${this.provider} asks to retry later (not before ${this.earliestRetryAt.toISOString()}): ${this.reason}`;
  }
}

/** The provider answered something we cannot decode (schema drift, garbage). */
export class ProviderResponseInvalid extends Data.TaggedError('ProviderResponseInvalid')<{
  readonly provider: string;
  readonly reason: string;
}> {
  readonly code = 'PROVIDER_RESPONSE_INVALID' as const;
  readonly retryable = false as const;
  override get message(): string {
    return `${this.provider} answered an undecodable response: ${this.reason}`;
  }
}

/** A callback body that is not a valid notification of this provider. */
export class InvalidProviderCallback extends Data.TaggedError('InvalidProviderCallback')<{
  readonly provider: string;
  readonly reason: string;
}> {
  readonly code = 'INVALID_PROVIDER_CALLBACK' as const;
  override get message(): string {
    return `invalid ${this.provider} callback: ${this.reason}`;
  }
}

export type ProviderError =
  | ProviderUnavailable
  | ProviderRateLimited
  | ProviderRejected
  | ProviderOutcomeUnknown
  | ProviderAnswerMismatch
  | ProviderRetryLater
  | ExternalIdAlreadyUsed
  | StatusQueryUnsupported
  | ProviderResponseInvalid;
