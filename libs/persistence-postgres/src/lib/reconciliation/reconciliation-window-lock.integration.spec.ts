// The reconciler's window lock on PostgreSQL: one holder per window key at a time, a second one
// refused at once, other keys free, the lock given back however the work ends (success, failure,
// interruption), and freed by the server when the holder's connection is closed.
import { ReconciliationWindowBusy } from '@airtime/application';
import { PersistenceFailure } from '@airtime/domain';
import { Deferred, Effect, Either, Fiber } from 'effect';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeDataSource } from '../data-source';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { sql } from '../unit-of-work/sql';
import { makeReconciliationStore } from './reconciliation-store.adapter';
import { WINDOW_LOCK_CLASS } from './reconciliation.queries';

const KEY = 'dtone/2025-03-10T00:00:00.000Z/2025-03-11T00:00:00.000Z';
const OTHER_KEY = 'dtone/2025-03-11T00:00:00.000Z/2025-03-12T00:00:00.000Z';

const outcomeOf = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect));
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const outcome = await outcomeOf(effect);
  return Either.isLeft(outcome) ? outcome.left : undefined;
};

describe('reconciliation store on PostgreSQL: the window lock', () => {
  let db: TestDatabase;
  /** A second pool on the same database, as another process of the reconciler would have. */
  let elsewhere: DataSource;
  const store = () => makeReconciliationStore(db.dataSource);

  /** The sessions holding a window lock, by backend pid. */
  const holders = async (key: string): Promise<number[]> =>
    (
      (await db.dataSource.query(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND classid = ($1::int4)::oid AND objid = (hashtext($2::text))::oid AND objsubid = 2`,
        [WINDOW_LOCK_CLASS, key],
      )) as { pid: number }[]
    ).map((row) => row.pid);

  /**
   * Waits until no session holds the window lock. A terminated backend sends its FATAL message (which
   * the holder sees) before it exits and the server frees its locks, so the lock outlives the
   * holder's failure by a moment; fails after 10 s.
   */
  const lockFreed = async (key: string): Promise<number[]> => {
    const deadline = Date.now() + 10_000;
    let pids = await holders(key);
    while (pids.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      pids = await holders(key);
    }
    return pids;
  };

  /** Runs `withWindowLock(key, …)` in a fiber that holds the lock until `release` is completed. */
  const holdLock = async (key: string, dataSource = db.dataSource) => {
    const entered = await Effect.runPromise(Deferred.make<void>());
    const release = await Effect.runPromise(Deferred.make<string>());
    const fiber = Effect.runFork(
      makeReconciliationStore(dataSource).withWindowLock(
        key,
        Effect.zipRight(Deferred.succeed(entered, undefined), Deferred.await(release)),
      ),
    );
    await Effect.runPromise(Deferred.await(entered));
    return { fiber, finish: (value: string) => Effect.runPromise(Deferred.succeed(release, value)) };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    elsewhere = makeDataSource(db.config);
    await elsewhere.initialize();
  });
  afterAll(async () => {
    await elsewhere.destroy();
    await db.drop();
  });

  it('refuses a second holder of a window at once (its work never starts), and lets one in after the first ends', async () => {
    const first = await holdLock(KEY);
    expect(await holders(KEY)).toHaveLength(1);
    let started = false;
    const second = await outcomeOf(
      store().withWindowLock(
        KEY,
        Effect.sync(() => {
          started = true;
        }),
      ),
    );
    expect(second).toEqual(Either.left(new ReconciliationWindowBusy({ windowKey: KEY })));
    expect(started).toBe(false);
    // from another pool (another process) too
    expect(await failureOf(makeReconciliationStore(elsewhere).withWindowLock(KEY, Effect.succeed(1)))).toEqual(
      new ReconciliationWindowBusy({ windowKey: KEY }),
    );

    await first.finish('done');
    expect(await Effect.runPromise(Fiber.join(first.fiber))).toBe('done');
    expect(await holders(KEY)).toEqual([]);
    expect(await outcomeOf(store().withWindowLock(KEY, Effect.succeed('after')))).toEqual(Either.right('after'));
  });

  it('does not hold back another window, and the work runs on other connections than the lock', async () => {
    const first = await holdLock(KEY);
    const [lockPid] = await holders(KEY);
    const workPid = await Effect.runPromise(
      store().withWindowLock(
        OTHER_KEY,
        makeUnitOfWork(db.dataSource).transactionally(
          sql<{ pid: number }>(db.dataSource, 'SELECT pg_backend_pid() AS pid'),
        ),
      ),
    );
    expect(workPid[0]?.pid).toEqual(expect.any(Number));
    expect(workPid[0]?.pid).not.toBe(lockPid);
    await first.finish('done');
    await Effect.runPromise(Fiber.join(first.fiber));
  });

  it('gives the lock back when the work fails, dies or is interrupted', async () => {
    expect(await outcomeOf(store().withWindowLock(KEY, Effect.fail('boom' as const)))).toEqual(Either.left('boom'));
    expect(await holders(KEY)).toEqual([]);
    await expect(Effect.runPromise(store().withWindowLock(KEY, Effect.die(new Error('defect'))))).rejects.toThrow(
      'defect',
    );
    expect(await holders(KEY)).toEqual([]);
    const held = await holdLock(KEY);
    await Effect.runPromise(Fiber.interrupt(held.fiber));
    expect(await holders(KEY)).toEqual([]);
    expect(await outcomeOf(store().withWindowLock(KEY, Effect.succeed('free')))).toEqual(Either.right('free'));
    // no connection of the pool is left holding any advisory lock
    const advisory = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`,
    )) as { n: number }[];
    expect(advisory[0]?.n).toBe(0);
  });

  it('is freed when the holder’s connection is closed, and the holder’s work is stopped with a retryable failure', async () => {
    const holder = await holdLock(KEY, elsewhere);
    const [pid] = await holders(KEY);
    await db.dataSource.query(`SELECT pg_terminate_backend($1)`, [pid]);
    const failure = await failureOf(Fiber.join(holder.fiber));
    expect(failure).toBeInstanceOf(PersistenceFailure);
    expect(failure).toMatchObject({ retryable: true, reason: expect.stringMatching(/lock of window .* was closed/) });
    expect(await lockFreed(KEY)).toEqual([]);
    expect(await outcomeOf(store().withWindowLock(KEY, Effect.succeed('taken over')))).toEqual(
      Either.right('taken over'),
    );
    // the other pool still works: the closed connection was dropped from it
    expect(await outcomeOf(makeReconciliationStore(elsewhere).withWindowLock(KEY, Effect.succeed(2)))).toEqual(
      Either.right(2),
    );
  });
});
