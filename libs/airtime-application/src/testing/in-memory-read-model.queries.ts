// The read-side queries of the API over the in-memory database, ordered and
// counted as the SQL does: top-ups newest first (created_at, then id,
// descending), journal entries newest first (sequence descending), balances
// by currency code; `total` counts every match, `offset`/`limit` cut the page.
// A top-up's events in append order, its resends newest first, its movements
// oldest first; activity counted as the SQL counts it.
import {
  FINAL_CLASSES,
  isFailureClass,
  type JournalEntry,
  PersistenceFailure,
  type TopUp,
  TRANSACTION_CLASSES,
  type TransactionClass,
} from '@airtime/domain';
import { Effect, Layer } from 'effect';
import { LedgerQueries, type LedgerQueriesService } from '../lib/ports/ledger-queries.port';
import {
  type ActivityQuery,
  type HourlyClassCount,
  type OperatorOutcomes,
  type PageOf,
  type ProviderOutcomes,
  TopUpQueries,
  type TopUpActivity,
  type TopUpQueriesService,
  type TopUpSearch,
} from '../lib/ports/top-up-queries.port';
import type { InMemoryDatabase } from './in-memory-database.fake';
import { rowsOf } from './in-memory-reconciliation-store.adapter';

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
  (search.phoneNumber === undefined || topUp.destination.e164 === search.phoneNumber) &&
  (search.classes === undefined || search.classes.includes(topUp.status.class)) &&
  (search.createdFrom === undefined || topUp.createdAt.getTime() >= search.createdFrom.getTime()) &&
  (search.createdBefore === undefined || topUp.createdAt.getTime() < search.createdBefore.getTime());

const newestFirst = (a: TopUp, b: TopUp): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || compareIds(b.id, a.id);

const HOUR_MS = 3_600_000;

const isResendOf = (topUpId: string, request: Readonly<Record<string, unknown>>): boolean => {
  const metadata = request['metadata'];
  return (
    typeof metadata === 'object' && metadata !== null && (metadata as Record<string, unknown>)['resend_of'] === topUpId
  );
};

/** Outcome counts keyed by `keyOf` (undefined: left out), by key in code-point order. */
const outcomesBy = (topUps: readonly TopUp[], keyOf: (topUp: TopUp) => string | undefined) => {
  const counts = new Map<string, { final: number; completed: number; topUp: TopUp }>();
  for (const topUp of topUps) {
    const key = keyOf(topUp);
    if (key === undefined) continue;
    const count = counts.get(key) ?? { final: 0, completed: 0, topUp };
    const final = FINAL_CLASSES.includes(topUp.status.class);
    counts.set(key, {
      ...count,
      final: count.final + (final ? 1 : 0),
      completed: count.completed + (topUp.status.class === 'COMPLETED' ? 1 : 0),
    });
  }
  return [...counts.entries()].sort(([a], [b]) => compareIds(a, b));
};

/** `TopUpActivity` of the top-ups given (already chosen by the query). */
const activityOf = (topUps: readonly TopUp[]): TopUpActivity => {
  const hourly = new Map<string, HourlyClassCount>();
  for (const topUp of topUps) {
    const hourStart = Math.floor(topUp.createdAt.getTime() / HOUR_MS) * HOUR_MS;
    const key = JSON.stringify([hourStart, TRANSACTION_CLASSES.indexOf(topUp.status.class)]);
    const counted = hourly.get(key);
    hourly.set(key, {
      hourStart: new Date(hourStart),
      statusClass: topUp.status.class,
      count: (counted?.count ?? 0) + 1,
    });
  }
  const classOrder = (statusClass: TransactionClass) => TRANSACTION_CLASSES.indexOf(statusClass);
  return {
    hourly: [...hourly.values()].sort(
      (a, b) => a.hourStart.getTime() - b.hourStart.getTime() || classOrder(a.statusClass) - classOrder(b.statusClass),
    ),
    byProvider: outcomesBy(topUps, (topUp) => topUp.attempts[topUp.attempts.length - 1]?.providerId).map(
      ([providerId, { final, completed }]): ProviderOutcomes => ({ providerId, final, completed }),
    ),
    byOperator: outcomesBy(topUps, (topUp) => topUp.quote.product.operator.id).map(
      ([operatorId, { final, completed, topUp }]): OperatorOutcomes => ({
        operatorId,
        operatorName: topUp.quote.product.operator.name,
        final,
        completed,
      }),
    ),
  };
};

const inActivity = (query: ActivityQuery) => (topUp: TopUp) =>
  query.accountIds.includes(topUp.accountId) &&
  topUp.createdAt.getTime() >= query.createdFrom.getTime() &&
  topUp.createdAt.getTime() < query.createdBefore.getTime();

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
  eventsOf: (topUpId) =>
    database.read((tables) =>
      tables.outbox
        .filter((record) => record.event.aggregateId === topUpId)
        .map((record) => ({
          id: record.event.id,
          type: record.event.type,
          payload: record.event.payload,
          occurredAt: record.event.occurredAt,
          sentAt: record.sentAt,
          publishAttempts: record.publishAttempts,
        })),
    ),
  resendsOf: (accountId, topUpId) =>
    database.read((tables) =>
      [...tables.requests.values()]
        .filter((stored) => stored.accountId === accountId && isResendOf(topUpId, stored.request))
        .flatMap((stored) => {
          const found = tables.topUps.get(stored.topUpId);
          return found === undefined ? [] : [found.topUp];
        })
        .sort(newestFirst),
    ),
  settledByHand: (topUpIds) =>
    database.read(
      (tables) =>
        new Set(
          rowsOf(tables)
            .settlements.filter(
              (record) =>
                record.actor === 'operator' &&
                record.state === 'APPLIED' &&
                isFailureClass(record.toStatus.class) &&
                topUpIds.includes(record.topUpId),
            )
            .map((record) => record.topUpId),
        ),
    ),
  activityOf: (query) =>
    query.accountIds.length === 0
      ? Effect.fail(refused('an activity query needs at least one account'))
      : database.read((tables) =>
          activityOf([...tables.topUps.values()].map(({ topUp }) => topUp).filter(inActivity(query))),
        ),
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
  movementsOf: (accountId, topUpId) =>
    database.read((tables) =>
      tables.ledger.journal
        .filter((entry) => entry.accountId === accountId && entry.reference === topUpId && entry.kind !== 'DEPOSIT')
        .sort((a, b) => a.sequence - b.sequence),
    ),
});

/** Both query ports as layers over one database. */
export const inMemoryQueryLayers = (database: InMemoryDatabase) =>
  Layer.mergeAll(
    Layer.succeed(TopUpQueries, makeInMemoryTopUpQueries(database)),
    Layer.succeed(LedgerQueries, makeInMemoryLedgerQueries(database)),
  );
