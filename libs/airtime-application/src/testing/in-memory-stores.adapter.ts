// The persistence ports of the use cases over the in-memory database: top-up
// repository (versions), outbox and its relay feed, inbox, requests,
// callback deliveries; and the transfer log, which (as in PostgreSQL, where
// it is written in its own short transaction) outlives a rolled-back unit of work.
import {
  ConcurrentModification,
  DuplicateKey,
  isFinalClass,
  Outbox,
  type OutboxEvent,
  type OutboxService,
  PersistenceFailure,
  type TopUp,
  TopUpRepository,
  type TopUpRepositoryService,
} from '@airtime/domain';
import { Effect, Either, Layer, Option } from 'effect';
import { CallbackDeliveryStore, type CallbackDeliveryStoreService } from '../lib/ports/callback-deliveries.port';
import { Inbox, type InboxService } from '../lib/ports/inbox.port';
import { OutboxFeed, type OutboxFeedService, type PendingEvent } from '../lib/ports/outbox-feed.port';
import {
  type StoredTopUpRequest,
  TopUpRequestStore,
  type TopUpRequestStoreService,
} from '../lib/ports/top-up-requests.port';
import {
  type StoredExchange,
  TransferLog,
  type TransferLogEntry,
  type TransferLogService,
} from '../lib/ports/transfer-log.port';
import type { InMemoryDatabase, Tables } from './in-memory-database.fake';

const refused = (reason: string) => new PersistenceFailure({ reason, retryable: false });

/** A write that either moves the tables on or fails (leaving them as they were). */
const write = <E>(
  database: InMemoryDatabase,
  change: (tables: Tables) => Either.Either<Tables, E>,
): Effect.Effect<void, E> =>
  Effect.flatten(
    database.update((tables): readonly [Effect.Effect<void, E>, Tables] => {
      const result = change(tables);
      return Either.isRight(result) ? [Effect.void, result.right] : [Effect.fail(result.left), tables];
    }),
  );

const byTime = (a: Date | undefined, b: Date | undefined): number => (a?.getTime() ?? 0) - (b?.getTime() ?? 0);

const withTopUp = (tables: Tables, topUp: TopUp, version: number): Tables => {
  const topUps = new Map(tables.topUps);
  topUps.set(topUp.id, { topUp, version });
  return { ...tables, topUps };
};

const isUnsettled = (topUp: TopUp): boolean =>
  topUp.attempts.some((attempt) => attempt.state !== 'Succeeded' && attempt.state !== 'Failed');

