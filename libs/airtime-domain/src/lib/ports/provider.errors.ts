// The failures of an airtime provider, as values. Each carries a reason that
// names fields and kinds (never a value from the provider's answer) and
// whether the same request may succeed later (`retryable`, read with
// `isRetryable`). ProviderOutcomeUnknown and ProviderAnswerMismatch mean the
// request may have been carried out: settle them by a status query or by
// reconciliation, never by a blind resend.
import { taggedError } from '../errors/tagged-error';

/** The provider could not be reached or answered 5xx before taking the request (safe to retry). */
export class ProviderUnavailable extends taggedError('ProviderUnavailable', {
  code: 'PROVIDER_UNAVAILABLE',
  retryable: true,
})<{
  readonly provider: string;
  readonly reason: string;
}>((e) => `${e.provider} unavailable: ${e.reason}`) {}

/** The provider throttled us (HTTP 429); retry no sooner than `retryAfterMs`. */
export class ProviderRateLimited extends taggedError('ProviderRateLimited', {
  code: 'PROVIDER_RATE_LIMITED',
  retryable: true,
})<{
  readonly provider: string;
  readonly retryAfterMs: number;
}>((e) => `${e.provider} rate limit reached; retry after ${e.retryAfterMs} ms`) {}

/**
 * A definite refusal by the provider (bad number, product not available,
 * insufficient provider balance...). `providerCode` is the provider's own
 * error code; `retryable` says whether the same request may later succeed.
 */
export class ProviderRejected extends taggedError('ProviderRejected', {
  code: 'PROVIDER_REJECTED',
  retryable: 'per-instance',
})<{
  readonly provider: string;
  readonly providerCode: string;
  readonly reason: string;
  readonly retryable: boolean;
  /** The refusal hints that the number moved to another operator: look the operator up again. */
  readonly suggestsOperatorLookup?: boolean | undefined;
}>((e) => `${e.provider} refused (${e.providerCode}): ${e.reason}`) {}

/**
 * The provider already has a transaction under this external id (DVS
 * 1007001). Not a failure: the existing transaction is the answer, to be
 * fetched with `statusByExternalId`, never a reason to void or fail over.
 */
export class ExternalIdAlreadyUsed extends taggedError('ExternalIdAlreadyUsed', {
  code: 'EXTERNAL_ID_ALREADY_USED',
  retryable: false,
})<{
  readonly provider: string;
  readonly providerExternalId: string;
}>((e) => `${e.provider} already has external id ${e.providerExternalId}: fetch that transaction`) {}

/**
 * The provider offers no way to ask what became of an external id (Africa's
 * Talking, engageSPARK). An unknown outcome there is settled by the
 * provider's callback or by manual reconciliation, never by a resend.
 */
export class StatusQueryUnsupported extends taggedError('StatusQueryUnsupported', {
  code: 'STATUS_QUERY_UNSUPPORTED',
  retryable: false,
})<{
  readonly provider: string;
  readonly howToSettle: string;
}>((e) => `${e.provider} cannot be asked for a transaction's status: ${e.howToSettle}`) {}

/**
 * The provider offers no list of its transactions (Africa's Talking,
 * engageSPARK): its top-ups are reconciled by status callbacks, statements
 * and an operator's decision, never by matching a list.
 */
export class TransactionListUnsupported extends taggedError('TransactionListUnsupported', {
  code: 'TRANSACTION_LIST_UNSUPPORTED',
  retryable: false,
})<{
  readonly provider: string;
  readonly howToReconcile: string;
}>((e) => `${e.provider} cannot list its transactions: ${e.howToReconcile}`) {}

