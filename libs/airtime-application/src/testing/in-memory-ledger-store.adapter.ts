// The LedgerStore port over the domain's pure ledger, in the in-memory
// database: the same rules and errors as the PostgreSQL store, a refused
// authorization recorded (and committed with the caller's unit of work).
import {
  authorize,
  type AuthorizeInput,
  type CaptureInput,
  type LedgerError,
  type ReverseInput,
  type VoidHoldInput,
  type StoredMovement,
  capture,
  deposit,
  findAccount,
  type Ledger,
  LedgerStore,
  type LedgerStoreService,
  openAccount,
  reverse,
  setCreditLimit,
  settleHold,
  AccountNotFound,
  voidHold,
} from '@airtime/domain';
import { Effect, Either, Layer } from 'effect';
import type { InMemoryDatabase, Tables } from './in-memory-database.fake';

const withLedger = (tables: Tables, ledger: Ledger): Tables => ({ ...tables, ledger });

/** Runs a pure ledger operation on the stored ledger: its new ledger is kept on success only. */
const movement =
  <I, A extends { readonly ledger: Ledger }, E>(
    database: InMemoryDatabase,
    operation: (ledger: Ledger, input: I) => Either.Either<A, E>,
  ) =>
  (input: I): Effect.Effect<A, E> =>
    Effect.flatMap(
      database.update((tables) => {
        const result = operation(tables.ledger, input);
        return [result, Either.isRight(result) ? withLedger(tables, result.right.ledger) : tables] as const;
      }),
      (result) => result,
    );

export const makeInMemoryLedgerStore = (database: InMemoryDatabase): LedgerStoreService => {
  const stored = <I, A extends { readonly ledger: Ledger }, E>(
    operation: (ledger: Ledger, input: I) => Either.Either<A, E>,
  ) => movement(database, operation);
  // a refusal for funds is kept (a failed claim stays failed), then reported
  const authorizeStored = (input: AuthorizeInput): Effect.Effect<StoredMovement, LedgerError> =>
    Effect.flatMap(
      database.update((tables) => {
        const result = authorize(tables.ledger, input);
        return [result, withLedger(tables, Either.isRight(result) ? result.right.ledger : result.left.ledger)] as const;
      }),
      (result) =>
        Either.isRight(result)
          ? Effect.succeed({ entry: result.right.entry, applied: result.right.applied })
          : Effect.fail(result.left.error),
    );
  const voidHoldStored = (input: VoidHoldInput) =>
    Effect.map(stored(voidHold)(input), ({ entry, applied }): StoredMovement => ({ entry, applied }));
  const captureStored = (input: CaptureInput) =>
    Effect.map(stored(capture)(input), ({ entry, applied }): StoredMovement => ({ entry, applied }));
  const reverseStored = (input: ReverseInput) =>
    Effect.map(stored(reverse)(input), ({ entry, applied }): StoredMovement => ({ entry, applied }));
  return {
    openAccount: (input) => Effect.map(stored(openAccount)(input), (result) => result.account),
    setCreditLimit: (input) => Effect.map(stored(setCreditLimit)(input), (result) => result.account),
    deposit: (input) => Effect.map(stored(deposit)(input), ({ entry, applied }) => ({ entry, applied })),
    authorize: authorizeStored,
    // one by one, in order: as on PostgreSQL, a later hold sees the earlier ones
    authorizeAll: (inputs) => Effect.forEach(inputs, (input) => Effect.either(authorizeStored(input))),
    voidHold: voidHoldStored,
    capture: captureStored,
    reverse: reverseStored,
    // one by one, in order, as on PostgreSQL
    settleAll: (settlements) =>
      Effect.forEach(settlements, (settlement) =>
        Effect.either(
          settleHold<LedgerError>(
            { capture: captureStored, voidHold: voidHoldStored, reverse: reverseStored },
            settlement,
          ),
        ),
      ),
    account: (accountId, currencyCode) =>
      Effect.flatMap(
        database.read((tables) => findAccount(tables.ledger, accountId, currencyCode)),
        (account) =>
          account === undefined
            ? Effect.fail(new AccountNotFound({ accountId, currency: currencyCode }))
            : Effect.succeed(account),
      ),
  };
};

export const inMemoryLedgerStoreLayer = (database: InMemoryDatabase): Layer.Layer<LedgerStore> =>
  Layer.succeed(LedgerStore, makeInMemoryLedgerStore(database));
