// Many movements at once: authorizations (a batch of new top-ups' holds,
// `authorizeAll`) and settlements (a batch of top-ups' final statuses:
// captures, voids, reverses, `settleAll`). Inside the caller's unit of work
// they are decided and written set-based, in that transaction: the accounts
// locked once (sorted; a settlement's account is its hold's) and the claims
// read in one round trip, every movement decided in order by the domain's
// pure ledger, and everything written by one call of `ledger_batch_write`
// (the batched store's statement, with its checks). Outside a unit of work
// each is its own method's call, in order.
import {
  type AuthorizeInput,
  checkAuthorizeInput,
  checkCaptureInput,
  checkReverseInput,
  checkVoidHoldInput,
  type HoldSettlement,
  type LedgerError,
  type LedgerStoreService,
  PersistenceFailure,
  settleHold,
  type StoredMovement,
} from '@airtime/domain';
import { Cause, Effect, Either, Exit, FiberRef, Option } from 'effect';
import type { PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';
import { abortedTransactions, currentManager, toPersistenceFailure } from '../../unit-of-work/sql';
import { batchKeys, type BatchOperation } from './ledger-batch';
import { type BatchExit, decideUnderLock } from './ledger-batch-transaction';

/** One movement's answer: its stored movement, or the ledger's refusal (an authorization's kept, as `authorize` keeps it). */
export type AuthorizeAnswer = Either.Either<StoredMovement, LedgerError>;

/** One movement of the port, as a store runs it on its own. */
type Single<I> = (input: I) => Effect.Effect<StoredMovement, LedgerError | PersistenceFailure>;

/** An operation's exit as its answer; a PersistenceFailure (an account stored in a shape the domain refuses) fails all. */
const answerOf = (exit: BatchExit): Either.Either<AuthorizeAnswer, PersistenceFailure> => {
  if (Exit.isSuccess(exit)) return Either.right(Either.right(exit.value));
  const failure = Cause.failureOption(exit.cause);
  if (Option.isNone(failure)) return Either.left(toPersistenceFailure(Cause.squash(exit.cause)));
  return failure.value instanceof PersistenceFailure
    ? Either.left(failure.value)
    : Either.right(Either.left(failure.value as LedgerError));
};

/**
 * Decides and writes `operations` in the transaction open on `runner` (no
 * commit), answering each; a failed statement aborts the transaction.
 */
const inTransaction = (
  runner: QueryRunner,
  operations: readonly BatchOperation[],
): Effect.Effect<readonly Either.Either<AuthorizeAnswer, PersistenceFailure>[], PersistenceFailure> =>
  Effect.tryPromise({
    try: async () => {
      if (runner.isReleased) throw new Error('Query runner already released');
      const client = (await runner.connect()) as PoolClient;
      try {
        const { exits } = await decideUnderLock(client, batchKeys(operations), operations, false);
        const answers = exits.map(answerOf);
        // an operation that failed alone (its account stored in a shape the domain refuses) fails the whole
        // call, whose other holds are written by now: the unit must not commit them, even if its caller carries on
        const failed = answers.find(Either.isLeft);
        if (failed !== undefined && !abortedTransactions.has(runner)) abortedTransactions.set(runner, failed.left);
        return answers;
      } catch (error) {
        if (runner.isTransactionActive && !abortedTransactions.has(runner))
          abortedTransactions.set(runner, toPersistenceFailure(error));
        throw error;
      }
    },
    catch: toPersistenceFailure,
  });

/**
 * Many movements, each checked first (`checked`: its operation, or the
 * checks' refusal): inside a unit of work, decided and written set-based in
 * its transaction; outside, each `alone` in order. Answers each in order;
 * fails as a whole with a `PersistenceFailure` only.
 */
const allAtOnce = <I>(
  inputs: readonly I[],
  checked: readonly Either.Either<BatchOperation, LedgerError>[],
  alone: Single<I>,
): Effect.Effect<readonly AuthorizeAnswer[], PersistenceFailure> =>
  Effect.gen(function* () {
    const runner = (yield* FiberRef.get(currentManager))?.queryRunner;
    if (runner === undefined) {
      return yield* Effect.forEach(inputs, (input) =>
        Effect.flatMap(Effect.either(alone(input)), (answer) =>
          Either.isLeft(answer) && answer.left instanceof PersistenceFailure
            ? Effect.fail(answer.left)
            : Effect.succeed(answer as AuthorizeAnswer),
        ),
      );
    }
    const operations = checked.flatMap((operation) => (Either.isRight(operation) ? [operation.right] : []));
    const answers = operations.length === 0 ? [] : yield* inTransaction(runner, operations);
    let next = 0;
    return yield* Effect.forEach(checked, (operation) =>
      Either.isLeft(operation)
        ? Effect.succeed(Either.left(operation.left))
        : (answers[next++] as Either.Either<AuthorizeAnswer, PersistenceFailure>),
    );
  });

/**
 * `authorizeAll` of the LedgerStore port, given the store's own `authorize`
 * (for calls outside a unit of work). Each input is answered, in order, as
 * `authorize` would answer it after the ones before it: an input the checks
 * refuse with its error, an over-spend with `InsufficientFunds` (its refusal
 * kept), a repeat with its stored entry. Fails as a whole with a
 * `PersistenceFailure` only (inside a unit of work, nothing of it written
 * then, and the unit must fail).
 */
export const makeAuthorizeAll =
  (authorize: Single<AuthorizeInput>) =>
  (inputs: readonly AuthorizeInput[]): Effect.Effect<readonly AuthorizeAnswer[], PersistenceFailure> =>
    allAtOnce(
      inputs,
      inputs.map((input) =>
        Either.map(checkAuthorizeInput(input), (checked) => ({ kind: 'authorize', input: checked })),
      ),
      authorize,
    );

/** A settlement checked by its method's own input check, as a batch operation. */
const checkedSettlement = (settlement: HoldSettlement): Either.Either<BatchOperation, LedgerError> => {
  switch (settlement.kind) {
    case 'capture':
      return Either.map(checkCaptureInput(settlement.input), (input) => ({ kind: 'capture', input }));
    case 'voidHold':
      return Either.map(checkVoidHoldInput(settlement.input), (input) => ({ kind: 'voidHold', input }));
    case 'reverse':
      return Either.map(checkReverseInput(settlement.input), (input) => ({ kind: 'reverse', input }));
  }
};

/**
 * `settleAll` of the LedgerStore port, given the store's own settlements
 * (for calls outside a unit of work). Each settlement is answered, in
 * order, as its method would answer it after the ones before it: an input
 * the checks refuse with its error, a hold settled already with
 * `HoldAlreadySettled` (or its stored entry for a repeat). Fails as a whole
 * with a `PersistenceFailure` only (inside a unit of work, nothing of it
 * written then, and the unit must fail).
 */
export const makeSettleAll =
  (store: Pick<LedgerStoreService, 'capture' | 'voidHold' | 'reverse'>) =>
  (settlements: readonly HoldSettlement[]): Effect.Effect<readonly AuthorizeAnswer[], PersistenceFailure> =>
    allAtOnce(settlements, settlements.map(checkedSettlement), (settlement) => settleHold(store, settlement));
