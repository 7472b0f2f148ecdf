import { Data } from 'effect';
import type { AttemptState } from './attempt';
import type { TransactionStatus } from './transaction-status';

/** A top-up that cannot be created as given. */
export class InvalidTopUp extends Data.TaggedError('InvalidTopUp')<{
  readonly topUpId: string;
  readonly reason: string;
}> {
  readonly code = 'INVALID_TOP_UP' as const;
  override get message(): string {
    return `invalid top-up "${this.topUpId}": ${this.reason}`;
  }
}

/** The top-up has reached a final class: nothing is sent for it any more. */
export class TopUpAlreadyFinal extends Data.TaggedError('TopUpAlreadyFinal')<{
  readonly topUpId: string;
  readonly status: TransactionStatus;
}> {
  readonly code = 'TOP_UP_ALREADY_FINAL' as const;
  override get message(): string {
    return `top-up "${this.topUpId}" is already ${this.status.status}`;
  }
}

/**
 * The last attempt is not settled (in flight, pending at the provider, or of
 * unknown outcome): it is never resent or voided blindly; the provider is
 * asked by external id first.
 */
export class UnresolvedAttempt extends Data.TaggedError('UnresolvedAttempt')<{
  readonly topUpId: string;
  readonly attemptNumber: number;
  readonly state: AttemptState;
}> {
  readonly code = 'UNRESOLVED_ATTEMPT' as const;
  override get message(): string {
    return `top-up "${this.topUpId}": attempt ${this.attemptNumber} is ${this.state}, resolve it first`;
  }
}

/** A retry asked for before the schedule allows it. */
export class AttemptNotDue extends Data.TaggedError('AttemptNotDue')<{
  readonly topUpId: string;
  readonly nextAttemptAt: Date;
  readonly now: Date;
}> {
  readonly code = 'ATTEMPT_NOT_DUE' as const;
  override get message(): string {
    return `top-up "${this.topUpId}": next attempt is due at ${this.nextAttemptAt.toISOString()}`;
  }
}

/** Every attempt of the retry schedule has been made. */
export class AttemptsExhausted extends Data.TaggedError('AttemptsExhausted')<{
  readonly topUpId: string;
  readonly attemptsMade: number;
}> {
  readonly code = 'ATTEMPTS_EXHAUSTED' as const;
  override get message(): string {
    return `top-up "${this.topUpId}": all ${this.attemptsMade} attempts have been made`;
  }
}

/** No attempt matches (or none has been started). */
export class AttemptNotFound extends Data.TaggedError('AttemptNotFound')<{
  readonly topUpId: string;
  readonly ref: string;
}> {
  readonly code = 'ATTEMPT_NOT_FOUND' as const;
  override get message(): string {
    return `top-up "${this.topUpId}" has no attempt ${this.ref}`;
  }
}

/**
 * A resend after "not found" must go to the same provider under the same
 * external id: the original request may still arrive there, and only that
 * provider's duplicate check can stop a second delivery. Failover waits for
 * a definite failure.
 */
export class FailoverNotAllowed extends Data.TaggedError('FailoverNotAllowed')<{
  readonly topUpId: string;
  readonly fromProviderId: string | undefined;
  readonly toProviderId: string | undefined;
}> {
  readonly code = 'FAILOVER_NOT_ALLOWED' as const;
  override get message(): string {
    return `top-up ${this.topUpId}: the provider never saw its last attempt, which may still arrive; resend it to ${this.fromProviderId ?? 'the same provider'}, not ${this.toProviderId ?? 'another'}`;
  }
}
