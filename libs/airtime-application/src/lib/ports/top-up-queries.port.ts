// Read-side queries over top-ups for the API: a scoped, filtered page with
// the total count (offset pagination, as DVS's X-Total headers need); for the
// console, a top-up's events and resends, and the accounts' recent activity.
import { Context, type Effect } from 'effect';
import type { PersistenceFailure, TopUp, TransactionClass } from '@airtime/domain';

/** One page of a result set and the size of the whole set. */
export interface PageOf<A> {
  readonly items: readonly A[];
  /** How many items match, over all pages. */
  readonly total: number;
}

/**
 * A search over top-ups. Every given filter must hold. Results are ordered
 * newest first (`created_at` descending, then `id` descending), then
 * `offset` items are skipped and at most `limit` answered.
 */
export interface TopUpSearch {
  /** The accounts searched (non-empty): the principal's scope, or one account of it. */
  readonly accountIds: readonly string[];
  /** The caller's idempotency key. */
  readonly externalId?: string | undefined;
  /** The destination, E.164 (`+639171234100`), matched exactly. */
  readonly phoneNumber?: string | undefined;
  /** The top-up's status class is one of these. */
  readonly classes?: readonly TransactionClass[] | undefined;
  /** `createdAt >= createdFrom`. */
  readonly createdFrom?: Date | undefined;
  /** `createdAt < createdBefore`. */
  readonly createdBefore?: Date | undefined;
  /** Items skipped (>= 0). */
  readonly offset: number;
  /** Most items answered (>= 1). */
  readonly limit: number;
}

/** An outbox event of a top-up as stored, and what the relay did with it. */
export interface StoredTopUpEvent {
  readonly id: string;
  /** Routing key, e.g. "topup.completed". */
  readonly type: string;
  /** The event's JSON payload, as published. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly occurredAt: Date;
  /** When the relay published it; undefined while it waits. */
  readonly sentAt: Date | undefined;
  /** Publishes tried and failed so far. */
  readonly publishAttempts: number;
}

/** The top-ups of some accounts created in a window, counted (see `TopUpActivity`). */
export interface ActivityQuery {
  /** The accounts counted (non-empty). */
  readonly accountIds: readonly string[];
  /** `createdAt >= createdFrom`. */
  readonly createdFrom: Date;
  /** `createdAt < createdBefore`. */
  readonly createdBefore: Date;
}

/** How many top-ups created in one UTC hour are in one status class now. */
export interface HourlyClassCount {
  /** The UTC hour's start (minutes, seconds and milliseconds 0). */
  readonly hourStart: Date;
  readonly statusClass: TransactionClass;
  /** >= 1 (classes with none are left out). */
  readonly count: number;
}

/** Of some top-ups, how many are final and how many of those COMPLETED. */
export interface OutcomeCount {
  /** Final (COMPLETED, REVERSED, REJECTED, CANCELLED or DECLINED). */
  readonly final: number;
  /** COMPLETED (REVERSED is not counted as a success). */
  readonly completed: number;
}

/** The outcomes of the top-ups whose last attempt went to one provider. */
export interface ProviderOutcomes extends OutcomeCount {
  readonly providerId: string;
}

/** The outcomes of the top-ups to one operator (the quote's). */
export interface OperatorOutcomes extends OutcomeCount {
  readonly operatorId: string;
  /** The operator's name as quoted (one of them, should it have changed). */
  readonly operatorName: string;
}

/**
 * The top-ups of an `ActivityQuery` counted: by creation hour and current
 * class, by the provider of their last attempt (top-ups never sent to one
 * are left out) and by operator; providers and operators by id in
 * code-point order.
 */
export interface TopUpActivity {
  /** By hour, then class in TRANSACTION_CLASSES order. */
  readonly hourly: readonly HourlyClassCount[];
  readonly byProvider: readonly ProviderOutcomes[];
  readonly byOperator: readonly OperatorOutcomes[];
}

export interface TopUpQueriesService {
  readonly search: (search: TopUpSearch) => Effect.Effect<PageOf<TopUp>, PersistenceFailure>;
  /** The outbox events of a top-up (its aggregate id), in the order they were appended. */
  readonly eventsOf: (topUpId: string) => Effect.Effect<readonly StoredTopUpEvent[], PersistenceFailure>;
  /**
   * The top-ups of `accountId` whose stored request's metadata says
   * `resend_of: topUpId`, newest first (created time, then id, descending).
   */
  readonly resendsOf: (accountId: string, topUpId: string) => Effect.Effect<readonly TopUp[], PersistenceFailure>;
  /**
   * Those of `topUpIds` an operator settled by hand to a failed class
   * (DECLINED, REJECTED, CANCELLED: an applied settlement of actor
   * `operator`, see `settleTopUpByHand`). A hand settlement is made when the
   * provider gave no definite answer, so the provider may still have
   * delivered such a top-up: it is never resent (`TopUpNotResendable`
   * `settled-by-hand`).
   */
  readonly settledByHand: (topUpIds: readonly string[]) => Effect.Effect<ReadonlySet<string>, PersistenceFailure>;
  /** The top-ups of the query counted (see `TopUpActivity`); the accounts must not be empty. */
  readonly activityOf: (query: ActivityQuery) => Effect.Effect<TopUpActivity, PersistenceFailure>;
}

export class TopUpQueries extends Context.Tag('@airtime/application/TopUpQueries')<
  TopUpQueries,
  TopUpQueriesService
>() {}
