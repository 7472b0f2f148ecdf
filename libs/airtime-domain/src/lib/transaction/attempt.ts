import { retryLaterDelayMinutesOf } from './retry.policy';
import type { ExternalId } from './external-id';
import {
  describeStatus,
  type DetailedStatusOf,
  type FailureClass,
  type PendingClass,
  type TransactionStatus,
} from './transaction-status';

/** Why an attempt failed for certain. */
export type AttemptFailureReason =
  /** The operator is unavailable (e.g. DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE). */
  | 'OPERATOR_UNAVAILABLE'
  /** The provider answered 5xx before the request was sent on. */
  | 'PROVIDER_UNAVAILABLE'
  /** HTTP 429. */
  | 'RATE_LIMITED'
  /** The request timed out before it was sent (e.g. connecting). */
  | 'TIMEOUT_BEFORE_SEND'
  /** An unknown outcome the provider, asked by external id, never received. */
  | 'NOT_FOUND_AT_PROVIDER'
  /**
   * Refused for now, nothing sent: a duplicate within the provider's window
   * or a limit on the credit party (`RETRY_LATER_DELAY_MINUTES`, Africa's
   * Talking's 5-minute duplicate rule); retried no sooner than its delay.
   */
  | 'RETRY_LATER'
  | 'DECLINED_BY_OPERATOR'
  | 'REJECTED_BY_PROVIDER'
  | 'CANCELLED_AT_PROVIDER'
  | 'INVALID_REQUEST';

export const RETRYABLE_FAILURE_REASONS: readonly AttemptFailureReason[] = [
  'OPERATOR_UNAVAILABLE',
  'PROVIDER_UNAVAILABLE',
  'RATE_LIMITED',
  'TIMEOUT_BEFORE_SEND',
  'NOT_FOUND_AT_PROVIDER',
  'RETRY_LATER',
];

export const isRetryableFailureReason = (reason: AttemptFailureReason): boolean =>
  RETRYABLE_FAILURE_REASONS.includes(reason);

/** Why the outcome of a sent request is not known. */
export type UnknownOutcomeReason =
  | 'TIMEOUT_AFTER_SEND'
  | 'SERVER_ERROR_AFTER_SEND'
  | 'CONNECTION_LOST_AFTER_SEND'
  /**
   * An answer came that does not settle the send: a redirect, a conflict on
   * our key, an answer that cannot be read or does not hold to the request,
   * an error that does not prove a refusal.
   */
  | 'UNCLEAR_ANSWER_AFTER_SEND'
  /** The provider's adapter did not say why. */
  | 'UNSPECIFIED_AFTER_SEND'
  /** The last attempt was "not found" once: asked again after a grace period before the hold is voided. */
  | 'NOT_FOUND_AWAITING_CONFIRMATION';

export interface AttemptFailure {
  readonly reason: AttemptFailureReason;
  readonly retryable: boolean;
  readonly detail?: string | undefined;
}

/** What a send to the provider came back with. */
export type AttemptOutcome =
  /** Delivered: COMPLETED. */
  | { readonly _tag: 'Succeeded'; readonly providerTransactionId: string }
  /** The provider holds it and will call back (CREATED, CONFIRMED or SUBMITTED). */
  | {
      readonly _tag: 'Accepted';
      readonly providerTransactionId: string;
      readonly status: DetailedStatusOf<PendingClass>;
    }
  /** Failed for certain; `status` is the DVS status it failed with (plain DECLINED when none was given). */
  | {
      readonly _tag: 'Failed';
      readonly reason: AttemptFailureReason;
      readonly retryable: boolean;
      readonly status: DetailedStatusOf<FailureClass>;
      readonly providerTransactionId?: string | undefined;
      readonly detail?: string | undefined;
      /** The earliest time to try again, when the provider named one (a "not now" refusal). */
      readonly notBefore?: Date | undefined;
    }
  /** Sent, but no answer (timeout or 5xx after sending): the provider must be asked before anything else. */
  | { readonly _tag: 'Unknown'; readonly reason: UnknownOutcomeReason; readonly detail?: string };

export const attemptSucceeded = (providerTransactionId: string): AttemptOutcome => ({
  _tag: 'Succeeded',
  providerTransactionId,
});

export const attemptAccepted = (
  providerTransactionId: string,
  status: DetailedStatusOf<PendingClass> = 'CONFIRMED',
): AttemptOutcome => ({ _tag: 'Accepted', providerTransactionId, status });

