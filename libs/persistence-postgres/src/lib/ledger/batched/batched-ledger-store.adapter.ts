// The ledger store that writes money in batches (group commit): movements
// from many callers are gathered into lanes by account, and each lane
// decides a whole batch with the domain's pure ledger functions and writes
// it once (one checked statement, or under row locks). Same port, same
// answers as the direct store.
import {
  accountKey,
  checkAuthorizeInput,
  checkCaptureInput,
  checkDepositInput,
  checkReverseInput,
  checkVoidHoldInput,
  type LedgerError,
  LedgerStore,
  type LedgerStoreService,
  PersistenceFailure,
  type StoredMovement,
} from '@airtime/domain';
import { Effect, Either, Exit, FiberRef, Layer } from 'effect';
import type { DataSource } from 'typeorm';
import { currentManager, poolOf, sql } from '../../unit-of-work/sql';
import { makeLedgerStore } from '../ledger-store.adapter';
import type { BatchOperation } from './ledger-batch';
import { type LedgerBatchConfig, ledgerBatchConfigFrom } from './ledger-batch.config';
import {
  accountOfOperation,
  type BatchExit,
  emptyLedgerBatchStats,
  type LedgerBatchStats,
  runBatchTransaction,
} from './ledger-batch-transaction';
import { type LaneCache, makeLaneCache } from './ledger-lane-copy';
import { makeAuthorizeAll, makeSettleAll } from './authorize-all';
import { laneOf, makeBatchQueue } from '../../batching/batch-queue.runner';

type Answer = BatchExit;

/** How many transaction ids the store remembers the account of (to route a capture to its account's lane). */
const ROUTES_KEPT = 100_000;

/** Whether running one operation again alone may help: a transient fault, or a claim a twin took meanwhile. */
const worthRetrying = (failure: PersistenceFailure) => failure.retryable || failure.reason.includes('23505');

/** The `LedgerStore` port, and what the store's batches did (for benchmarks and metrics). */
export interface BatchedLedgerStore extends LedgerStoreService {
  /** A copy of the counters since the store was made. */
  readonly stats: () => LedgerBatchStats;
}

/**
 * The ledger on PostgreSQL with group commit, behind the same `LedgerStore`
 * port as `makeLedgerStore`. A movement (deposit, authorize, voidHold,
 * capture, reverse) is checked first (the domain's input checks: a bad one
 * never enters a batch), then queued in its account's lane (lane = FNV-1a
 * of account and currency modulo `lanes`; a void, capture or reverse goes
 * to the lane of its hold's account). A lane's worker takes every waiting
 * operation, up to `maxBatch`, decides them in order with the domain's pure
 * ledger functions and writes the result set-based, once:
 * - on the lane's copy of the batch's accounts and claims (what it last
 *   committed or read), in ONE autocommitted statement that moves each row
 *   only where it is still as copied; an operation alone at an idle lane
 *   goes this way at once: one round trip, one commit;
 *   (what the copy lacks, an account or a hold it has not seen, is read
 *   plainly first: one round trip more);
 * - under row locks when the copy was stale (another process wrote
 *   meanwhile: the statement writes nothing and says so) or an account is
 *   stored in a shape the domain refuses: BEGIN, lock the accounts once
 *   (sorted) and read the claims, decide, write, COMMIT.
 * Only after the commit is each caller answered, with its own typed result.
 * A batch that fails as a whole is run again operation by operation (a
 * transient fault or a twin's claim: up to three tries each), so one bad
 * operation never fails its neighbours.
 *
 * Called inside a unit of work (the caller's transaction), it does not
 * commit on its own: it runs the direct store's statements in that
 * transaction. `openAccount`, `setCreditLimit` and `account` are the direct
 * store's. `bounds`: `lanes` (default 1, 1..256), `maxBatch` (default
 * 500 operations, 1..10,000), `lingerMs` (default 0 ms, 0..1,000). Throws
 * `InvalidLedgerBatchConfig` for bounds out of range.
 */