/**
 * Why a send's outcome is unknown, as the adapter knows it:
 * - `TIMEOUT`: no (complete) answer within the deadline, or HTTP 408;
 * - `CONNECTION_LOST`: the connection broke after the request left;
 * - `SERVER_ERROR`: HTTP 5xx after the request was sent;
 * - `REDIRECT`: HTTP 3xx, never followed (the request may have been taken where it was sent);
 * - `CONFLICT`: our key is already used (HTTP 409, DVS 1007001), and the transaction it names cannot be fetched;
 * - `UNREADABLE_ANSWER`: an answer to the send that cannot be read (undecodable, cut, 1xx, fields missing);
 * - `UNPROVEN_REFUSAL`: an error answer that does not prove the request was refused before it was processed.
 */
export type UnknownOutcomeKind =
  'TIMEOUT' | 'CONNECTION_LOST' | 'SERVER_ERROR' | 'REDIRECT' | 'CONFLICT' | 'UNREADABLE_ANSWER' | 'UNPROVEN_REFUSAL';

/**
 * The request was sent but no answer came back that settles it (timeout, 5xx
 * after sending...): the outcome is unknown. `kind` says why, always (the
 * attempt's unknown reason is read from it); `reason` is for people, never to
 * be parsed.
 */
export class ProviderOutcomeUnknown extends taggedError('ProviderOutcomeUnknown', {
  code: 'PROVIDER_OUTCOME_UNKNOWN',
  retryable: false,
})<{
  readonly provider: string;
  readonly reason: string;
  readonly kind: UnknownOutcomeKind;
}>((e) => `${e.provider} outcome unknown: ${e.reason}`) {}

/**
 * The provider's answer to a send does not hold to what was asked: another
 * transaction's external id, another currency, an amount that is not
 * positive, above what was asked, or not readable exactly. The request may
 * have been carried out, so the outcome is unknown: settle it by a status
 * query or by reconciliation, never resend, never capture blindly.
 * `field` names the answer's field (e.g. `adjusted_values.destination.amount`);
 * `reason` names the kind of mismatch, never the value.
 */
export class ProviderAnswerMismatch extends taggedError('ProviderAnswerMismatch', {
  code: 'PROVIDER_ANSWER_MISMATCH',
  retryable: false,
})<{
  readonly provider: string;
  readonly field: string;
  readonly reason: string;
}>((e) => `${e.provider} answer does not match the request at ${e.field}: ${e.reason}`) {}

/**
 * A refusal that means "not now" (Africa's Talking's "A duplicate request was
 * received within the last 5 minutes", an operator's "recently topped up"):
 * nothing was sent, and the same request may succeed from `earliestRetryAt` on.
 */
export class ProviderRetryLater extends taggedError('ProviderRetryLater', {
  code: 'PROVIDER_RETRY_LATER',
  retryable: true,
})<{
  readonly provider: string;
  readonly reason: string;
  readonly earliestRetryAt: Date;
}>((e) => `${e.provider} asks to retry later (not before ${e.earliestRetryAt.toISOString()}): ${e.reason}`) {}

/** The provider answered something we cannot decode (schema drift, garbage). */
export class ProviderResponseInvalid extends taggedError('ProviderResponseInvalid', {
  code: 'PROVIDER_RESPONSE_INVALID',
  retryable: false,
})<{
  readonly provider: string;
  readonly reason: string;
}>((e) => `${e.provider} answered an undecodable response: ${e.reason}`) {}

/** A callback body that is not a valid notification of this provider. */
export class InvalidProviderCallback extends taggedError('InvalidProviderCallback', {
  code: 'INVALID_PROVIDER_CALLBACK',
  retryable: false,
})<{
  readonly provider: string;
  readonly reason: string;
}>((e) => `invalid ${e.provider} callback: ${e.reason}`) {}

export type ProviderError =
  | ProviderUnavailable
  | ProviderRateLimited
  | ProviderRejected
  | ProviderOutcomeUnknown
  | ProviderAnswerMismatch
  | ProviderRetryLater
  | ExternalIdAlreadyUsed
  | StatusQueryUnsupported
  | TransactionListUnsupported
  | ProviderResponseInvalid;
