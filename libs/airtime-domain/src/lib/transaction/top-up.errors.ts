import type { AttemptState } from './attempt';
import type { TransactionStatus } from './transaction-status';
import { taggedError } from '../errors/tagged-error';

/** A top-up that cannot be created as given. */
export class InvalidTopUp extends taggedError('InvalidTopUp', { code: 'INVALID_TOP_UP', retryable: false })<{
  readonly topUpId: string;
  readonly reason: string;
}>((e) => `invalid top-up "${e.topUpId}": ${e.reason}`) {}

/** The top-up has reached a final class: nothing is sent for it any more. */
export class TopUpAlreadyFinal extends taggedError('TopUpAlreadyFinal', {
  code: 'TOP_UP_ALREADY_FINAL',
  retryable: false,
})<{
  readonly topUpId: string;
  readonly status: TransactionStatus;
}>((e) => `top-up "${e.topUpId}" is already ${e.status.status}`) {}

/**
 * The last attempt is not settled (in flight, pending at the provider, or of
 * unknown outcome): it is never resent or voided blindly; the provider is
 * asked by external id first.
 */
export class UnresolvedAttempt extends taggedError('UnresolvedAttempt', {
  code: 'UNRESOLVED_ATTEMPT',
  retryable: false,
})<{
  readonly topUpId: string;
  readonly attemptNumber: number;
  readonly state: AttemptState;
}>((e) => `top-up "${e.topUpId}": attempt ${e.attemptNumber} is ${e.state}, resolve it first`) {}

/** A retry asked for before the schedule allows it. */
export class AttemptNotDue extends taggedError('AttemptNotDue', { code: 'ATTEMPT_NOT_DUE', retryable: false })<{
  readonly topUpId: string;
  readonly nextAttemptAt: Date;
  readonly now: Date;
}>((e) => `top-up "${e.topUpId}": next attempt is due at ${e.nextAttemptAt.toISOString()}`) {}

/** Every attempt of the retry schedule has been made. */
export class AttemptsExhausted extends taggedError('AttemptsExhausted', {
  code: 'ATTEMPTS_EXHAUSTED',
  retryable: false,
})<{
  readonly topUpId: string;
  readonly attemptsMade: number;
}>((e) => `top-up "${e.topUpId}": all ${e.attemptsMade} attempts have been made`) {}

/** No attempt matches (or none has been started). */
export class AttemptNotFound extends taggedError('AttemptNotFound', { code: 'ATTEMPT_NOT_FOUND', retryable: false })<{
  readonly topUpId: string;
  readonly ref: string;
}>((e) => `top-up "${e.topUpId}" has no attempt ${e.ref}`) {}

/**
 * A resend after "not found" must go to the same provider under the same
 * external id: the original request may still arrive there, and only that
 * provider's duplicate check can stop a second delivery. Failover waits for
 * a definite failure.
 */
export class FailoverNotAllowed extends taggedError('FailoverNotAllowed', {
  code: 'FAILOVER_NOT_ALLOWED',
  retryable: false,
})<{
  readonly topUpId: string;
  readonly fromProviderId: string | undefined;
  readonly toProviderId: string | undefined;
}>(
  (e) =>
    `top-up ${e.topUpId}: the provider never saw its last attempt, which may still arrive; resend it to ${e.fromProviderId ?? 'the same provider'}, not ${e.toProviderId ?? 'another'}`,
) {}
