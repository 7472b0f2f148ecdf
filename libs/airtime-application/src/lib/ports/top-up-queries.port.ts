// Read-side queries over top-ups for the API: a scoped, filtered page with
// the total count (offset pagination, as DVS's X-Total headers need).
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

export interface TopUpQueriesService {
  readonly search: (search: TopUpSearch) => Effect.Effect<PageOf<TopUp>, PersistenceFailure>;
}

export class TopUpQueries extends Context.Tag('@airtime/application/TopUpQueries')<
  TopUpQueries,
  TopUpQueriesService
>() {}
