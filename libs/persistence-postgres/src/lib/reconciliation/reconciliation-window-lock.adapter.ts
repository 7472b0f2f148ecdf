// The reconciler's window lock on PostgreSQL: a session advisory lock taken on a connection of its
// own and held for the whole run, so that one run of a window goes at a time; a second run is
// refused at once, and a run whose lock connection is closed under it stops.
import { ReconciliationWindowBusy, type ReconciliationStoreService } from '@airtime/application';
import { PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import type { Statement } from '../top-ups/top-up.queries';
import { toPersistenceFailure } from '../unit-of-work/sql';
import * as queries from './reconciliation.queries';

interface LockConnection {
  readonly runner: QueryRunner;
  readonly client: PoolClient;
  readonly locked: boolean;
}

const firstFlag = async (runner: QueryRunner, statement: Statement, column: string): Promise<boolean> => {
  const result = (await runner.query(statement.text, [...statement.parameters], true)) as {
    records: Record<string, unknown>[];
  };
  return result.records[0]?.[column] === true;
};

/** A connection of the pool with the window's lock tried on it (never waits); released by `release`. */
const tryLock = (dataSource: DataSource, windowKey: string): Effect.Effect<LockConnection, PersistenceFailure> =>
  Effect.tryPromise({
    try: async () => {
      const runner = dataSource.createQueryRunner();
      try {
        const client = (await runner.connect()) as PoolClient;
        return { runner, client, locked: await firstFlag(runner, queries.tryWindowLock(windowKey), 'locked') };
      } catch (error) {
        await runner.release();
        throw error;
      }
    },
    catch: toPersistenceFailure,
  });

/**
 * Unlocks and hands the connection back to the pool. A connection that may
 * still hold the lock (the unlock did not confirm) is closed instead, which
 * frees the lock: a pooled connection never keeps a window locked. One the
 * server closed is gone from the pool already (and its lock with it).
 */
const release = (windowKey: string, { runner, client, locked }: LockConnection): Effect.Effect<void> =>
  Effect.promise(async () => {
    if (locked && !runner.isReleased) {
      const unlocked = await firstFlag(runner, queries.windowUnlock(windowKey), 'unlocked').catch(() => false);
      if (!unlocked) await client.end().catch(() => undefined);
    }
    await runner.release();
  });

/** Fails when the lock's connection closes (the server ended the session, the network dropped it). */
const connectionClosed = (windowKey: string, client: PoolClient): Effect.Effect<never, PersistenceFailure> =>
  Effect.async<never, PersistenceFailure>((resume) => {
    const onEnd = () =>
      resume(
        Effect.fail(
          new PersistenceFailure({
            reason: `the connection holding the lock of window ${windowKey} was closed; the run stopped so that it never overlaps another run of the window`,
            retryable: true,
          }),
        ),
      );
    client.once('end', onEnd);
    return Effect.sync(() => {
      client.removeListener('end', onEnd);
    });
  });

/**
 * `withWindowLock` on PostgreSQL: `pg_try_advisory_lock(class, hashtext(windowKey))`
 * on one pooled connection taken for the purpose (so the pool must have one
 * more than the work uses), held while `work` runs on the other connections,
 * unlocked and given back when `work` ends (success, failure or
 * interruption). Held by another session: `ReconciliationWindowBusy` at
 * once, `work` never started. The lock's connection closed while `work`
 * runs: `work` is interrupted (its transaction rolls back) and the run fails
 * with a retryable `PersistenceFailure`, since another run may now take the
 * window. Two window keys with the same 32-bit hash share a lock (a rare,
 * safe refusal: try again).
 */
export const makeWithWindowLock =
  (dataSource: DataSource): ReconciliationStoreService['withWindowLock'] =>
  <A, E, R>(windowKey: string, work: Effect.Effect<A, E, R>) =>
    Effect.acquireUseRelease(
      tryLock(dataSource, windowKey),
      ({ client, locked }): Effect.Effect<A, E | ReconciliationWindowBusy | PersistenceFailure, R> =>
        locked
          ? Effect.raceFirst(work, connectionClosed(windowKey, client))
          : Effect.fail(new ReconciliationWindowBusy({ windowKey })),
      (connection) => release(windowKey, connection),
    );
