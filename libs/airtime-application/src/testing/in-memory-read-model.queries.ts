// The read-side queries of the API over the in-memory database, ordered and
// counted as the SQL does: top-ups newest first (created_at, then id,
// descending), journal entries newest first (sequence descending), balances
// by currency code; `total` counts every match, `offset`/`limit` cut the page.
import { type JournalEntry, PersistenceFailure, type TopUp } from '@airtime/domain';
import { Effect, Layer } from 'effect';
import { LedgerQueries, type LedgerQueriesService } from '../lib/ports/ledger-queries.port';
import {
  type PageOf,
  TopUpQueries,
  type TopUpQueriesService,
  type TopUpSearch,
} from '../lib/ports/top-up-queries.port';
import type { InMemoryDatabase } from './in-memory-database.fake';

const refused = (reason: string) => new PersistenceFailure({ reason, retryable: false });

/** Code-point order of ids (PostgreSQL's `COLLATE "C"`). */
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const badWindow = (offset: number, limit: number): PersistenceFailure | undefined =>
  !Number.isSafeInteger(offset) || offset < 0
    ? refused('the offset must be a whole number, at least 0')
    : !Number.isSafeInteger(limit) || limit < 1
      ? refused('the limit must be a whole number, at least 1')
      : undefined;

const pageOf = <A>(matching: readonly A[], offset: number, limit: number): PageOf<A> => ({
  items: matching.slice(offset, offset + limit),
  total: matching.length,
});

const matches = (search: TopUpSearch) => (topUp: TopUp) =>
  search.accountIds.includes(topUp.accountId) &&
  (search.externalId === undefined || topUp.externalId === search.externalId) &&
  (search.classes === undefined || search.classes.includes(topUp.status.class)) &&
  (search.createdFrom === undefined || topUp.createdAt.getTime() >= search.createdFrom.getTime()) &&
  (search.createdBefore === undefined || topUp.createdAt.getTime() < search.createdBefore.getTime());

const newestFirst = (a: TopUp, b: TopUp): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || compareIds(b.id, a.id);

export const makeInMemoryTopUpQueries = (database: InMemoryDatabase): TopUpQueriesService => ({
  search: (search) => {
    const refusal =
      search.accountIds.length === 0
        ? refused('a top-up search needs at least one account')
        : badWindow(search.offset, search.limit);
    if (refusal !== undefined) return Effect.fail(refusal);
    return database.read((tables) =>
      pageOf(
        [...tables.topUps.values()]
          .map(({ topUp }) => topUp)
          .filter(matches(search))
          .sort(newestFirst),
        search.offset,
        search.limit,
      ),
    );
  },
});

export const makeInMemoryLedgerQueries = (database: InMemoryDatabase): LedgerQueriesService => ({
  balancesOf: (accountId) =>
    database.read((tables) =>
      [...tables.ledger.accounts.values()]
        .filter((account) => account.accountId === accountId)
        .sort((a, b) => compareIds(a.currency.code, b.currency.code)),
    ),
  journalOf: ({ accountId, offset, limit }) => {
    const refusal = badWindow(offset, limit);
    if (refusal !== undefined) return Effect.fail(refusal);
    return database.read((tables) =>
      pageOf(
        tables.ledger.journal
          .filter((entry) => entry.accountId === accountId)
          .sort((a: JournalEntry, b: JournalEntry) => b.sequence - a.sequence),
        offset,
        limit,
      ),
    );
  },
});

/** Both query ports as layers over one database. */
export const inMemoryQueryLayers = (database: InMemoryDatabase) =>
  Layer.mergeAll(
    Layer.succeed(TopUpQueries, makeInMemoryTopUpQueries(database)),
    Layer.succeed(LedgerQueries, makeInMemoryLedgerQueries(database)),
  );
