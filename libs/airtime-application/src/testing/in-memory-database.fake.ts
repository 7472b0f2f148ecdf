// An in-memory database for use-case specs: every store's rows in one value,
// units of work that commit all of it or roll all of it back, and one writer
// at a time (a unit of work holds the lock until it ends, as a row lock would).
import { type CallbackDelivery, type CallbackTry } from '../lib/ports/callback-deliveries.port';
import type { StoredTopUpRequest } from '../lib/ports/top-up-requests.port';
import type { Account } from '../lib/ports/accounts.port';
import type { StoredApiKey } from '../lib/ports/api-keys.port';
import {
  emptyLedger,
  type Ledger,
  type OutboxEvent,
  PersistenceFailure,
  type TopUp,
  UnitOfWork,
} from '@airtime/domain';
import { Effect, Exit, FiberRef, Layer } from 'effect';

/** An outbox row: the event, and what the relay did with it. */
export interface OutboxRecord {
  readonly event: OutboxEvent;
  readonly sentAt: Date | undefined;
  readonly publishAttempts: number;
}

/** A callback delivery row with its tries. */
export interface DeliveryRecord {
  readonly delivery: CallbackDelivery;
  readonly tries: readonly CallbackTry[];
  readonly state: 'PENDING' | 'DELIVERED' | 'ABANDONED';
}

/** Every table of the in-memory database. */
export interface Tables {
  readonly topUps: ReadonlyMap<string, { readonly topUp: TopUp; readonly version: number }>;
  readonly ledger: Ledger;
  readonly outbox: readonly OutboxRecord[];
  /** `JSON.stringify([consumer, messageId])`. */
  readonly inbox: ReadonlySet<string>;
  /** By top-up id. */
  readonly requests: ReadonlyMap<string, StoredTopUpRequest>;
  /** By delivery id, in insertion order. */
  readonly deliveries: ReadonlyMap<string, DeliveryRecord>;
  readonly callbackSecrets: ReadonlyMap<string, string>;
  /** The account directory, by account id. */
  readonly accounts: ReadonlyMap<string, Account>;
  /** API keys by key id, in insertion order. */
  readonly apiKeys: ReadonlyMap<string, StoredApiKey>;
}

export const emptyTables: Tables = {
  topUps: new Map(),
  ledger: emptyLedger,
  outbox: [],
  inbox: new Set(),
  requests: new Map(),
  deliveries: new Map(),
  callbackSecrets: new Map(),
  accounts: new Map(),
  apiKeys: new Map(),
};

export interface InMemoryDatabase {
  /** The committed tables (and a unit of work's own writes while it runs). */
  readonly tables: () => Tables;
  /** Changes the tables atomically: joins the current unit of work, or is a unit of work of its own. */
  readonly update: <A>(change: (tables: Tables) => readonly [A, Tables]) => Effect.Effect<A>;
  /** Reads the tables. */
  readonly read: <A>(query: (tables: Tables) => A) => Effect.Effect<A>;
  readonly inUnitOfWork: Effect.Effect<boolean>;
  readonly unitOfWork: UnitOfWork['Type'];
  /** The next `count` units of work fail at commit (retryable `PersistenceFailure`): everything rolls back. */
  readonly failNextCommits: (count: number) => void;
  /** Units of work committed and rolled back so far. */
  readonly stats: () => { readonly committed: number; readonly rolledBack: number };
}

export const makeInMemoryDatabase = (initial: Tables = emptyTables): InMemoryDatabase => {
  let state = initial;
  let failing = 0;
  let committed = 0;
  let rolledBack = 0;
  const open = FiberRef.unsafeMake(false);
  const lock = Effect.unsafeMakeSemaphore(1);

  const unit = <A, E, R>(
    work: Effect.Effect<A, E, R>,
    injectable: boolean,
  ): Effect.Effect<A, E | PersistenceFailure, R> =>
    Effect.flatMap(FiberRef.get(open), (inside) =>
      inside
        ? work
        : lock.withPermits(1)(
            Effect.suspend(() => {
              const snapshot = state;
              const commit = Effect.suspend(() => {
                if (!injectable || failing <= 0) return Effect.void;
                failing -= 1;
                return Effect.fail(new PersistenceFailure({ reason: 'injected commit failure', retryable: true }));
              });
              return Effect.locally(
                Effect.tap(work, () => commit),
                open,
                true,
              ).pipe(
                Effect.onExit((exit) =>
                  Effect.sync(() => {
                    if (Exit.isSuccess(exit)) committed += 1;
                    else {
                      state = snapshot;
                      rolledBack += 1;
                    }
                  }),
                ),
              );
            }),
          ),
    );

  const transactionally = <A, E, R>(work: Effect.Effect<A, E, R>): Effect.Effect<A, E | PersistenceFailure, R> =>
    unit(work, true);

  const update = <A>(change: (tables: Tables) => readonly [A, Tables]): Effect.Effect<A> =>
    Effect.orDie(
      unit(
        Effect.sync(() => {
          const [result, next] = change(state);
          state = next;
          return result;
        }),
        false,
      ),
    );

  return {
    tables: () => state,
    update,
    read: (query) => Effect.sync(() => query(state)),
    inUnitOfWork: FiberRef.get(open),
    unitOfWork: { transactionally },
    failNextCommits: (count) => {
      failing = count;
    },
    stats: () => ({ committed, rolledBack }),
  };
};

/** The database's unit of work as a layer. */
export const inMemoryUnitOfWorkLayer = (database: InMemoryDatabase): Layer.Layer<UnitOfWork> =>
  Layer.succeed(UnitOfWork, database.unitOfWork);