export const makeInMemoryTopUpRepository = (database: InMemoryDatabase): TopUpRepositoryService => {
  const all = (tables: Tables) => [...tables.topUps.values()];
  const findWhere = (predicate: (topUp: TopUp) => boolean) =>
    database.read((tables) => Option.fromNullable(all(tables).find(({ topUp }) => predicate(topUp))));
  const insert = (topUp: TopUp) =>
    write(database, (tables): Either.Either<Tables, DuplicateKey | PersistenceFailure> => {
      if (tables.topUps.has(topUp.id)) return Either.left(refused(`top-up ${topUp.id} is already stored`));
      const twin = all(tables).find(
        (stored) => stored.topUp.accountId === topUp.accountId && stored.topUp.externalId === topUp.externalId,
      );
      return twin === undefined
        ? Either.right(withTopUp(tables, topUp, 1))
        : Either.left(new DuplicateKey({ entity: 'TopUp', key: `${topUp.accountId}/${topUp.externalId}` }));
    });
  const update = (topUp: TopUp, expectedVersion: number) =>
    write(database, (tables): Either.Either<Tables, ConcurrentModification | PersistenceFailure> => {
      const stored = tables.topUps.get(topUp.id);
      if (stored === undefined)
        return Either.left(refused(`top-up ${topUp.id} cannot be updated: it was never stored`));
      return stored.version === expectedVersion
        ? Either.right(withTopUp(tables, topUp, expectedVersion + 1))
        : Either.left(new ConcurrentModification({ entity: 'TopUp', id: topUp.id }));
    });
  return {
    insert,
    // one by one: the unit of work that must run it rolls every one back when one fails
    insertAll: (topUps) => Effect.forEach(topUps, insert, { discard: true }),
    update,
    // one by one: a stale version answers false, a top-up never stored fails the call
    updateAll: (updates) => {
      const ids = new Set(updates.map((one) => one.topUp.id));
      if (ids.size !== updates.length) return Effect.dieMessage('updateAll: a top-up is named twice');
      return Effect.forEach(updates, (one) =>
        update(one.topUp, one.expectedVersion).pipe(
          Effect.as(true),
          Effect.catchTag('ConcurrentModification', () => Effect.succeed(false)),
        ),
      );
    },
    findById: (id) => database.read((tables) => Option.fromNullable(tables.topUps.get(id))),
    findByExternalId: (accountId, externalId) =>
      findWhere((topUp) => topUp.accountId === accountId && topUp.externalId === externalId),
    findByProviderExternalId: (providerExternalId) =>
      findWhere((topUp) => topUp.attempts.some((attempt) => attempt.providerExternalId === providerExternalId)),
    findByProviderTransactionId: (providerId, providerTransactionId) =>
      findWhere((topUp) =>
        topUp.attempts.some(
          (attempt) => attempt.providerId === providerId && attempt.providerTransactionId === providerTransactionId,
        ),
      ),
    list: (filter, limit, cursor) =>
      database.read((tables) => {
        const matching = all(tables)
          .map(({ topUp }) => topUp)
          .filter(
            (topUp) =>
              (filter.accountId === undefined || topUp.accountId === filter.accountId) &&
              (filter.classes === undefined || filter.classes.includes(topUp.status.class)) &&
              (filter.createdFrom === undefined || topUp.createdAt >= filter.createdFrom) &&
              (filter.createdBefore === undefined || topUp.createdAt < filter.createdBefore),
          )
          .sort((a, b) => byTime(a.createdAt, b.createdAt) || (a.id < b.id ? -1 : 1));
        const start = cursor === undefined ? 0 : Number(cursor);
        const items = matching.slice(start, start + limit);
        return { items, nextCursor: start + limit < matching.length ? String(start + limit) : undefined };
      }),
    dueForRetry: (now, limit) =>
      database.read((tables) =>
        all(tables)
          .filter(
            ({ topUp }) =>
              topUp.nextAttemptAt !== undefined &&
              topUp.nextAttemptAt <= now &&
              !isFinalClass(topUp.status.class) &&
              !isUnsettled(topUp),
          )
          .sort((a, b) => byTime(a.topUp.nextAttemptAt, b.topUp.nextAttemptAt) || (a.topUp.id < b.topUp.id ? -1 : 1))
          .slice(0, limit)
          .map(({ topUp, version }) => ({ topUp, version })),
      ),
    staleNonFinal: (olderThan, limit) =>
      database.read((tables) =>
        all(tables)
          .filter(({ topUp }) => topUp.updatedAt < olderThan && !isFinalClass(topUp.status.class))
          .sort((a, b) => byTime(a.topUp.updatedAt, b.topUp.updatedAt) || (a.topUp.id < b.topUp.id ? -1 : 1))
          .slice(0, limit)
          .map(({ topUp, version }) => ({ topUp, version })),
      ),
  };
};

export const makeInMemoryOutbox = (database: InMemoryDatabase): OutboxService => {
  const append = (event: OutboxEvent) =>
    write(database, (tables) =>
      tables.outbox.some((record) => record.event.id === event.id)
        ? Either.left(refused(`outbox event ${event.id} already exists`))
        : Either.right({ ...tables, outbox: [...tables.outbox, { event, sentAt: undefined, publishAttempts: 0 }] }),
    );
  return { append, appendAll: (events) => Effect.forEach(events, append, { discard: true }) };
};

export const makeInMemoryOutboxFeed = (database: InMemoryDatabase): OutboxFeedService => {
  const mark = (ids: readonly string[], change: (record: Tables['outbox'][number]) => Tables['outbox'][number]) =>
    database.update(
      (tables) =>
        [
          undefined,
          {
            ...tables,
            outbox: tables.outbox.map((record) => (ids.includes(record.event.id) ? change(record) : record)),
          },
        ] as const,
    );
  return {
    claimBatch: (limit) =>
      database.read((tables) =>
        tables.outbox
          .filter((record) => record.sentAt === undefined)
          .slice(0, limit)
          .map((record): PendingEvent => ({ ...record.event, publishAttempts: record.publishAttempts })),
      ),
    markSent: (ids, now) => mark(ids, (record) => ({ ...record, sentAt: record.sentAt ?? now })),
    recordPublishFailure: (ids) => mark(ids, (record) => ({ ...record, publishAttempts: record.publishAttempts + 1 })),
  };
};

