import {
  ConcurrentModification,
  DuplicateKey,
  type Page,
  PersistenceFailure,
  type TopUp,
  type TopUpFilter,
  TopUpRepository,
  type TopUpRepositoryService,
  type TopUpUpdate,
} from '@airtime/domain';
import { Effect, Either, Layer, Option } from 'effect';
import type { DataSource } from 'typeorm';
import { sql } from '../unit-of-work/sql';
import { isoOf, optionalIsoOf } from '../shared/codec-support';
import { decodeCursor, encodeCursor } from './top-up-cursor.codec';
import { topUpChangeRecordOf, topUpRecordOf } from './top-up.mapper';
import { type LoadedTopUp, type Row, topUpsOfRows } from './top-up-rows.mapper';
import {
  byExternalId,
  byId,
  byProviderExternalId,
  byProviderTransactionId,
  CURSOR_CREATED_AT,
  dueForRetry,
  insertTopUp,
  insertTopUps,
  listPage,
  staleNonFinal,
  type Statement,
  topUpExists,
  topUpsExisting,
  updateTopUp,
  updateTopUps,
  withAttempts,
} from './top-up.queries';
import { areStorableKeys } from '../shared/text-keys';

/** The most rows one call returns. */
export const MAX_TOP_UPS_PER_CALL = 1000;

const checkLimit = (limit: number): Either.Either<number, PersistenceFailure> =>
  Number.isInteger(limit) && limit >= 1 && limit <= MAX_TOP_UPS_PER_CALL
    ? Either.right(limit)
    : Either.left(
        new PersistenceFailure({
          reason: `limit must be an integer from 1 to ${MAX_TOP_UPS_PER_CALL}, got ${limit}`,
          retryable: false,
        }),
      );

/**
 * Top-ups on PostgreSQL (`top_ups` + `top_up_attempts`), mapped by hand to
 * the domain's types. Every statement joins the current unit of work.
 * Writes are single statements: an insert claims (account, external id)
 * through its unique constraint; an update is guarded by the version read.
 */
