import { PersistenceFailure } from '@airtime/domain';
import { Effect, FiberRef } from 'effect';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * The transaction the current fiber runs in, if any. Set by the unit of
 * work; every repository reads it, so that everything a use case writes
 * inside `transactionally` shares one database transaction.
 */
export const currentManager: FiberRef.FiberRef<EntityManager | undefined> = FiberRef.unsafeMake<
  EntityManager | undefined
>(undefined);

/** SQLSTATEs of a transaction worth running again: serialization failure, deadlock, lock or statement timeout. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014']);

/**
 * SQLSTATEs of a session the server ended or would not open: class 08
 * (connection exception), 57P01 (admin shutdown or `pg_terminate_backend`),
 * 57P02 (crash shutdown), 57P03 (cannot connect now), 57P05 (idle session
 * timeout), 25P03 (idle-in-transaction timeout), 53300 (too many connections).
 */
const SESSION_LOST_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05', '25P03', '53300']);

/** Node socket error codes of a connection that dropped or could not be made. */
const SOCKET_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/**
 * What pg and TypeORM say of a lost connection when there is no code: the
 * socket closed under a query, a client that errored before, or a query
 * runner that TypeORM released because its client errored.
 */
const CONNECTION_LOST_MESSAGE =
  /Connection terminated|Connection ended unexpectedly|Query runner already released|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end|timeout exceeded when trying to connect|ECONNRESET|ECONNREFUSED|EPIPE/i;

interface DriverError {
  readonly code?: string | undefined;
  readonly constraint?: string | undefined;
  readonly message?: string | undefined;
  readonly name?: string | undefined;
}

export const driverErrorOf = (cause: unknown): DriverError => {
  const error = cause as { driverError?: DriverError; code?: string; constraint?: string; message?: string };
  return error?.driverError ?? error ?? {};
};

/**
 * Whether `cause` is the connection being lost (or not made), in any of the
 * forms it takes: a SQLSTATE, a socket error code, or a pg / TypeORM message
 * (a released query runner is the same fault met one statement later).
 */
export const isConnectionLoss = (cause: unknown): boolean => {
  const error = driverErrorOf(cause);
  const code = typeof error.code === 'string' ? error.code : '';
  if (code.startsWith('08') || SESSION_LOST_SQLSTATES.has(code) || SOCKET_ERROR_CODES.has(code)) return true;
  const outer = cause as { message?: unknown } | undefined;
  return [error.message, outer?.message].some(
    (message) => typeof message === 'string' && CONNECTION_LOST_MESSAGE.test(message),
  );
};

/**
 * PostgreSQL's answer to a prepared statement whose tables changed shape
 * since it was prepared (a migration added a column under `SELECT *`): the
 * statement can never run again under that name on that connection.
 */
const isStalePreparedStatement = (cause: unknown): boolean => {
  const error = driverErrorOf(cause);
  return error.code === '0A000' && /cached plan must not change result type/.test(error.message ?? '');
};

/**
 * Whether the unit of work can be run again as a whole: a transient conflict
 * (serialization failure, deadlock, timeout) or a lost connection. The
 * transaction was rolled back in every case, except a connection lost while
 * COMMIT was on its way, whose outcome is unknown; the keyed, idempotent
 * writes of the stores make running it again safe in that case too.
 */
export const isRetryableDatabaseError = (cause: unknown): boolean => {
  const error = driverErrorOf(cause);
  const code = typeof error.code === 'string' ? error.code : '';
  return (
    RETRYABLE_SQLSTATES.has(code) ||
    isConnectionLoss(cause) ||
    /timeout/i.test(error.message ?? '') ||
    isStalePreparedStatement(cause)
  );
};

/**
 * A database error as the domain's typed failure. Its reason names the
 * SQLSTATE, the constraint and the first line of the server's message, and
 * keeps no parameters (no personal data): PostgreSQL's messages of class 22
 * (data exception) quote the value they could not read, so theirs is left
 * out.
 */