/** A definite failure; `retryable` defaults from the reason, `status` to plain DECLINED. */
export const attemptFailed = (fields: {
  readonly reason: AttemptFailureReason;
  readonly retryable?: boolean | undefined;
  readonly status?: DetailedStatusOf<FailureClass> | undefined;
  readonly providerTransactionId?: string | undefined;
  readonly detail?: string | undefined;
  readonly notBefore?: Date | undefined;
}): AttemptOutcome => ({
  ...fields,
  _tag: 'Failed',
  retryable: fields.retryable ?? isRetryableFailureReason(fields.reason),
  status: fields.status ?? 'DECLINED',
});

export const attemptUnknown = (reason: UnknownOutcomeReason, detail?: string): AttemptOutcome =>
  detail === undefined ? { _tag: 'Unknown', reason } : { _tag: 'Unknown', reason, detail };

/** The provider's answer to "what happened to this external id?". */
export type ProviderStatusAnswer =
  | { readonly _tag: 'Found'; readonly status: TransactionStatus; readonly providerTransactionId?: string }
  /** The provider never received it. */
  | { readonly _tag: 'NotFound' };

export const providerFound = (status: TransactionStatus, providerTransactionId?: string): ProviderStatusAnswer =>
  providerTransactionId === undefined ? { _tag: 'Found', status } : { _tag: 'Found', status, providerTransactionId };

export const providerNotFound: ProviderStatusAnswer = { _tag: 'NotFound' };

/**
 * The failure a provider's failure status stands for: the operator being
 * unavailable and the "not now" statuses (`RETRY_LATER_DELAY_MINUTES`) are
 * retryable, every other failure is not.
 */
export const failureOfStatus = (status: TransactionStatus): AttemptFailure => {
  const detail = describeStatus(status.status);
  if (status.status.endsWith('-OPERATOR-CURRENTLY-UNAVAILABLE')) {
    return { reason: 'OPERATOR_UNAVAILABLE', retryable: true, detail };
  }
  if (retryLaterDelayMinutesOf(status) !== undefined) return { reason: 'RETRY_LATER', retryable: true, detail };
  switch (status.class) {
    case 'REJECTED':
      return { reason: 'REJECTED_BY_PROVIDER', retryable: false, detail };
    case 'CANCELLED':
      return { reason: 'CANCELLED_AT_PROVIDER', retryable: false, detail };
    default:
      return { reason: 'DECLINED_BY_OPERATOR', retryable: false, detail };
  }
};

/**
 * Where an attempt stands. `InFlight`: started, no answer recorded (after a
 * crash it is as unknown as `Unknown`); `Pending`: the provider holds it;
 * `Unknown`: sent without an answer; `Succeeded` / `Failed`: settled.
 */
export type AttemptState = 'InFlight' | 'Pending' | 'Unknown' | 'Succeeded' | 'Failed';

/** One send of a top-up to a provider. */
export interface Attempt {
  /** 1-based. */
  readonly number: number;
  readonly providerExternalId: ExternalId;
  /** Which provider it was sent to, for status queries and failover. */
  readonly providerId: string | undefined;
  readonly startedAt: Date;
  readonly state: AttemptState;
  /** The last status the provider reported for this attempt. */
  readonly providerStatus: TransactionStatus | undefined;
  readonly providerTransactionId: string | undefined;
  readonly failure: AttemptFailure | undefined;
  readonly unknownReason: UnknownOutcomeReason | undefined;
  readonly updatedAt: Date;
}

/** Settled for certain: a new attempt may follow a failed one. */
export const isSettled = (attempt: Attempt): boolean => attempt.state === 'Succeeded' || attempt.state === 'Failed';

/** How to find an attempt: its number, the external id we gave it, or the provider's transaction id. */
export type AttemptRef =
  | { readonly attemptNumber: number }
  | { readonly providerExternalId: string }
  | { readonly providerTransactionId: string };

export const findAttempt = (attempts: readonly Attempt[], ref: AttemptRef | undefined): Attempt | undefined => {
  if (ref === undefined) return attempts[attempts.length - 1];
  if ('attemptNumber' in ref) return attempts.find((attempt) => attempt.number === ref.attemptNumber);
  // a resend after "not found" reuses the external id: the latest attempt holding it is the live one
  if ('providerExternalId' in ref)
    return [...attempts].reverse().find((attempt) => attempt.providerExternalId === ref.providerExternalId);
  return attempts.find((attempt) => attempt.providerTransactionId === ref.providerTransactionId);
};
