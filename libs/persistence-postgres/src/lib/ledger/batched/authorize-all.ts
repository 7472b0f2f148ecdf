// Many authorizations at once (a batch of new top-ups' holds). Inside the
// caller's unit of work they are decided and written set-based, in that
// transaction: the accounts locked once (sorted) and the claims read in one
// round trip, every hold decided in order by the domain's pure ledger, and
// everything written by one call of `ledger_batch_write` (the batched
// store's statement, with its checks). Outside a unit of work each is
// `authorize` on its own, in order.
import {
  type AuthorizeInput,
  checkAuthorizeInput,
  type LedgerError,
  PersistenceFailure,
  type StoredMovement,
} from '@airtime/domain';
import { Cause, Effect, Either, Exit, FiberRef, Option } from 'effect';
import type { PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';
import { abortedTransactions, currentManager, toPersistenceFailure } from '../../unit-of-work/sql';
import { batchKeys, type BatchOperation } from './ledger-batch';
import { type BatchExit, decideUnderLock } from './ledger-batch-transaction';

/** One authorization's answer: its stored movement, or the ledger's refusal (kept, as `authorize` keeps it). */
export type AuthorizeAnswer = Either.Either<StoredMovement, LedgerError>;

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
 * `authorizeAll` of the LedgerStore port, given the store's own `authorize`
 * (for calls outside a unit of work). Each input is answered, in order, as
 * `authorize` would answer it after the ones before it: an input the checks
 * refuse with its error, an over-spend with `InsufficientFunds` (its refusal
 * kept), a repeat with its stored entry. Fails as a whole with a
 * `PersistenceFailure` only (inside a unit of work, nothing of it written
 * then, and the unit must fail).
 */
export const makeAuthorizeAll =
  (authorize: (input: AuthorizeInput) => Effect.Effect<StoredMovement, LedgerError | PersistenceFailure>) =>
  (inputs: readonly AuthorizeInput[]): Effect.Effect<readonly AuthorizeAnswer[], PersistenceFailure> =>
    Effect.gen(function* () {
      const runner = (yield* FiberRef.get(currentManager))?.queryRunner;
      if (runner === undefined) {
        return yield* Effect.forEach(inputs, (input) =>
          Effect.flatMap(Effect.either(authorize(input)), (answer) =>
            Either.isLeft(answer) && answer.left instanceof PersistenceFailure
              ? Effect.fail(answer.left)
              : Effect.succeed(answer as AuthorizeAnswer),
          ),
        );
      }
      const checked = inputs.map(checkAuthorizeInput);
      const operations = checked.flatMap((input) =>
        Either.isRight(input) ? [{ kind: 'authorize', input: input.right } as const] : [],
      );
      const answers = operations.length === 0 ? [] : yield* inTransaction(runner, operations);
      let next = 0;
      return yield* Effect.forEach(checked, (input) =>
        Either.isLeft(input)
          ? Effect.succeed(Either.left(input.left))
          : (answers[next++] as Either.Either<AuthorizeAnswer, PersistenceFailure>),
      );
    });