export const toPersistenceFailure = (cause: unknown): PersistenceFailure => {
  const error = driverErrorOf(cause);
  const code = error.code ?? (isConnectionLoss(cause) ? 'connection lost' : 'unknown');
  const message = code.startsWith('22')
    ? 'a value does not fit its column (data exception)'
    : (error.message ?? String(cause)).split('\n')[0];
  return new PersistenceFailure({
    reason: `database error ${code}${error.constraint ? ` on ${error.constraint}` : ''}: ${message}`,
    retryable: isRetryableDatabaseError(cause),
  });
};

/**
 * Transactions in which a statement failed, with the first failure.
 * PostgreSQL aborts such a transaction and turns its COMMIT into a silent
 * ROLLBACK, so the unit of work must refuse to report it as committed even
 * when the error was caught; whether running it again may help is what the
 * first failure said (a lost connection: yes; a broken constraint: no).
 */
export const abortedTransactions = new WeakMap<QueryRunner, PersistenceFailure>();

/** The most statement texts whose prepared-statement names are remembered (a name is recomputed past it). */
const NAMES_KEPT = 2_000;
const names = new Map<string, string>();
/** Bumped when a prepared statement's result no longer matches its tables: every name changes, every statement is prepared again. */
let generation = 0;

/**
 * The prepared-statement name of a statement's text: `q` and 24 hex digits
 * of the SHA-1 of the text (and of a generation, bumped when the schema
 * changed under a prepared statement), so the same text has the same name on
 * every connection and two texts never share one. pg prepares a named statement once per
 * connection (Parse), then only binds and executes it, and PostgreSQL keeps
 * its plan: no parse and plan per call.
 */
export const statementName = (text: string): string => {
  const known = names.get(text);
  if (known !== undefined) return known;
  const name = `q${createHash('sha1').update(`${generation}:${text}`).digest('hex').slice(0, 24)}`;
  if (names.size >= NAMES_KEPT) names.delete(names.keys().next().value as string);
  names.set(text, name);
  return name;
};

/** A new generation of names: statements prepared before a schema change are not used again. */
const forgetPreparedStatements = () => {
  generation++;
  names.clear();
};

/** The pg pool under a TypeORM DataSource (its driver's master pool). */
export const poolOf = (dataSource: DataSource): Pool => (dataSource.driver as unknown as { master: Pool }).master;

/**
 * Runs one statement with parameters as a named prepared statement on pg, under TypeORM:
 * on the unit of work's connection (its query runner's pg client) or on a
 * pooled one, and returns its rows (`UPDATE ... RETURNING` gives rows too).
 * A failure inside a transaction marks it aborted (see abortedTransactions).
 */
const execute = async (
  dataSource: DataSource,
  manager: EntityManager | undefined,
  text: string,
  parameters: readonly unknown[],
) => {
  // a statement without parameters goes as it did (simple protocol: it may hold several commands)
  const query = parameters.length === 0 ? { text } : { name: statementName(text), text, values: [...parameters] };
  const runner = manager?.queryRunner;
  if (runner) {
    try {
      if (runner.isReleased) throw new Error('Query runner already released');
      const client = (await runner.connect()) as PoolClient;
      return (await client.query(query)).rows as unknown[];
    } catch (error) {
      if (isStalePreparedStatement(error)) forgetPreparedStatements();
      if (runner.isTransactionActive && !abortedTransactions.has(runner))
        abortedTransactions.set(runner, toPersistenceFailure(error));
      throw error;
    }
  }
  try {
    return (await poolOf(dataSource).query(query)).rows as unknown[];
  } catch (error) {
    if (!isStalePreparedStatement(error)) throw error;
    // outside a transaction nothing was done: once more, under a new name
    forgetPreparedStatements();
    return (await poolOf(dataSource).query({ ...query, name: statementName(text) })).rows as unknown[];
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