export const makeBatchedLedgerStore = (
  dataSource: DataSource,
  bounds: Partial<LedgerBatchConfig> = {},
): BatchedLedgerStore => {
  const config = Either.getOrThrowWith(ledgerBatchConfigFrom(bounds), (invalid) => invalid);
  const direct = makeLedgerStore(dataSource);
  // the pg pool under TypeORM's DataSource: a batch takes a client of its own, outside TypeORM's query runner
  const pool = poolOf(dataSource);
  const stats = emptyLedgerBatchStats();
  const routes = new Map<string, string>();

  const remember = (transactionId: string, account: string) => {
    if (routes.has(transactionId)) return;
    routes.set(transactionId, account);
    if (routes.size > ROUTES_KEPT) routes.delete(routes.keys().next().value as string);
  };

  /** A lane's batches: each decided on the lane's copy when it covers them, else under row locks. */
  const laneRunner = (cache: LaneCache) => {
    /** One batch, one write: every operation's answer, or a failure of the batch as a whole. */
    const inOneTransaction = (operations: readonly BatchOperation[]) =>
      runBatchTransaction(pool, cache, stats, operations);

    const alone = (operation: BatchOperation): Effect.Effect<Answer> =>
      inOneTransaction([operation]).pipe(
        Effect.retry({ times: 2, while: worthRetrying }),
        Effect.exit,
        Effect.map((exit): Answer => (Exit.isSuccess(exit) ? (exit.value[0] as Answer) : Exit.failCause(exit.cause))),
      );

    return (operations: readonly BatchOperation[]): Effect.Effect<readonly Answer[]> =>
      operations.length === 1
        ? Effect.map(alone(operations[0] as BatchOperation), (answer) => [answer])
        : Effect.flatMap(Effect.exit(inOneTransaction(operations)), (whole) =>
            Exit.isSuccess(whole) ? Effect.succeed(whole.value) : Effect.forEach(operations, alone),
          );
  };

  // a lane: a queue with one worker, so that its batches (and its copy) go one after the other
  const lanes = Array.from({ length: config.lanes }, () =>
    makeBatchQueue(laneRunner(makeLaneCache()), { workers: 1, maxBatch: config.maxBatch, lingerMs: config.lingerMs }),
  );

  /** The account a transaction's hold is on, as its `accountKey`, or undefined when it has none. */
  const routeOf = (transactionId: string): Effect.Effect<string | undefined, PersistenceFailure> => {
    const known = routes.get(transactionId);
    if (known !== undefined) return Effect.succeed(known);
    return Effect.map(
      sql<{ account_id: string; currency: string }>(
        dataSource,
        `SELECT account_id, currency FROM ledger_holds WHERE transaction_id = $1`,
        [transactionId],
      ),
      (rows) => (rows[0] ? accountKey(rows[0].account_id, rows[0].currency) : undefined),
    );
  };

  const submit = (operation: BatchOperation): Effect.Effect<StoredMovement, LedgerError | PersistenceFailure> =>
    Effect.gen(function* () {
      const transactionId = operation.kind === 'deposit' ? undefined : operation.input.transactionId;
      // one lane: no routing needed (and no read before the operation joins its queue)
      const account =
        accountOfOperation(operation) ??
        (transactionId === undefined || config.lanes === 1 ? undefined : yield* routeOf(transactionId));
      const lane = lanes[laneOf(account ?? `\u0001${transactionId}`, config.lanes)];
      if (!lane) return yield* Effect.dieMessage('no lane');
      const answer = yield* lane.submit(operation);
      // a hold is on its account for good: remembered once one was answered (not on a conflict or an unknown account)
      if (transactionId !== undefined && account !== undefined && Exit.isSuccess(answer))
        remember(transactionId, account);
      return yield* answer;
    });

  /** Checked first; inside the caller's unit of work, the direct store in that transaction; else a lane. */
  const movement =
    <I, K extends BatchOperation['kind']>(
      kind: K,
      check: (input: I) => Either.Either<unknown, LedgerError>,
      inTransaction: (input: I) => Effect.Effect<StoredMovement, LedgerError | PersistenceFailure>,
    ) =>
    (input: I): Effect.Effect<StoredMovement, LedgerError | PersistenceFailure> =>
      Effect.gen(function* () {
        yield* check(input);
        const open = yield* FiberRef.get(currentManager);
        if (open) return yield* inTransaction(input);
        return yield* submit({ kind, input } as BatchOperation);
      });

  const authorize = movement('authorize', checkAuthorizeInput, direct.authorize);
  const voidHold = movement('voidHold', checkVoidHoldInput, direct.voidHold);
  const capture = movement('capture', checkCaptureInput, direct.capture);
  const reverse = movement('reverse', checkReverseInput, direct.reverse);
  return {
    openAccount: direct.openAccount,
    setCreditLimit: direct.setCreditLimit,
    account: direct.account,
    deposit: movement('deposit', checkDepositInput, direct.deposit),
    authorize,
    // inside a unit of work: set-based in that transaction; outside: each through its lane, in order
    authorizeAll: makeAuthorizeAll(authorize),
    voidHold,
    capture,
    reverse,
    // inside a unit of work: set-based in that transaction; outside: each through its lane, in order
    settleAll: makeSettleAll({ capture, voidHold, reverse }),
    stats: () => ({ ...stats }),
  };
};

export const batchedLedgerStoreLayer = (dataSource: DataSource, bounds: Partial<LedgerBatchConfig> = {}) =>
  Layer.succeed(LedgerStore, makeBatchedLedgerStore(dataSource, bounds));
