// What a send came back with, as the domain reads it: a provider's answer or
// error becomes an attempt outcome (succeeded, accepted, failed with its
// retryability and earliest retry, unknown), or the provider's word about
// the attempt (a transaction fetched after "external id already used").
import {
  attemptAccepted,
  attemptFailed,
  attemptSucceeded,
  attemptUnknown,
  type AttemptOutcome,
  type DetailedStatusOf,
  failureOfStatus,
  type FailureClass,
  isFailureClass,
  isPendingClass,
  type PendingClass,
  providerFound,
  type ProviderError,
  type ProviderStatusAnswer,
  type ProviderTransaction,
  type UnknownOutcomeKind,
  type UnknownOutcomeReason,
} from '@airtime/domain';

export type SendReading =
  /** To record with `recordAttemptOutcome`. */
  | { readonly _tag: 'Outcome'; readonly outcome: AttemptOutcome }
  /** The provider's own word about the attempt, to apply with `resolveUnknownAttempt`. */
  | { readonly _tag: 'Answer'; readonly answer: ProviderStatusAnswer }
  /** The provider already has this external id (DVS 1007001): fetch that transaction. */
  | { readonly _tag: 'AlreadyUsed' };

const outcome = (value: AttemptOutcome): SendReading => ({ _tag: 'Outcome', outcome: value });

/** A transaction the provider answered a send with. */
export const readingOfTransaction = (transaction: ProviderTransaction): SendReading => {
  const { status, providerTransactionId } = transaction;
  if (status.class === 'COMPLETED') return outcome(attemptSucceeded(providerTransactionId));
  if (isPendingClass(status.class))
    return outcome(attemptAccepted(providerTransactionId, status.status as DetailedStatusOf<PendingClass>));
  if (isFailureClass(status.class)) {
    const failure = failureOfStatus(status);
    return outcome(
      attemptFailed({
        reason: failure.reason,
        retryable: failure.retryable,
        status: status.status as DetailedStatusOf<FailureClass>,
        providerTransactionId,
        detail: failure.detail,
      }),
    );
  }
  // REVERSED: delivered, then taken back; the provider's word as any status it reports
  return { _tag: 'Answer', answer: providerFound(status, providerTransactionId) };
};

/** The attempt's unknown reason for each kind of unknown outcome an adapter names (a new kind fails the type-check). */
const UNKNOWN_REASONS: { readonly [Kind in UnknownOutcomeKind]: UnknownOutcomeReason } = {
  TIMEOUT: 'TIMEOUT_AFTER_SEND',
  CONNECTION_LOST: 'CONNECTION_LOST_AFTER_SEND',
  SERVER_ERROR: 'SERVER_ERROR_AFTER_SEND',
  REDIRECT: 'UNCLEAR_ANSWER_AFTER_SEND',
  CONFLICT: 'UNCLEAR_ANSWER_AFTER_SEND',
  UNREADABLE_ANSWER: 'UNCLEAR_ANSWER_AFTER_SEND',
  UNPROVEN_REFUSAL: 'UNCLEAR_ANSWER_AFTER_SEND',
};

/** The attempt's unknown reason for the kind an adapter gave its `ProviderOutcomeUnknown` (a required field). */
export const unknownReasonOf = (kind: UnknownOutcomeKind): UnknownOutcomeReason => UNKNOWN_REASONS[kind];

type ErrorOf<Tag extends ProviderError['_tag']> = Extract<ProviderError, { readonly _tag: Tag }>;

/** Every provider error of a send, by tag (a new kind fails the type-check until it is read here). */
const READINGS: { readonly [Tag in ProviderError['_tag']]: (error: ErrorOf<Tag>, now: Date) => SendReading } = {
  // certainly not sent: retried on the schedule
  ProviderUnavailable: () => outcome(attemptFailed({ reason: 'PROVIDER_UNAVAILABLE', retryable: true })),
  ProviderRateLimited: (error, now) =>
    outcome(
      attemptFailed({
        reason: 'RATE_LIMITED',
        retryable: true,
        notBefore: new Date(now.getTime() + error.retryAfterMs),
      }),
    ),
  ProviderRetryLater: (error) =>
    outcome(
      attemptFailed({ reason: 'RETRY_LATER', retryable: true, notBefore: error.earliestRetryAt, detail: error.reason }),
    ),
  // a definite refusal: retried only when the provider says it may succeed later
  ProviderRejected: (error) =>
    outcome(
      attemptFailed({
        reason: 'REJECTED_BY_PROVIDER',
        retryable: error.retryable,
        status: 'REJECTED',
        detail: `${error.providerCode}: ${error.reason}`,
      }),
    ),
  // may have been carried out: never resent before a status query
  ProviderOutcomeUnknown: (error) => outcome(attemptUnknown(unknownReasonOf(error.kind), error.reason)),
  ProviderAnswerMismatch: (error) =>
    outcome(attemptUnknown('UNCLEAR_ANSWER_AFTER_SEND', `the answer does not match the request at ${error.field}`)),
  ProviderResponseInvalid: (error) => outcome(attemptUnknown('UNCLEAR_ANSWER_AFTER_SEND', error.reason)),
  // not an answer about the send at all: the adapter said nothing of what became of it (the only way to
  // UNSPECIFIED_AFTER_SEND now that every ProviderOutcomeUnknown names its kind; attempts stored before keep it)
  StatusQueryUnsupported: (error) => outcome(attemptUnknown('UNSPECIFIED_AFTER_SEND', error.howToSettle)),
  // likewise: a listing's refusal says nothing of the send
  TransactionListUnsupported: (error) => outcome(attemptUnknown('UNSPECIFIED_AFTER_SEND', error.howToReconcile)),
  ExternalIdAlreadyUsed: () => ({ _tag: 'AlreadyUsed' }),
};

/** A provider error a send failed with; `now` is when the answer came (for a rate limit's wait). */
export const readingOfSendError = (error: ProviderError, now: Date): SendReading =>
  (READINGS[error._tag] as (error: ProviderError, now: Date) => SendReading)(error, now);
