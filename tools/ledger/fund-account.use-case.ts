// Funds an account idempotently through the LedgerStore port: opens it when
// missing (no credit limit), then deposits under a fixed deposit id, so a
// second run with the same id adds nothing. For `npm start`'s demo account
// and for any tool that needs a funded account on a real database.
import {
  type Currency,
  type LedgerAccount,
  type LedgerError,
  LedgerStore,
  type PersistenceFailure,
} from '@airtime/domain';
import { Effect } from 'effect';

export interface FundAccountInput {
  readonly accountId: string;
  readonly currency: Currency;
  readonly amountMinor: bigint;
  /** The deposit's idempotency key: the same id never credits twice. */
  readonly depositId: string;
}

export interface FundAccountResult {
  /** False when the account was already open (with whatever credit limit it has). */
  readonly opened: boolean;
  /** False when the deposit id was already recorded (nothing added this time). */
  readonly deposited: boolean;
  /** The account after the deposit. */
  readonly account: LedgerAccount;
}

/**
 * Opens `accountId` in `currency` unless it is open, then deposits
 * `amountMinor` under `depositId`. A deposit id recorded earlier with
 * another account or amount fails with the ledger's `IdempotencyConflict`.
 */
export const fundAccount = (
  input: FundAccountInput,
): Effect.Effect<FundAccountResult, LedgerError | PersistenceFailure, LedgerStore> =>
  Effect.gen(function* () {
    const ledger = yield* LedgerStore;
    const existing = yield* ledger.account(input.accountId, input.currency.code).pipe(
      Effect.as(true),
      Effect.catchTag('AccountNotFound', () => Effect.succeed(false)),
    );
    const opened = existing
      ? false
      : yield* ledger.openAccount({ accountId: input.accountId, currency: input.currency, creditLimitMinor: 0n }).pipe(
          Effect.as(true),
          // opened meanwhile by another process, perhaps with a credit limit: keep it as it is
          Effect.catchTag('AccountAlreadyOpen', () => Effect.succeed(false)),
        );
    const movement = yield* ledger.deposit({
      accountId: input.accountId,
      currency: input.currency,
      depositId: input.depositId,
      amountMinor: input.amountMinor,
    });
    const account = yield* ledger.account(input.accountId, input.currency.code);
    return { opened, deposited: movement.applied, account };
  });