export const makeTopUpRepository = (dataSource: DataSource): TopUpRepositoryService => {
  const run = (statement: Statement) => sql<Row>(dataSource, statement.text, statement.parameters);

  const load = (
    page: Statement,
    orderBy: readonly string[],
  ): Effect.Effect<readonly LoadedTopUp[], PersistenceFailure> =>
    Effect.flatMap(run(withAttempts(page, orderBy)), topUpsOfRows);

  /** `load` answered as the port answers: each top-up with its version (not the row it came from). */
  const loadStored = (page: Statement, orderBy: readonly string[]) =>
    Effect.map(load(page, orderBy), (loaded) => loaded.map(({ topUp, version }) => ({ topUp, version })));

  const loadOne = (page: Statement) => Effect.map(loadStored(page, ['id']), (stored) => Option.fromNullable(stored[0]));

  /** The top-up with these keys; none, without a statement, when a key holds a NUL (no row can: see text-keys). */
  const lookUp = (keys: readonly string[], page: () => Statement) =>
    areStorableKeys(...keys) ? loadOne(page()) : Effect.succeed(Option.none());

  const insert = (topUp: TopUp): Effect.Effect<void, DuplicateKey | PersistenceFailure> =>
    Effect.gen(function* () {
      const record = yield* topUpRecordOf(topUp);
      const inserted = yield* run(insertTopUp(record));
      if (inserted.length === 0) {
        return yield* Effect.fail(new DuplicateKey({ entity: 'TopUp', key: `${topUp.accountId}/${topUp.externalId}` }));
      }
    });

  const insertAll = (topUps: readonly TopUp[]): Effect.Effect<void, DuplicateKey | PersistenceFailure> =>
    Effect.gen(function* () {
      if (topUps.length === 0) return;
      const keys = new Set<string>();
      for (const topUp of topUps) {
        // a pair, not `${account}/${external id}`: both may hold a '/', so ("a/b", "c") and ("a", "b/c") would meet
        const key = JSON.stringify([topUp.accountId, topUp.externalId]);
        if (keys.has(key)) {
          return yield* Effect.fail(
            new DuplicateKey({ entity: 'TopUp', key: `${topUp.accountId}/${topUp.externalId}` }),
          );
        }
        keys.add(key);
      }
      const records = yield* Effect.forEach(topUps, topUpRecordOf);
      // a key taken fails the one statement: nothing of it is written (see insertTopUps)
      yield* run(insertTopUps(records)).pipe(
        Effect.catchIf(
          (failure) => failure.reason.includes('top_ups_external_id_once_per_account'),
          () =>
            Effect.fail(
              new DuplicateKey({ entity: 'TopUp', key: `one of ${topUps.length} (account, external id) keys` }),
            ),
        ),
      );
    });

  const neverStored = (id: string) =>
    new PersistenceFailure({ reason: `top-up ${id} cannot be updated: it was never stored`, retryable: false });

  const update = (
    topUp: TopUp,
    expectedVersion: number,
  ): Effect.Effect<void, ConcurrentModification | PersistenceFailure> =>
    Effect.gen(function* () {
      // no row can hold such an id (see text-keys); pg would send U+FFFD and might match another row
      if (!areStorableKeys(topUp.id)) return yield* Effect.fail(neverStored(topUp.id));
      const record = yield* topUpChangeRecordOf(topUp);
      const updated = yield* run(updateTopUp(record, expectedVersion));
      if (updated.length > 0) return;
      const exists = yield* run(topUpExists(topUp.id));
      return yield* Effect.fail(
        exists.length === 0 ? neverStored(topUp.id) : new ConcurrentModification({ entity: 'TopUp', id: topUp.id }),
      );
    });

  const updateAll = (updates: readonly TopUpUpdate[]): Effect.Effect<readonly boolean[], PersistenceFailure> => {
    if (updates.length === 0) return Effect.succeed([]);
    const ids = updates.map(({ topUp }) => topUp.id);
    if (new Set(ids).size !== ids.length) return Effect.dieMessage('updateAll: a top-up is named twice');
    return Effect.gen(function* () {
      // no row can hold such an id (see text-keys): never stored, and nothing is sent
      const unstorable = ids.find((id) => !areStorableKeys(id));
      if (unstorable !== undefined) return yield* Effect.fail(neverStored(unstorable));
      const records = yield* Effect.forEach(updates, ({ topUp, expectedVersion }) =>
        Effect.map(topUpChangeRecordOf(topUp), (record) => ({ record, expectedVersion })),
      );
      const updated = new Set((yield* run(updateTopUps(records))).map((row) => row['id']));
      const written = ids.map((id) => updated.has(id));
      const unwritten = ids.filter((id) => !updated.has(id));
      if (unwritten.length === 0) return written;
      // not written: its version had moved on, or it was never stored (one query for all of them)
      const stored = new Set((yield* run(topUpsExisting(unwritten))).map((row) => row['id']));
      const missing = unwritten.find((id) => !stored.has(id));
      return missing === undefined ? written : yield* Effect.fail(neverStored(missing));
    });
  };

  const list = (filter: TopUpFilter, limit: number, cursor?: string): Effect.Effect<Page<TopUp>, PersistenceFailure> =>
    Effect.gen(function* () {
      yield* checkLimit(limit);
      const criteria = {
        accountId: filter.accountId,
        classes: filter.classes,
        createdFrom: yield* optionalIsoOf(filter.createdFrom, 'createdFrom of the filter'),
        createdBefore: yield* optionalIsoOf(filter.createdBefore, 'createdBefore of the filter'),
        after: cursor === undefined ? undefined : yield* decodeCursor(cursor),
      };
      const loaded = yield* load(listPage(criteria, limit + 1), ['created_at', 'id']);
      const items = loaded.slice(0, limit);
      const last = items[items.length - 1];
      if (loaded.length <= limit || last === undefined)
        return { items: items.map(({ topUp }) => topUp), nextCursor: undefined };
      const createdAt = last.row[CURSOR_CREATED_AT];
      if (typeof createdAt !== 'string') {
        return yield* Effect.fail(
          new PersistenceFailure({
            reason: `top-up ${last.topUp.id}: no cursor position was selected`,
            retryable: false,
          }),
        );
      }
      return { items: items.map(({ topUp }) => topUp), nextCursor: encodeCursor({ createdAt, id: last.topUp.id }) };
    });

  return {
    insert,
    insertAll,
    update,
    updateAll,
    findById: (id) => lookUp([id], () => byId(id)),
    findByExternalId: (accountId, externalId) =>
      lookUp([accountId, externalId], () => byExternalId(accountId, externalId)),
    findByProviderExternalId: (providerExternalId) =>
      lookUp([providerExternalId], () => byProviderExternalId(providerExternalId)),
    findByProviderTransactionId: (providerId, providerTransactionId) =>
      lookUp([providerId, providerTransactionId], () => byProviderTransactionId(providerId, providerTransactionId)),
    list,
    dueForRetry: (now, limit) =>
      Effect.gen(function* () {
        return yield* loadStored(dueForRetry(yield* isoOf(now, 'now'), yield* checkLimit(limit)), [
          'next_attempt_at',
          'id',
        ]);
      }),
    staleNonFinal: (olderThan, limit) =>
      Effect.gen(function* () {
        return yield* loadStored(staleNonFinal(yield* isoOf(olderThan, 'olderThan'), yield* checkLimit(limit)), [
          'updated_at',
          'id',
        ]);
      }),
  };
};

export const topUpRepositoryLayer = (dataSource: DataSource) =>
  Layer.succeed(TopUpRepository, makeTopUpRepository(dataSource));
