import { PersistenceFailure } from '@airtime/domain';
import { Effect, FiberRef } from 'effect';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * The transaction the current fiber runs in, if any. Set by the unit of
 * work; every repository reads it, so that everything a use case writes
 * inside `transactionally` shares one database transaction.
 */
export const currentManager: FiberRef.FiberRef<EntityManager | undefined> = FiberRef.unsafeMake<
  EntityManager | undefined
>(undefined);

/** SQLSTATEs worth retrying: serialization failure, deadlock, lock or statement timeout, connection loss. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014', '08000', '08003', '08006', '57P01']);

interface DriverError {
  readonly code?: string;
  readonly constraint?: string;
  readonly message?: string;
}

export const driverErrorOf = (cause: unknown): DriverError => {
  const error = cause as { driverError?: DriverError; code?: string; constraint?: string; message?: string };
  return error?.driverError ?? error ?? {};
};

/** A database error as the domain's typed failure; its text keeps no parameters (no personal data). */
export const toPersistenceFailure = (cause: unknown): PersistenceFailure => {
  const error = driverErrorOf(cause);
  const code = error.code ?? 'unknown';
  return new PersistenceFailure({
    reason: `database error ${code}${error.constraint ? ` on ${error.constraint}` : ''}: ${(error.message ?? String(cause)).split('\n')[0]}`,
    retryable: RETRYABLE_SQLSTATES.has(code) || /ECONNRESET|ECONNREFUSED|timeout/i.test(error.message ?? ''),
  });
};

/**
 * Runs one statement through a TypeORM query runner and returns its rows
 * (structured result: `UPDATE ... RETURNING` gives rows too, not [rows, count]).
 */
/**
 * Transactions in which a statement failed. PostgreSQL aborts such a
 * transaction and turns its COMMIT into a silent ROLLBACK, so the unit of
 * work must refuse to report it as committed even when the error was caught.
 */
export const abortedTransactions = new WeakSet<QueryRunner>();

const execute = async (
  dataSource: DataSource,
  manager: EntityManager | undefined,
  text: string,
  parameters: readonly unknown[],
) => {
  const runner = manager?.queryRunner;
  if (runner) {
    try {
      return (await runner.query(text, [...parameters], true)).records as unknown[];
    } catch (error) {
      if (runner.isTransactionActive) abortedTransactions.add(runner);
      throw error;
    }
  }
  const ownRunner = dataSource.createQueryRunner();
  try {
    return (await ownRunner.query(text, [...parameters], true)).records as unknown[];
  } finally {
    await ownRunner.release();
  }
};

/** Runs one SQL statement in the current transaction (or on the pool outside one). */
export const sql = <Row = Record<string, unknown>>(
  dataSource: DataSource,
  text: string,
  parameters: readonly unknown[] = [],
): Effect.Effect<Row[], PersistenceFailure> =>
  Effect.flatMap(FiberRef.get(currentManager), (manager) =>
    Effect.tryPromise({
      try: () => execute(dataSource, manager, text, parameters) as Promise<Row[]>,
      catch: toPersistenceFailure,
    }),
  );

/** bigint columns arrive as text from pg: read them exactly. */
export const bigintOf = (value: unknown): bigint => BigInt(value as string | number | bigint);
