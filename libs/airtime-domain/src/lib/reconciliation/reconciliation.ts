// The reconciliation's words: our attempts as the books know them, the kinds
// of difference from the provider's list, and which attempts the provider is
// expected to hold at all.
import type { Money } from '../money/money';
import type { PreciseMoney } from '../money/precise-money';
import type { ProviderTransaction } from '../ports/airtime-provider.port';
import type { AttemptFailureReason, AttemptState } from '../transaction/attempt';
import { retryLaterDelayMinutesOf } from '../transaction/retry.policy';
import type { TransactionStatus } from '../transaction/transaction-status';

/** The kinds of difference, in the order a report lists them. */
export const MISMATCH_KINDS = [
  'MISSING_HERE',
  'MISSING_AT_PROVIDER',
  'STATUS_DIFFERS',
  'AMOUNT_DIFFERS',
  'DUPLICATE_AT_PROVIDER',
  'CONFLICTING_LISTINGS',
] as const;

export type MismatchKind = (typeof MISMATCH_KINDS)[number];

/** One attempt of ours at a provider, as the books know it. */
export interface OurAttempt {
  readonly topUpId: string;
  readonly accountId: string;
  /** The caller's external id of the top-up. */
  readonly externalId: string;
  readonly attemptNumber: number;
  readonly isLastAttempt: boolean;
  readonly providerId: string;
  /** Our id for the attempt at the provider: what both sides are matched by. */
  readonly providerExternalId: string;
  readonly providerTransactionId: string | undefined;
  readonly startedAt: Date;
  readonly state: AttemptState;
  /** Our view of this attempt at the provider (for InFlight / Unknown there is none: `state` says so). */
  readonly status: TransactionStatus;
  readonly failureReason: AttemptFailureReason | undefined;
  /** What the beneficiary receives (quote.receive). */
  readonly receive: Money;
  /** What the provider should debit us (quote.costExact). */
  readonly charged: PreciseMoney;
  /** What we captured from the customer (quote.cost). */
  readonly cost: Money;
  readonly topUpStatus: TransactionStatus;
  readonly topUpUpdatedAt: Date;
}

export interface Mismatch {
  readonly kind: MismatchKind;
  readonly providerExternalId: string;
  /** Undefined for MISSING_HERE (and for a duplicate of an id we never sent). */
  readonly ours: OurAttempt | undefined;
  /**
   * [] for MISSING_AT_PROVIDER; two or more for DUPLICATE_AT_PROVIDER, by
   * provider transaction id; for CONFLICTING_LISTINGS every differing listing
   * of the external id's transactions, by transaction id, then status and amounts.
   */
  readonly theirs: readonly ProviderTransaction[];
  /** For people: every difference found, amounts and statuses, never personal data nor a secret. */
  readonly detail: string;
}

export interface MatchOptions {
  readonly now: Date;
  /** An attempt of ours not settled and started less than this long before `now` is in flight, never a mismatch. */
  readonly inFlightGraceMs: number;
}

export interface MatchResult {
  /** External ids whose two sides agree (an attempt expected absent and absent included). */
  readonly matched: number;
  /** Attempts still in flight, by provider external id. */
  readonly inFlight: readonly OurAttempt[];
  /** Sorted by kind (MISMATCH_KINDS order), then provider external id. */
  readonly mismatches: readonly Mismatch[];
}

/** Failures that mean the request never reached the provider. */
export const NEVER_SENT_REASONS: readonly AttemptFailureReason[] = [
  'NOT_FOUND_AT_PROVIDER',
  'TIMEOUT_BEFORE_SEND',
  'RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'RETRY_LATER',
  'INVALID_REQUEST',
];

/**
 * Failures that, with no provider transaction id, mean the provider refused
 * the request before it created a transaction (an HTTP 4xx refusal of the
 * send: `ProviderRejected`). With an id, the provider holds a REJECTED one.
 */
export const REFUSED_BEFORE_CREATION_REASONS: readonly AttemptFailureReason[] = ['REJECTED_BY_PROVIDER'];

/** The attempt was refused by the provider before it created a transaction (see REFUSED_BEFORE_CREATION_REASONS). */
export const isRefusedBeforeCreation = (attempt: OurAttempt): boolean =>
  attempt.state === 'Failed' &&
  attempt.providerTransactionId === undefined &&
  attempt.failureReason !== undefined &&
  REFUSED_BEFORE_CREATION_REASONS.includes(attempt.failureReason);

/**
 * Whether the provider should hold no transaction for this attempt: it failed
 * with no provider transaction id, with a reason that means nothing reached
 * the provider (NEVER_SENT_REASONS) or that the provider refused it before
 * creating a transaction (REFUSED_BEFORE_CREATION_REASONS). A RETRY_LATER
 * that is one of the provider's own "not now" statuses (e.g. DECLINED-
 * LIMITATIONS-ON-CREDIT-PARTY-AMOUNT, `RETRY_LATER_DELAY_MINUTES`) is the
 * provider's word: it holds it. If the provider does list such an attempt,
 * only a failure status agrees (see `statusDifference`).
 */
export const isExpectedAbsent = (attempt: OurAttempt): boolean =>
  isRefusedBeforeCreation(attempt) ||
  (attempt.state === 'Failed' &&
    attempt.providerTransactionId === undefined &&
    attempt.failureReason !== undefined &&
    NEVER_SENT_REASONS.includes(attempt.failureReason) &&
    !(attempt.failureReason === 'RETRY_LATER' && retryLaterDelayMinutesOf(attempt.status) !== undefined));

/** Not settled (InFlight, Pending, Unknown) and started less than `inFlightGraceMs` before `now`. */
export const isInFlight = (attempt: OurAttempt, options: MatchOptions): boolean =>
  attempt.state !== 'Succeeded' &&
  attempt.state !== 'Failed' &&
  options.now.getTime() - attempt.startedAt.getTime() < options.inFlightGraceMs;
