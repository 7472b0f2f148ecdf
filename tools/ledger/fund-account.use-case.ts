// Funds an account idempotently through the LedgerStore port: opens it when
// missing, then deposits under a fixed deposit id, so a second run with the
// same id adds nothing. With a credit limit it opens the account with that
// limit, or sets it on an account already open. For `npm start`'s demo
// account, for `npm run ledger:fund` and for any tool that needs a funded
// account on a real database.
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
  /**
   * The account's credit limit: a new account is opened with it, an open one
   * gets it (after the deposit). Undefined: a new account gets none, an open
   * one keeps its own.
   */
  readonly creditLimitMinor?: bigint | undefined;
}

export interface FundAccountResult {
  /** False when the account was already open (with whatever credit limit it has). */
  readonly opened: boolean;
  /** False when the deposit id was already recorded (nothing added this time). */
  readonly deposited: boolean;
  /** True when an account already open got the credit limit asked for (it had another). */
  readonly creditLimitChanged: boolean;
  /** The account after the deposit. */
  readonly account: LedgerAccount;
}

/**
 * Opens `accountId` in `currency` unless it is open, then deposits
 * `amountMinor` under `depositId`, then sets the credit limit when one is
 * asked for and the account has another. A deposit id recorded earlier with
 * another account or amount fails with the ledger's `IdempotencyConflict`; a
 * credit limit that does not cover what the account draws on fails with
 * `CreditLimitInUse` (the deposit stays made: a re-run adds nothing).
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
      : yield* ledger
          .openAccount({
            accountId: input.accountId,
            currency: input.currency,
            creditLimitMinor: input.creditLimitMinor ?? 0n,
          })
          .pipe(
            Effect.as(true),
            // opened meanwhile by another process, perhaps with another credit limit: set below when one is asked for
            Effect.catchTag('AccountAlreadyOpen', () => Effect.succeed(false)),
          );
    const movement = yield* ledger.deposit({
      accountId: input.accountId,
      currency: input.currency,
      depositId: input.depositId,
      amountMinor: input.amountMinor,
    });
    const funded = yield* ledger.account(input.accountId, input.currency.code);
    const wanted = input.creditLimitMinor;
    if (opened || wanted === undefined || funded.creditLimitMinor === wanted) {
      return { opened, deposited: movement.applied, creditLimitChanged: false, account: funded };
    }
    const account = yield* ledger.setCreditLimit({
      accountId: input.accountId,
      currency: input.currency,
      creditLimitMinor: wanted,
    });
    return { opened, deposited: movement.applied, creditLimitChanged: true, account };
  });