export const makeInMemoryInbox = (database: InMemoryDatabase): InboxService => {
  const claim = (consumer: string, messageId: string) =>
    Effect.flatMap(database.inUnitOfWork, (inside) =>
      inside
        ? database.update((tables) => {
            const key = JSON.stringify([consumer, messageId]);
            return tables.inbox.has(key)
              ? ([false, tables] as const)
              : ([true, { ...tables, inbox: new Set([...tables.inbox, key]) }] as const);
          })
        : Effect.fail(refused('the inbox is claimed inside a unit of work only')),
    );
  return {
    claim,
    claimAll: (consumer, messageIds) =>
      Effect.map(
        Effect.forEach(messageIds, (messageId) =>
          Effect.map(claim(consumer, messageId), (claimed) => (claimed ? [messageId] : [])),
        ),
        (claimed) => new Set(claimed.flat()),
      ),
  };
};

export const makeInMemoryTopUpRequestStore = (database: InMemoryDatabase): TopUpRequestStoreService => {
  const record = (request: StoredTopUpRequest) =>
    write(database, (tables) => {
      const taken =
        tables.requests.has(request.topUpId) ||
        [...tables.requests.values()].some(
          (stored) =>
            (stored.accountId === request.accountId && stored.externalId === request.externalId) ||
            stored.callbackToken === request.callbackToken,
        );
      if (taken) return Either.left(refused('the request of this top-up or key is already stored'));
      if (!tables.topUps.has(request.topUpId)) return Either.left(refused('a request needs its top-up stored first'));
      const requests = new Map(tables.requests);
      requests.set(request.topUpId, request);
      return Either.right({ ...tables, requests });
    });
  return {
    record,
    recordAll: (requests) => Effect.forEach(requests, record, { discard: true }),
    findAll: (keys) =>
      database.read((tables) =>
        [...tables.requests.values()].filter((stored) =>
          keys.some((key) => key.accountId === stored.accountId && key.externalId === stored.externalId),
        ),
      ),
    find: (accountId, externalId) =>
      database.read((tables) =>
        Option.fromNullable(
          [...tables.requests.values()].find(
            (stored) => stored.accountId === accountId && stored.externalId === externalId,
          ),
        ),
      ),
    findByTopUpId: (topUpId) => database.read((tables) => Option.fromNullable(tables.requests.get(topUpId))),
    findByCallbackToken: (callbackToken) =>
      database.read((tables) =>
        Option.fromNullable([...tables.requests.values()].find((stored) => stored.callbackToken === callbackToken)),
      ),
  };
};

/** The most deliveries one claim returns (as on PostgreSQL). */
const MAX_CALLBACK_BATCH = 1000;

const isValidTime = (time: Date): boolean => time instanceof Date && !Number.isNaN(time.getTime());

/**
 * Callback deliveries as on PostgreSQL: `claimDue` leases the due, pending
 * deliveries (earliest due first, then by id): their next try's time becomes
 * `leaseUntil`, so later claims pass them by until the lease ends, and they
 * are returned as leased; `recordTry` moves the delivery on (delivered,
 * scheduled again, or abandoned), which ends the lease. A delivery already
 * delivered or abandoned keeps that state; its try is recorded all the same.
 */
