// One batch of ledger movements, written once, by one of two paths. The
// copy path: decided on the lane's copy of the batch's accounts and claims
// (what it lacks read plainly first, one round trip), written in ONE
// autocommitted statement that moves each row only where it is still as
// copied (one round trip, one commit, no lock held between round trips).
// The locked path, when the copy was stale (another writer came between) or
// an account is stored in a shape the domain refuses: BEGIN and read under
// row locks (one round trip), decide, write (one), COMMIT (one). Both decide
// with the domain's pure ledger functions.
import { accountKey, type LedgerError, type PersistenceFailure, type StoredMovement } from '@airtime/domain';
import { Effect, Either, Exit } from 'effect';
import type { Pool, PoolClient } from 'pg';
import { LEDGER_BATCH_STALE_SQLSTATE } from '../../migrations/1764600000000-ledger-batch-guard.migration';
import { driverErrorOf, isConnectionLoss, toPersistenceFailure } from '../../unit-of-work/sql';
import {
  type BatchOperation,
  type BatchKeys,
  batchKeys,
  decideBatch,
  type DecidedBatch,
  ledgerOf,
  type StoredEntryOf,
  storedEntryOf,
  withStoredEntries,
} from './ledger-batch';
import { readClaims, writeDecidedBatch } from './ledger-batch.queries';
import { committedLedger, type LaneCache } from './ledger-lane-copy';

/** What a store's batches did so far (counters since it was made). */
export interface LedgerBatchStats {
  /** Batches written (committed), and the operations they answered. */
  batches: number;
  operations: number;
  /** Batches written on a lane's copy (one statement), and under row locks. */
  onCopy: number;
  underLock: number;
  /** Batches on a copy that lacked some of their keys, read plainly first (one round trip more). */
  filled: number;
  /** Batches whose copy was stale (a row not as copied, or a claim taken), then written under locks. */
  stale: number;
  /** Batches that failed as a whole (their operations then ran one by one). */
  failed: number;
}

export const emptyLedgerBatchStats = (): LedgerBatchStats => ({
  batches: 0,
  operations: 0,
  onCopy: 0,
  underLock: 0,
  filled: 0,
  stale: 0,
  failed: 0,
});

/** One operation's answer, as its caller will get it. */
export type BatchExit = Exit.Exit<StoredMovement, LedgerError | PersistenceFailure>;

/** The account an operation names itself (deposit, authorize), as its `accountKey`. */
export const accountOfOperation = (operation: BatchOperation): string | undefined =>
  operation.kind === 'deposit' || operation.kind === 'authorize'
    ? accountKey(operation.input.accountId, operation.input.currency.code)
    : undefined;

/** The transactions a batch voids, captures or reverses: their holds must be known to decide them. */
const settledIn = (operations: readonly BatchOperation[]) =>
  new Set(
    operations.flatMap((operation) =>
      operation.kind === 'voidHold' || operation.kind === 'capture' || operation.kind === 'reverse'
        ? [operation.input.transactionId]
        : [],
    ),
  );

/** The copy was stale: a row not as read (the guard), or a claim already taken (a unique key). */
const isStale = (error: unknown) => {
  const code = driverErrorOf(error).code;
  return code === LEDGER_BATCH_STALE_SQLSTATE || code === '23505';
};

const answersOf = (
  operations: readonly BatchOperation[],
  answers: readonly Either.Either<StoredMovement, LedgerError>[],
  unreadable: readonly (PersistenceFailure | undefined)[] = [],
): BatchExit[] => {
  let next = 0;
  return operations.map((_, index): BatchExit => {
    const failure = unreadable[index];
    if (failure) return Exit.fail(failure);
    const answer = answers[next++] as Either.Either<StoredMovement, LedgerError>;
    return Either.isRight(answer) ? Exit.succeed(answer.right) : Exit.fail(answer.left);
  });
};

