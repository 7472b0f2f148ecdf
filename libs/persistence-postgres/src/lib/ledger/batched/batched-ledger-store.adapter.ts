// The ledger store that writes money in batches (group commit): movements
// from many callers are gathered into lanes by account, and each lane
// decides a whole batch in one transaction with the domain's pure ledger
// functions. Same port, same answers as the direct store.
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
import { makeUnitOfWork } from '../../unit-of-work/unit-of-work.adapter';
import { currentManager, sql } from '../../unit-of-work/sql';
import { makeLedgerStore } from '../ledger-store.adapter';
import { type BatchOperation, batchKeys, decideBatch, withStoredEntries } from './ledger-batch';
import { type LedgerBatchConfig, ledgerBatchConfigFrom } from './ledger-batch.config';
import { lockAndReadClaims, writeDecidedBatch } from './ledger-batch.queries';
import { laneOf, makeLane } from './ledger-lanes.runner';

type Answer = Exit.Exit<StoredMovement, LedgerError | PersistenceFailure>;

/** How many transaction ids the store remembers the account of (to route a capture to its account's lane). */
const ROUTES_KEPT = 100_000;

const accountOfOperation = (operation: BatchOperation): string | undefined =>
  operation.kind === 'deposit' || operation.kind === 'authorize'
    ? accountKey(operation.input.accountId, operation.input.currency.code)
    : undefined;

/** Whether running one operation again alone may help: a transient fault, or a claim a twin took meanwhile. */
const worthRetrying = (failure: PersistenceFailure) => failure.retryable || failure.reason.includes('23505');

/**
 * The ledger on PostgreSQL with group commit, behind the same `LedgerStore`
 * port as `makeLedgerStore`. A movement (deposit, authorize, voidHold,
 * capture, reverse) is checked first (the domain's input checks: a bad one
 * never enters a batch), then queued in its account's lane (lane = FNV-1a
 * of account and currency modulo `lanes`; a void, capture or reverse goes
 * to the lane of its hold's account). A lane's worker takes every waiting
 * operation, up to `maxBatch`, and in ONE transaction locks the batch's
 * accounts once (sorted), reads the claims of its keys, decides each
 * operation in order with the pure ledger functions, writes the result
 * set-based and commits; only then is each caller answered, with its own
 * typed result. A batch that fails as a whole is run again operation by
 * operation (a transient fault or a twin's claim: up to three tries each),
 * so one bad operation never fails its neighbours.
 *
 * Called inside a unit of work (the caller's transaction), it does not
 * commit on its own: it runs the direct store's statements in that
 * transaction. `openAccount`, `setCreditLimit` and `account` are the direct
 * store's. Throws `InvalidLedgerBatchConfig` for bounds out of range.
 */
export const makeBatchedLedgerStore = (
  dataSource: DataSource,
  bounds: Partial<LedgerBatchConfig> = {},
): LedgerStoreService => {
  const config = Either.getOrThrowWith(ledgerBatchConfigFrom(bounds), (invalid) => invalid);
  const direct = makeLedgerStore(dataSource);
  const unitOfWork = makeUnitOfWork(dataSource);
  const routes = new Map<string, string>();

  const remember = (transactionId: string, account: string) => {
    if (routes.has(transactionId)) return;
    routes.set(transactionId, account);
    if (routes.size > ROUTES_KEPT) routes.delete(routes.keys().next().value as string);
  };

  /** One batch in one transaction: every operation's answer, or a failure of the batch as a whole. */
  const inOneTransaction = (operations: readonly BatchOperation[]) =>
    unitOfWork.transactionally(
      Effect.gen(function* () {
        const claims = yield* lockAndReadClaims(dataSource, batchKeys(operations));
        const holdAccounts = new Map(
          claims.holds.map((hold) => [hold.transaction_id, accountKey(hold.account_id, hold.currency)]),
        );
        const unreadableOf = (operation: BatchOperation) => {
          const account =
            accountOfOperation(operation) ??
            holdAccounts.get((operation.input as { transactionId: string }).transactionId);
          return account === undefined ? undefined : claims.unreadable.get(account);
        };
        const unreadable = operations.map(unreadableOf);
        const decidable = operations.filter((_, index) => unreadable[index] === undefined);
        const decided = decideBatch(claims, decidable);
        const stored = yield* writeDecidedBatch(dataSource, decided);
        const answers = withStoredEntries(decided.answers, stored);
        let next = 0;
        return operations.map((_, index): Answer => {
          const failure = unreadable[index];
          if (failure) return Exit.fail(failure);
          const answer = answers[next++] as Either.Either<StoredMovement, LedgerError>;
          return Either.isRight(answer) ? Exit.succeed(answer.right) : Exit.fail(answer.left);
        });
      }),
    );

  const alone = (operation: BatchOperation): Effect.Effect<Answer> =>
    inOneTransaction([operation]).pipe(
      Effect.retry({ times: 2, while: worthRetrying }),
      Effect.exit,
      Effect.map((exit): Answer => (Exit.isSuccess(exit) ? (exit.value[0] as Answer) : Exit.failCause(exit.cause))),
    );

  const runBatch = (operations: readonly BatchOperation[]): Effect.Effect<readonly Answer[]> =>
    operations.length === 1
      ? Effect.map(alone(operations[0] as BatchOperation), (answer) => [answer])
      : Effect.flatMap(Effect.exit(inOneTransaction(operations)), (whole) =>
          Exit.isSuccess(whole) ? Effect.succeed(whole.value) : Effect.forEach(operations, alone),
        );

  const lanes = Array.from({ length: config.lanes }, () => makeLane(runBatch, config));

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

  return {
    openAccount: direct.openAccount,
    setCreditLimit: direct.setCreditLimit,
    account: direct.account,
    deposit: movement('deposit', checkDepositInput, direct.deposit),
    authorize: movement('authorize', checkAuthorizeInput, direct.authorize),
    voidHold: movement('voidHold', checkVoidHoldInput, direct.voidHold),
    capture: movement('capture', checkCaptureInput, direct.capture),
    reverse: movement('reverse', checkReverseInput, direct.reverse),
  };
};

export const batchedLedgerStoreLayer = (dataSource: DataSource, bounds: Partial<LedgerBatchConfig> = {}) =>
  Layer.succeed(LedgerStore, makeBatchedLedgerStore(dataSource, bounds));
