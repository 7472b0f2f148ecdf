import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isConnectionLoss, toPersistenceFailure } from './sql';

/** A pg error as the driver raises it: a message and, from the server, a SQLSTATE. */
const pgError = (message: string, code?: string): Error => Object.assign(new Error(message), code ? { code } : {});
/** The same error as TypeORM rethrows it from a query runner. */
const wrapped = (error: Error): QueryFailedError => new QueryFailedError('SELECT 1', [], error);

describe('database errors: a lost connection is retryable in every form it takes', () => {
  it.each([
    ['a released query runner (its client errored before)', new QueryRunnerAlreadyReleasedError()],
    [
      '57P01 admin shutdown / pg_terminate_backend',
      wrapped(pgError('terminating connection due to administrator command', '57P01')),
    ],
    [
      '57P02 crash shutdown',
      wrapped(pgError('terminating connection because of crash of another server process', '57P02')),
    ],
    ['57P03 cannot connect now', pgError('the database system is starting up', '57P03')],
    ['08006 connection failure', wrapped(pgError('connection failure', '08006'))],
    ['08003 connection does not exist', wrapped(pgError('connection does not exist', '08003'))],
    ['08001 unable to connect', pgError('could not connect', '08001')],
    [
      '25P03 idle-in-transaction timeout',
      wrapped(pgError('terminating connection due to idle-in-transaction timeout', '25P03')),
    ],
    ['ECONNRESET', wrapped(pgError('read ECONNRESET', 'ECONNRESET'))],
    ['ECONNREFUSED', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['EPIPE', wrapped(pgError('write EPIPE', 'EPIPE'))],
    ['Connection terminated unexpectedly', wrapped(pgError('Connection terminated unexpectedly'))],
    ['Connection terminated', pgError('Connection terminated')],
    [
      'a client that met a connection error',
      wrapped(pgError('Client has encountered a connection error and is not queryable')),
    ],
    ['a closed client', wrapped(pgError('Client was closed and is not queryable'))],
    ['a connect timeout', pgError('timeout exceeded when trying to connect')],
  ])('%s', (_, error) => {
    expect(isConnectionLoss(error)).toBe(true);
    const failure = toPersistenceFailure(error);
    expect(failure._tag).toBe('PersistenceFailure');
    expect(failure.retryable).toBe(true);
  });

  it.each([
    ['40001 serialization failure', wrapped(pgError('could not serialize access', '40001'))],
    ['40P01 deadlock', wrapped(pgError('deadlock detected', '40P01'))],
    ['57014 statement timeout', wrapped(pgError('canceling statement due to statement timeout', '57014'))],
  ])('a transient conflict is retryable too, not a connection loss: %s', (_, error) => {
    expect(isConnectionLoss(error)).toBe(false);
    expect(toPersistenceFailure(error).retryable).toBe(true);
  });

  it.each([
    [
      '23505 unique violation',
      wrapped(pgError('duplicate key value violates unique constraint "outbox_pkey"', '23505')),
    ],
    ['23514 check violation', wrapped(pgError('new row violates check constraint', '23514'))],
    ['54000 program limit exceeded', wrapped(pgError('index row size 8016 exceeds btree version 4 maximum', '54000'))],
    ['22012 division by zero', wrapped(pgError('division by zero', '22012'))],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
  ])('anything else is not retryable: %s', (_, error) => {
    expect(isConnectionLoss(error)).toBe(false);
    expect(toPersistenceFailure(error).retryable).toBe(false);
  });

  it.each([
    ['22P02', 'invalid input syntax for type bigint: "+254711000111"'],
    ['22008', 'date/time field value out of range: "+254711000111"'],
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00 +254711000111'],
  ])('a data exception (%s) is named, its quoted value left out', (code, message) => {
    const failure = toPersistenceFailure(wrapped(pgError(message, code)));
    expect(failure.reason).toContain(code);
    expect(failure.reason).not.toContain('254711000111');
    expect(failure.retryable).toBe(false);
  });
});