export const makeInMemoryCallbackDeliveryStore = (database: InMemoryDatabase): CallbackDeliveryStoreService => ({
  enqueue: (delivery) =>
    database.update((tables) => {
      const twin = [...tables.deliveries.values()].some(
        (record) => record.delivery.eventId === delivery.eventId && record.delivery.url === delivery.url,
      );
      if (twin) return [undefined, tables] as const;
      const deliveries = new Map(tables.deliveries);
      deliveries.set(delivery.id, { delivery: { ...delivery, attempts: 0 }, tries: [], state: 'PENDING' });
      return [undefined, { ...tables, deliveries }] as const;
    }),
  claimDue: (now, limit, leaseUntil) => {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CALLBACK_BATCH) {
      return Effect.fail(
        refused(`callback batch limit must be an integer from 1 to ${MAX_CALLBACK_BATCH}, got ${String(limit)}`),
      );
    }
    if (!isValidTime(now) || !isValidTime(leaseUntil)) {
      return Effect.fail(refused('the time deliveries are due by and the end of their lease must be valid times'));
    }
    if (!(leaseUntil.getTime() > now.getTime())) {
      return Effect.fail(
        refused(
          `the lease of claimed deliveries must end after now (${now.toISOString()}), not at ${leaseUntil.toISOString()}`,
        ),
      );
    }
    return database.update((tables) => {
      const due = [...tables.deliveries.values()]
        .filter((record) => record.state === 'PENDING' && record.delivery.nextAttemptAt <= now)
        .sort(
          (a, b) =>
            byTime(a.delivery.nextAttemptAt, b.delivery.nextAttemptAt) || (a.delivery.id < b.delivery.id ? -1 : 1),
        )
        .slice(0, limit);
      const deliveries = new Map(tables.deliveries);
      const leased = due.map((record) => {
        const delivery = { ...record.delivery, nextAttemptAt: leaseUntil };
        deliveries.set(delivery.id, { ...record, delivery });
        return delivery;
      });
      return [leased, { ...tables, deliveries }] as const;
    });
  },
  recordTry: (deliveryId, attempt, outcome) =>
    write(database, (tables) => {
      const record = tables.deliveries.get(deliveryId);
      if (record === undefined) return Either.left(refused(`no callback delivery ${deliveryId}`));
      const deliveries = new Map(tables.deliveries);
      const pending = record.state === 'PENDING';
      const scheduled = pending && !outcome.delivered ? outcome.nextAttemptAt : undefined;
      deliveries.set(deliveryId, {
        delivery: {
          ...record.delivery,
          attempts: record.delivery.attempts + 1,
          // PostgreSQL clears the time of a delivery no longer pending; here it keeps the try's time
          nextAttemptAt: scheduled ?? (pending ? attempt.at : record.delivery.nextAttemptAt),
        },
        tries: [...record.tries, attempt],
        state: !pending
          ? record.state
          : outcome.delivered
            ? 'DELIVERED'
            : scheduled === undefined
              ? 'ABANDONED'
              : 'PENDING',
      });
      return Either.right({ ...tables, deliveries });
    }),
  signingSecretOf: (accountId) => database.read((tables) => Option.fromNullable(tables.callbackSecrets.get(accountId))),
});

/** Sets the secret an account's callbacks are signed with. */
export const setInMemoryCallbackSecret = (
  database: InMemoryDatabase,
  accountId: string,
  secret: string,
): Effect.Effect<void> =>
  database.update((tables) => {
    const callbackSecrets = new Map(tables.callbackSecrets);
    callbackSecrets.set(accountId, secret);
    return [undefined, { ...tables, callbackSecrets }] as const;
  });

/** The transfer log; `entries()` gives every exchange appended. */
export interface InMemoryTransferLog extends TransferLogService {
  readonly entries: () => readonly TransferLogEntry[];
}

export const makeInMemoryTransferLog = (database: InMemoryDatabase): InMemoryTransferLog => {
  const log: TransferLogEntry[] = [];
  return {
    entries: () => [...log],
    append: (entry) =>
      Effect.sync(() => {
        log.push(entry);
      }),
    forTopUp: (topUpId) =>
      database.read((tables) => {
        const attempts = tables.topUps.get(topUpId)?.topUp.attempts ?? [];
        return log.flatMap((entry): StoredExchange[] => {
          const attempt = attempts.find((candidate) => candidate.providerExternalId === entry.reference);
          return attempt === undefined ? [] : [{ ...entry, attemptNumber: attempt.number }];
        });
      }),
  };
};

/** The stores above as layers over one database. */
export const inMemoryStoreLayers = (database: InMemoryDatabase, transferLog: InMemoryTransferLog) =>
  Layer.mergeAll(
    Layer.succeed(TopUpRepository, makeInMemoryTopUpRepository(database)),
    Layer.succeed(Outbox, makeInMemoryOutbox(database)),
    Layer.succeed(OutboxFeed, makeInMemoryOutboxFeed(database)),
    Layer.succeed(Inbox, makeInMemoryInbox(database)),
    Layer.succeed(TopUpRequestStore, makeInMemoryTopUpRequestStore(database)),
    Layer.succeed(CallbackDeliveryStore, makeInMemoryCallbackDeliveryStore(database)),
    Layer.succeed(TransferLog, transferLog),
  );
