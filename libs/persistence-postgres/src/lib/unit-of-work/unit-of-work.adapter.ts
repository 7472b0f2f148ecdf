import { PersistenceFailure, UnitOfWork, type UnitOfWorkService } from '@airtime/domain';
import { Effect, Exit, FiberRef, Layer } from 'effect';
import type { DataSource, QueryRunner } from 'typeorm';
import { abortedTransactions, currentManager, toPersistenceFailure } from './sql';

const attempt = (operation: () => Promise<void>) => Effect.tryPromise({ try: operation, catch: toPersistenceFailure });

/**
 * One database transaction around an effect: committed when it succeeds,
 * rolled back when it fails, dies or is interrupted. A nested call joins the
 * transaction already open, so a use case's writes commit together.
 */
export const makeUnitOfWork = (dataSource: DataSource): UnitOfWorkService => ({
  transactionally: <A, E, R>(work: Effect.Effect<A, E, R>): Effect.Effect<A, E | PersistenceFailure, R> =>
    Effect.flatMap(FiberRef.get(currentManager), (open) =>
      open
        ? work
        : Effect.acquireUseRelease(
            Effect.tryPromise({
              try: async (): Promise<QueryRunner> => {
                const runner = dataSource.createQueryRunner();
                try {
                  await runner.connect();
                  // READ COMMITTED: every session's default (data-source.ts), so one round trip opens it
                  await runner.startTransaction();
                  return runner;
                } catch (error) {
                  await runner.release();
                  throw error;
                }
              },
              catch: toPersistenceFailure,
            }),
            (runner) =>
              Effect.locally(work, currentManager, runner.manager).pipe(
                Effect.tap(() => {
                  const aborted = abortedTransactions.get(runner);
                  return aborted
                    ? Effect.fail(
                        new PersistenceFailure({
                          reason: `a statement failed inside the unit of work, so PostgreSQL rolled it back; nothing was committed (${aborted.reason})`,
                          retryable: aborted.retryable,
                        }),
                      )
                    : attempt(() => runner.commitTransaction());
                }),
              ),
            (runner, exit) =>
              Effect.promise(async () => {
                if (Exit.isFailure(exit) && runner.isTransactionActive)
                  await runner.rollbackTransaction().catch(() => undefined);
                abortedTransactions.delete(runner);
                await runner.release();
              }),
          ),
    ),
});

export const unitOfWorkLayer = (dataSource: DataSource) => Layer.succeed(UnitOfWork, makeUnitOfWork(dataSource));
