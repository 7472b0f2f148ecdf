import { Context, type Effect, type Option } from 'effect';
import type { TopUp } from '../transaction/top-up';
import type { TransactionClass } from '../transaction/transaction-status';
import type { ConcurrentModification, DuplicateKey, PersistenceFailure } from './persistence.errors';

export interface TopUpFilter {
  readonly accountId?: string | undefined;
  readonly classes?: readonly TransactionClass[] | undefined;
  readonly createdFrom?: Date | undefined;
  readonly createdBefore?: Date | undefined;
}

export interface Page<A> {
  readonly items: readonly A[];
  /** Opaque cursor of the next page; undefined on the last one. */
  readonly nextCursor: string | undefined;
}

/** A change made to a top-up as read at `expectedVersion`, to store with others (`updateAll`). */
export interface TopUpUpdate {
  readonly topUp: TopUp;
  readonly expectedVersion: number;
}

/** Where top-ups live. `version` guards every update (optimistic concurrency). */
export interface TopUpRepositoryService {
  /** Stores a new top-up; a second one with the same (account, external id) is a `DuplicateKey`. */
  readonly insert: (topUp: TopUp) => Effect.Effect<void, DuplicateKey | PersistenceFailure>;
  /**
   * Stores new top-ups at once (one statement on PostgreSQL), all or none: a
   * (account, external id) already taken, or taken twice in `topUps`, fails
   * the call with a `DuplicateKey` naming the first such key, and nothing of
   * it is kept once the caller's unit of work rolls back. An empty list does
   * nothing. Run it inside a unit of work.
   */
  readonly insertAll: (topUps: readonly TopUp[]) => Effect.Effect<void, DuplicateKey | PersistenceFailure>;
  /** Stores a change made to the top-up as read at `expectedVersion`. */
  readonly update: (
    topUp: TopUp,
    expectedVersion: number,
  ) => Effect.Effect<void, ConcurrentModification | PersistenceFailure>;
  /**
   * Stores many changes at once (one statement on PostgreSQL), each as
   * `update` would store it alone: answers, in order, whether each was
   * written, false where that top-up's version had moved on (what `update`
   * fails with `ConcurrentModification`); the others are written all the
   * same. The top-ups must be distinct (one named twice is a defect). A
   * top-up never stored fails the call with a `PersistenceFailure`, and
   * nothing of it is kept once the caller's unit of work rolls back. An
   * empty list does nothing. Run it inside a unit of work.
   */
  readonly updateAll: (updates: readonly TopUpUpdate[]) => Effect.Effect<readonly boolean[], PersistenceFailure>;
  readonly findById: (
    id: string,
  ) => Effect.Effect<Option.Option<{ topUp: TopUp; version: number }>, PersistenceFailure>;
  readonly findByExternalId: (
    accountId: string,
    externalId: string,
  ) => Effect.Effect<Option.Option<{ topUp: TopUp; version: number }>, PersistenceFailure>;
  /** The top-up whose attempt used this provider external id (callbacks, status queries). */
  readonly findByProviderExternalId: (
    providerExternalId: string,
  ) => Effect.Effect<Option.Option<{ topUp: TopUp; version: number }>, PersistenceFailure>;
  /**
   * The top-up one of whose attempts provider `providerId` answered with this
   * transaction id (callbacks that carry no external id of ours). Transaction
   * ids are the provider's own: another provider's equal id is another
   * transaction.
   */
  readonly findByProviderTransactionId: (
    providerId: string,
    providerTransactionId: string,
  ) => Effect.Effect<Option.Option<{ topUp: TopUp; version: number }>, PersistenceFailure>;
  readonly list: (
    filter: TopUpFilter,
    limit: number,
    cursor?: string,
  ) => Effect.Effect<Page<TopUp>, PersistenceFailure>;
  /**
   * Top-ups whose scheduled retry is due at `now`, oldest due first, each
   * with the version it was read at (a change decided on it is written
   * under that version).
   */
  readonly dueForRetry: (
    now: Date,
    limit: number,
  ) => Effect.Effect<readonly { topUp: TopUp; version: number }[], PersistenceFailure>;
  /**
   * Non-final top-ups not updated since `olderThan`, least recently updated
   * first, each with the version it was read at (the stalled-top-up loop and
   * the reconciler).
   */
  readonly staleNonFinal: (
    olderThan: Date,
    limit: number,
  ) => Effect.Effect<readonly { topUp: TopUp; version: number }[], PersistenceFailure>;
}

export class TopUpRepository extends Context.Tag('@airtime/domain/TopUpRepository')<
  TopUpRepository,
  TopUpRepositoryService
>() {}
