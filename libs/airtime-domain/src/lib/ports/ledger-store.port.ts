import { Context, type Effect, type Either } from 'effect';
import type { LedgerError } from '../ledger/ledger.errors';
import type { JournalEntry, LedgerAccount } from '../ledger/ledger';
import type { AuthorizeInput, CaptureInput, ReverseInput, VoidHoldInput } from '../ledger/ledger-operations';
import type { DepositInput, OpenAccountInput, SetCreditLimitInput } from '../ledger/ledger-accounts';
import type { PersistenceFailure } from './persistence.errors';

/** A movement's stored entry; `applied` is false for an idempotent repeat. */
export interface StoredMovement {
  readonly entry: JournalEntry;
  readonly applied: boolean;
}

/** One settlement of a hold for `settleAll`: a capture, a void, or the reverse of a capture. */
export type HoldSettlement =
  | { readonly kind: 'capture'; readonly input: CaptureInput }
  | { readonly kind: 'voidHold'; readonly input: VoidHoldInput }
  | { readonly kind: 'reverse'; readonly input: ReverseInput };

/**
 * The durable ledger (DESIGN.md calls it the `Ledger` port; `Ledger` is the
 * pure value type here). Same rules and typed errors as the pure ledger
 * operations, each movement applied atomically and idempotently. Called
 * outside a unit of work, each call is its own transaction; inside one, it
 * joins it. A refused authorization is recorded (a failed claim stays
 * failed): on its own it commits with the refusal; inside a unit of work the
 * caller commits it, e.g. together with the top-up marked REJECTED.
 */
export interface LedgerStoreService {
  readonly openAccount: (input: OpenAccountInput) => Effect.Effect<LedgerAccount, LedgerError | PersistenceFailure>;
  readonly setCreditLimit: (
    input: SetCreditLimitInput,
  ) => Effect.Effect<LedgerAccount, LedgerError | PersistenceFailure>;
  readonly deposit: (input: DepositInput) => Effect.Effect<StoredMovement, LedgerError | PersistenceFailure>;
  readonly authorize: (input: AuthorizeInput) => Effect.Effect<StoredMovement, LedgerError | PersistenceFailure>;
  /**
   * `authorize` of many holds at once (one set-based write on PostgreSQL
   * inside a unit of work), decided in order by the same rules: each input
   * is answered as `authorize` would answer it after the ones before it (an
   * input the checks refuse: its error; an over-spend: `InsufficientFunds`,
   * its refusal kept; a repeat: the stored entry). Fails as a whole only
   * with a `PersistenceFailure` (inside a unit of work the caller's unit
   * must then fail: nothing of it is kept).
   */
  readonly authorizeAll: (
    inputs: readonly AuthorizeInput[],
  ) => Effect.Effect<readonly Either.Either<StoredMovement, LedgerError>[], PersistenceFailure>;
  readonly voidHold: (input: VoidHoldInput) => Effect.Effect<StoredMovement, LedgerError | PersistenceFailure>;
  readonly capture: (input: CaptureInput) => Effect.Effect<StoredMovement, LedgerError | PersistenceFailure>;
  readonly reverse: (input: ReverseInput) => Effect.Effect<StoredMovement, LedgerError | PersistenceFailure>;
  /**
   * `capture`, `voidHold` and `reverse` of many holds at once (one
   * set-based write on PostgreSQL inside a unit of work: the final statuses
   * of a batch of top-ups), decided in order by the same rules: each
   * settlement is answered as its own method would answer it after the ones
   * before it (an input the checks refuse: its error; a hold settled
   * already: `HoldAlreadySettled`, or the stored entry for a repeat).
   * Fails as a whole only with a `PersistenceFailure` (inside a unit of work
   * the caller's unit must then fail: nothing of it is kept); on PostgreSQL
   * that includes a hold on an account stored in a shape the domain refuses,
   * which the batch must read to decide it while a single settlement moves it
   * without reading it: a caller may then settle one by one.
   */
  readonly settleAll: (
    settlements: readonly HoldSettlement[],
  ) => Effect.Effect<readonly Either.Either<StoredMovement, LedgerError>[], PersistenceFailure>;
  readonly account: (
    accountId: string,
    currencyCode: string,
  ) => Effect.Effect<LedgerAccount, LedgerError | PersistenceFailure>;
}

/** One settlement through the store's own method for it (`capture`, `voidHold` or `reverse`), with that method's errors. */
export const settleHold = <E>(
  store: {
    readonly capture: (input: CaptureInput) => Effect.Effect<StoredMovement, E>;
    readonly voidHold: (input: VoidHoldInput) => Effect.Effect<StoredMovement, E>;
    readonly reverse: (input: ReverseInput) => Effect.Effect<StoredMovement, E>;
  },
  settlement: HoldSettlement,
): Effect.Effect<StoredMovement, E> => {
  switch (settlement.kind) {
    case 'capture':
      return store.capture(settlement.input);
    case 'voidHold':
      return store.voidHold(settlement.input);
    case 'reverse':
      return store.reverse(settlement.input);
  }
};

export class LedgerStore extends Context.Tag('@airtime/domain/LedgerStore')<LedgerStore, LedgerStoreService>() {}
