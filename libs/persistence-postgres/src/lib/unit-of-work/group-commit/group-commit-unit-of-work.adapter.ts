// The unit of work with group commit: units of work that callers open at
// the same time share one database transaction and one durable commit. Each
// unit runs in a savepoint of its own, so one that fails is rolled back
// alone; every caller is answered only after the shared COMMIT.
import { PersistenceFailure, UnitOfWork, type UnitOfWorkService } from '@airtime/domain';
import { Cause, Effect, Exit, Fiber, FiberRef, type FiberRefs, Layer, Option } from 'effect';
import type { PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { abortedTransactions, currentManager, toPersistenceFailure } from '../sql';
import { makeUnitOfWork } from '../unit-of-work.adapter';
import { type GroupCommitConfig, groupCommitConfigFrom } from './group-commit.config';
import { makeBatchQueue } from '../../batching/batch-queue.runner';

/**
 * Whether units of work opened by the current fiber run in transactions of
 * their own, not in a group: for work that waits on something other than the
 * database inside its transaction (a broker's confirm), which would hold up
 * every unit of its group.
 */
const ownTransactions: FiberRef.FiberRef<boolean> = FiberRef.unsafeMake(false);

/** `effect` with every unit of work it opens in a transaction of its own (see `ownTransactions`). */
export const withOwnTransactions = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locally(effect, ownTransactions, true);

/** How many times a unit rolled back by a lock conflict runs again before its caller gets the failure. */
const LOCK_CONFLICT_RETRIES = 3;

/**
 * Whether a unit failed on a lock conflict: a deadlock (40P01), a
 * serialization failure (40001) or a lock timeout (55P03). Units hold their
 * row locks until their group commits, so two groups (or a group and another
 * process) can wait on each other; PostgreSQL breaks the cycle by failing one
 * statement.
 */
const isLockConflict = (exit: Exit.Exit<unknown, unknown>): boolean =>
  Exit.isFailure(exit) &&
  Option.exists(
    Cause.failureOption(exit.cause),
    (failure) => failure instanceof PersistenceFailure && /database error (40P01|40001|55P03)\b/.test(failure.reason),
  );

/** A unit waiting for its group: its work (run with its caller's fiber refs) and how to answer it. */
interface Unit {
  readonly work: Effect.Effect<unknown, unknown>;
  readonly refs: FiberRefs.FiberRefs;
}

type UnitExit = Exit.Exit<unknown, unknown>;

/**
 * COMMITs on the pg client and checks the server's answer: PostgreSQL
 * answers ROLLBACK to the COMMIT of a transaction in which a statement
 * failed (one the unit-of-work bookkeeping did not see, say from a fiber a
 * unit left running), and then nothing was committed. TypeORM's
 * `commitTransaction` does not look; its runner's flags are set as it would.
 */
const commit = async (runner: QueryRunner, client: PoolClient) => {
  const answer = await client.query('COMMIT');
  Object.assign(runner, { isTransactionActive: false, transactionDepth: 0 });
  if (answer.command !== 'COMMIT')
    throw new PersistenceFailure({
      reason: `PostgreSQL answered ${answer.command} to the COMMIT of a group: a statement failed in its transaction; nothing was committed`,
      retryable: true,
    });
};

/** Runs one unit in the group's transaction, in a fiber of its own that has its caller's fiber refs. */
const runUnit = (unit: Unit, runner: QueryRunner): Effect.Effect<UnitExit> =>
  Effect.flatMap(
    Effect.fork(
      Effect.zipRight(Effect.setFiberRefs(unit.refs), Effect.locally(unit.work, currentManager, runner.manager)),
    ),
    Fiber.await,
  );

/**
 * One group: BEGIN; for each unit a savepoint (none for a group of one), the
 * unit, then RELEASE (success) or ROLLBACK TO the savepoint (failure, or a
 * statement that failed inside it); COMMIT when any unit succeeded. Answers
 * one exit per unit. A failure of the transaction itself (connection lost,
 * COMMIT refused) fails every unit that had succeeded, and every unit not
 * run yet, with that PersistenceFailure.
 */
const runGroup =
  (dataSource: DataSource) =>
  (units: readonly Unit[]): Effect.Effect<readonly UnitExit[]> =>
    Effect.promise(async () => {
      const runner = dataSource.createQueryRunner();
      const exits: UnitExit[] = [];
      const failAll = (cause: unknown) => {
        const failure = cause instanceof PersistenceFailure ? cause : toPersistenceFailure(cause);
        return units.map((_, index) => {
          const exit = exits[index];
          return exit !== undefined && Exit.isFailure(exit) ? exit : Exit.fail(failure);
        });
      };
      // the runner's pg client: savepoint commands and the COMMIT go on it as simple queries
      let client: PoolClient;
      try {
        client = (await runner.connect()) as PoolClient;
        await runner.startTransaction();
      } catch (error) {
        await runner.release().catch(() => undefined);
        return failAll(error);
      }
      const savepoints = units.length > 1;
      try {
        if (savepoints) await client.query('SAVEPOINT unit');
        for (const [index, unit] of units.entries()) {
          const exit = await Effect.runPromise(runUnit(unit, runner));
          const aborted = abortedTransactions.get(runner);
          const last = index === units.length - 1;
          if (Exit.isSuccess(exit) && aborted === undefined) {
            exits.push(exit);
            if (savepoints && !last) await client.query('RELEASE SAVEPOINT unit; SAVEPOINT unit');
            continue;
          }
          exits.push(
            Exit.isSuccess(exit) && aborted !== undefined
              ? Exit.fail(
                  new PersistenceFailure({
                    reason: `a statement failed inside the unit of work, so PostgreSQL rolled it back; nothing was committed (${aborted.reason})`,
                    retryable: aborted.retryable,
                  }),
                )
              : exit,
          );
          if (savepoints) {
            await client.query('ROLLBACK TO SAVEPOINT unit');
            abortedTransactions.delete(runner);
          }
        }
        // a statement that failed after the last unit's check (no unit to blame): nothing of the group commits
        const aborted = abortedTransactions.get(runner);
        if (aborted !== undefined) {
          await runner.rollbackTransaction();
          return failAll(aborted);
        }
        if (exits.some(Exit.isSuccess)) await commit(runner, client);
        else await runner.rollbackTransaction();
        return exits;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        return failAll(error);
      } finally {
        abortedTransactions.delete(runner);
        await runner.release().catch(() => undefined);
      }
    });

/**
 * The `UnitOfWork` port with group commit. A unit of work opened outside
 * any other joins a queue; up to `groups` committers each take up to
 * `maxGroup` waiting units and run them one after the other in ONE
 * transaction, each in a savepoint of its own (a failed unit, or one whose
 * statement failed, is rolled back to its savepoint and answered with its
 * failure; the others are not touched), then COMMIT once. Each caller is
 * answered after that COMMIT (or with the transaction's failure). A unit
 * alone goes at once, as a transaction of its own, with no savepoint.
 *
 * A unit that fails on a lock conflict (deadlock, serialization failure,
 * lock timeout: units hold their row locks until their group commits) runs
 * again in a later group, up to three times. `bounds`: `groups` (default
 * 1, 1..64) committers, `maxGroup` (default 32, 1..1,000) units per group;
 * with `maxGroup` 1 it is the plain unit of work (`makeUnitOfWork`, as many
 * transactions at once as the pool has connections; `groups` is not used).
 *
 * A unit runs in the committer with its caller's fiber refs (its services,
 * log annotations, logger). A caller interrupted while its unit still waits
 * for a group takes the unit out of the queue: it never runs. Once its group
 * has started, the unit keeps running and commits with the group, and the
 * interruption ends when the group has (the stores' writes are keyed and
 * idempotent, so work redone after an interruption is safe). A nested call
 * joins the transaction already open. Inside `withOwnTransactions`, units run
 * in transactions of their own (`makeUnitOfWork`). Throws
 * `InvalidGroupCommitConfig` for bounds out of range.
 */
export const makeGroupCommitUnitOfWork = (
  dataSource: DataSource,
  bounds: Partial<GroupCommitConfig> = {},
): UnitOfWorkService => {
  const config = groupCommitConfigFrom(bounds);
  const own = makeUnitOfWork(dataSource);
  // no grouping: the plain unit of work, as many transactions at once as the pool has connections
  if (config.maxGroup === 1) return own;
  const queue = makeBatchQueue<Unit, UnitExit>(runGroup(dataSource), {
    workers: config.groups,
    maxBatch: config.maxGroup,
    lingerMs: 0,
  });
  return {
    transactionally: <A, E, R>(work: Effect.Effect<A, E, R>): Effect.Effect<A, E | PersistenceFailure, R> =>
      Effect.gen(function* () {
        if ((yield* FiberRef.get(currentManager)) !== undefined) return yield* work;
        if (yield* FiberRef.get(ownTransactions)) return yield* own.transactionally(work);
        const refs = yield* Effect.getFiberRefs;
        const unit = { work: work as Effect.Effect<unknown, unknown>, refs };
        let exit = yield* queue.submit(unit);
        // a deadlock, serialization failure or lock timeout rolled the unit back alone: it runs again, in a later group
        for (let retry = 0; retry < LOCK_CONFLICT_RETRIES && isLockConflict(exit); retry++)
          exit = yield* queue.submit(unit);
        return yield* exit as Exit.Exit<A, E | PersistenceFailure>;
      }),
  };
};

export const groupCommitUnitOfWorkLayer = (dataSource: DataSource, bounds: Partial<GroupCommitConfig> = {}) =>
  Layer.succeed(UnitOfWork, makeGroupCommitUnitOfWork(dataSource, bounds));
