// The unit of work with group commit: units of work that callers open at
// the same time share one database transaction and one durable commit. Each
// unit runs in a savepoint of its own, so one that fails is rolled back
// alone; every caller is answered only after the shared COMMIT.
import { PersistenceFailure, UnitOfWork, type UnitOfWorkService } from '@airtime/domain';
import { Effect, Exit, Fiber, FiberRef, type FiberRefs, Layer } from 'effect';
import type { PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { abortedTransactions, currentManager, toPersistenceFailure } from '../sql';
import { makeUnitOfWork } from '../unit-of-work.adapter';
import { type GroupCommitConfig, groupCommitConfigFrom } from './group-commit.config';
import { makeGroupQueue } from './group-queue.runner';

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

/** A unit waiting for its group: its work (run with its caller's fiber refs) and how to answer it. */
interface Unit {
  readonly work: Effect.Effect<unknown, unknown>;
  readonly refs: FiberRefs.FiberRefs;
}

type UnitExit = Exit.Exit<unknown, unknown>;

/** The pg client under a TypeORM query runner: savepoint commands go on it as simple queries. */
const clientOf = (runner: QueryRunner) => (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;

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
        const failure = toPersistenceFailure(cause);
        return units.map((_, index) => {
          const exit = exits[index];
          return exit !== undefined && Exit.isFailure(exit) ? exit : Exit.fail(failure);
        });
      };
      try {
        await runner.connect();
        await runner.startTransaction();
      } catch (error) {
        await runner.release().catch(() => undefined);
        return failAll(error);
      }
      const savepoints = units.length > 1;
      try {
        if (savepoints) await clientOf(runner).query('SAVEPOINT unit');
        for (const [index, unit] of units.entries()) {
          const exit = await Effect.runPromise(runUnit(unit, runner));
          const aborted = abortedTransactions.get(runner);
          const last = index === units.length - 1;
          if (Exit.isSuccess(exit) && aborted === undefined) {
            exits.push(exit);
            if (savepoints && !last) await clientOf(runner).query('RELEASE SAVEPOINT unit; SAVEPOINT unit');
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
            await clientOf(runner).query('ROLLBACK TO SAVEPOINT unit');
            abortedTransactions.delete(runner);
          }
        }
        if (exits.some(Exit.isSuccess) && abortedTransactions.get(runner) === undefined)
          await runner.commitTransaction();
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
 * A unit runs in the committer with its caller's fiber refs (its services,
 * log annotations, logger), and keeps running when its caller is
 * interrupted: it commits with its group (the stores' writes are keyed and
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
  const queue = makeGroupQueue<Unit, UnitExit>(runGroup(dataSource), config);
  return {
    transactionally: <A, E, R>(work: Effect.Effect<A, E, R>): Effect.Effect<A, E | PersistenceFailure, R> =>
      Effect.gen(function* () {
        if ((yield* FiberRef.get(currentManager)) !== undefined) return yield* work;
        if (yield* FiberRef.get(ownTransactions)) return yield* own.transactionally(work);
        const refs = yield* Effect.getFiberRefs;
        const exit = yield* queue.submit({ work: work as Effect.Effect<unknown, unknown>, refs });
        return yield* exit as Exit.Exit<A, E | PersistenceFailure>;
      }),
  };
};

export const groupCommitUnitOfWorkLayer = (dataSource: DataSource, bounds: Partial<GroupCommitConfig> = {}) =>
  Layer.succeed(UnitOfWork, makeGroupCommitUnitOfWork(dataSource, bounds));