/** The copy path; undefined when the copy does not cover the batch or was stale (it is forgotten then). */
const onCopy = async (
  client: PoolClient,
  cache: LaneCache,
  stats: LedgerBatchStats,
  keys: BatchKeys,
  operations: readonly BatchOperation[],
): Promise<BatchExit[] | undefined> => {
  const settled = settledIn(operations);
  let before = cache.ledgerFor(keys, settled);
  if (before === undefined) {
    // what the copy lacks is read plainly (one round trip) and copied
    const read = await readClaims(client, keys, 'plain');
    stats.filled++;
    if (read.unreadable.size > 0) return undefined;
    cache.remember(ledgerOf(read));
    // taken from the copy again, which checks that each hold read comes with its account (the two reads may see
    // different commits); a hold the bounded copy could not keep sends the batch under locks, not to HoldNotFound
    before = cache.ledgerFor(keys, settled);
    if (before === undefined) return undefined;
  }
  const decided = decideBatch(before, operations);
  try {
    const stored = await writeDecidedBatch(client, decided);
    const real = storedEntryOf(stored);
    cache.remember(committedLedger(decided.after, real));
    stats.onCopy++;
    return answersOf(operations, withStoredEntries(decided.answers, real));
  } catch (error) {
    cache.forget(keys);
    if (isStale(error)) {
      stats.stale++;
      return undefined;
    }
    throw error;
  }
};

/**
 * Locks and reads a batch's claims (BEGINning the transaction, or in the one
 * already open on `client`), decides it and writes it; no COMMIT. An
 * operation on an account stored in a shape the domain refuses fails alone
 * (a PersistenceFailure); the others are decided.
 */
export const decideUnderLock = async (
  client: PoolClient,
  keys: BatchKeys,
  operations: readonly BatchOperation[],
  begin: boolean,
): Promise<{ readonly after: DecidedBatch['after']; readonly real: StoredEntryOf; readonly exits: BatchExit[] }> => {
  const claims = await readClaims(client, keys, 'locked', begin);
  const holdAccounts = new Map(
    claims.holds.map((hold) => [hold.transaction_id, accountKey(hold.account_id, hold.currency)]),
  );
  const unreadable = operations.map((operation) => {
    const account =
      accountOfOperation(operation) ?? holdAccounts.get((operation.input as { transactionId: string }).transactionId);
    return account === undefined ? undefined : claims.unreadable.get(account);
  });
  const decided = decideBatch(
    ledgerOf(claims),
    operations.filter((_, index) => unreadable[index] === undefined),
  );
  const real = storedEntryOf(await writeDecidedBatch(client, decided));
  return {
    after: decided.after,
    real,
    exits: answersOf(operations, withStoredEntries(decided.answers, real), unreadable),
  };
};

/** The locked path: BEGIN, lock and read, decide, write, COMMIT; the lane's copy takes what was committed. */
const underLock = async (
  client: PoolClient,
  cache: LaneCache,
  stats: LedgerBatchStats,
  keys: BatchKeys,
  operations: readonly BatchOperation[],
): Promise<BatchExit[]> => {
  cache.forget(keys);
  const { after, real, exits } = await decideUnderLock(client, keys, operations, true);
  await client.query('COMMIT');
  stats.underLock++;
  cache.remember(committedLedger(after, real));
  return exits;
};

/**
 * Runs `operations` as one write on a client taken from `pool` (and given
 * back): on the lane's copy when it covers them, else (or when the copy was
 * stale) under row locks. Succeeds with one answer per operation, in order,
 * once the commit is acknowledged; fails with the batch's
 * `PersistenceFailure` after a ROLLBACK (a client whose connection was lost
 * is discarded). A connection lost during a commit leaves the outcome
 * unknown: it fails as retryable, the lane forgets its copy of the keys, and
 * running the operations again is safe (each movement is claimed once: a
 * repeat answers the stored entry).
 */
export const runBatchTransaction = (
  pool: Pool,
  cache: LaneCache,
  stats: LedgerBatchStats,
  operations: readonly BatchOperation[],
): Effect.Effect<BatchExit[], PersistenceFailure> =>
  Effect.tryPromise({
    try: async () => {
      const keys = batchKeys(operations);
      const client = await pool.connect();
      let broken: unknown;
      try {
        const answers =
          (await onCopy(client, cache, stats, keys, operations)) ??
          (await underLock(client, cache, stats, keys, operations));
        stats.batches++;
        stats.operations += operations.length;
        return answers;
      } catch (error) {
        stats.failed++;
        cache.forget(keys);
        if (isConnectionLoss(error)) broken = error;
        else await client.query('ROLLBACK').catch((rollback: unknown) => (broken = rollback));
        throw error;
      } finally {
        client.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
      }
    },
    catch: toPersistenceFailure,
  });
