// The movements of a transaction, after DT One's balance table:
// CREATED -> authorize; CANCELLED, REJECTED, DECLINED -> void;
// COMPLETED -> capture; REVERSED -> reverse.
import { Either } from 'effect';
import type { Currency } from '../money/currency';
import {
  type Hold,
  type JournalEntry,
  type Ledger,
  type LedgerMovementResult,
  type Refusal,
  findAccount,
} from './ledger';
import {
  AccountNotFound,
  CaptureExceedsHold,
  HoldAlreadySettled,
  HoldNotCaptured,
  HoldNotFound,
  type IdempotencyConflict,
  InsufficientFunds,
} from './ledger.errors';
import {
  checkAuthorizeInput,
  checkAuthorizeRepeat,
  checkCaptureInput,
  checkCaptureRepeat,
  checkReverseInput,
  checkVoidHoldInput,
  type LedgerInputError,
} from './ledger-input.check';
import type { InvalidIdentifier } from '../identifier/identifier.errors';
import { type EntryFields, recordEntry } from './ledger-journal';

export interface AuthorizeInput {
  readonly accountId: string;
  readonly currency: Currency;
  readonly transactionId: string;
  readonly amountMinor: bigint;
}

export interface VoidHoldInput {
  readonly transactionId: string;
}

export interface CaptureInput {
  readonly transactionId: string;
  /** What is debited: at most the hold; the rest of the hold goes back to available. */
  readonly amountMinor: bigint;
}

export interface ReverseInput {
  readonly transactionId: string;
}

const repeated = (ledger: Ledger, entry: JournalEntry): Either.Either<LedgerMovementResult, never> =>
  Either.right({ ledger, entry, applied: false });

/** Records a movement of `hold`'s transaction on its account and stores the updated hold. */
const recordOnHold = (
  ledger: Ledger,
  hold: Pick<Hold, 'transactionId' | 'accountId' | 'currency'>,
  fields: Omit<EntryFields, 'reference'>,
  update: (entry: JournalEntry) => Hold,
): Either.Either<LedgerMovementResult, AccountNotFound> => {
  const account = findAccount(ledger, hold.accountId, hold.currency);
  if (!account) return Either.left(new AccountNotFound({ accountId: hold.accountId, currency: hold.currency }));
  const recorded = recordEntry(ledger, account, { reference: hold.transactionId, ...fields });
  const holds = new Map(ledger.holds);
  holds.set(hold.transactionId, Object.freeze(update(recorded.entry)));
  return Either.right({ ledger: Object.freeze({ ...recorded.ledger, holds }), entry: recorded.entry, applied: true });
};

export type AuthorizeError = LedgerInputError | IdempotencyConflict | AccountNotFound | InsufficientFunds;

/**
 * A refused authorization with the ledger after it. Only a refusal for
 * funds is a claim the ledger keeps: the first one is recorded in
 * `refusals` (`recorded` true); for a repeat of it and for any other error
 * (bad input, unknown account, conflict) the ledger is the one given.
 */
export interface AuthorizeFailure {
  readonly ledger: Ledger;
  readonly error: AuthorizeError;
  readonly recorded: boolean;
}

const notAuthorized = (ledger: Ledger, error: AuthorizeError): Either.Either<never, AuthorizeFailure> =>
  Either.left({ ledger, error, recorded: false });

/** The error a refusal was, and is again on every retry: the same fields each time. */
export const refusalError = (refusal: Refusal): InsufficientFunds =>
  new InsufficientFunds({
    accountId: refusal.accountId,
    currency: refusal.currency,
    requestedMinor: refusal.amountMinor,
    availableMinor: refusal.availableMinor,
    creditLimitMinor: refusal.creditLimitMinor,
  });

const recordRefusal = (ledger: Ledger, refusal: Refusal): Either.Either<never, AuthorizeFailure> => {
  const refusals = new Map(ledger.refusals);
  refusals.set(refusal.transactionId, Object.freeze(refusal));
  return Either.left({ ledger: Object.freeze({ ...ledger, refusals }), error: refusalError(refusal), recorded: true });
};

/**
 * Moves `amountMinor` from available to holding for a transaction; refused
 * with `InsufficientFunds` when available + credit limit is below the
 * amount. One claim per transaction id, whatever its outcome:
 * - once authorized, a repeat with the same account, currency and amount
 *   returns the recorded entry (`applied: false`);
 * - once refused for funds, the refusal is recorded (in `refusals`, not in
 *   the journal: nothing moved) and a repeat with the same arguments returns
 *   the same `InsufficientFunds` again, even after funds arrive: a failed
 *   claim stays failed, never a late success;
 * - any other arguments under a claimed id are an `IdempotencyConflict`.
 * Input errors (`checkAuthorizeInput`'s, `AccountNotFound`) claim nothing.
 * A refusal comes with the ledger after it (`AuthorizeFailure`), which the
 * caller keeps just as it keeps the ledger of a success.
 */
export const authorize = (
  ledger: Ledger,
  input: AuthorizeInput,
): Either.Either<LedgerMovementResult, AuthorizeFailure> => {
  const checked = checkAuthorizeInput(input);
  if (Either.isLeft(checked)) return notAuthorized(ledger, checked.left);
  const existing = ledger.holds.get(input.transactionId);
  if (existing) {
    return Either.match(checkAuthorizeRepeat(existing, 'authorized', input), {
      onLeft: (conflict) => notAuthorized(ledger, conflict),
      onRight: () => repeated(ledger, existing.authorization),
    });
  }
  const refused = ledger.refusals.get(input.transactionId);
  if (refused) {
    return notAuthorized(
      ledger,
      Either.match(checkAuthorizeRepeat(refused, 'refused', input), {
        onLeft: (conflict): AuthorizeError => conflict,
        onRight: () => refusalError(refused),
      }),
    );
  }
  const account = findAccount(ledger, input.accountId, input.currency.code);
  if (!account)
    return notAuthorized(ledger, new AccountNotFound({ accountId: input.accountId, currency: input.currency.code }));
  if (account.availableMinor + account.creditLimitMinor < input.amountMinor) {
    return recordRefusal(ledger, {
      transactionId: input.transactionId,
      accountId: account.accountId,
      currency: account.currency.code,
      amountMinor: input.amountMinor,
      availableMinor: account.availableMinor,
      creditLimitMinor: account.creditLimitMinor,
    });
  }
  const hold = { transactionId: input.transactionId, accountId: account.accountId, currency: account.currency.code };
  const result = recordOnHold(
    ledger,
    hold,
    {
      kind: 'AUTHORIZE',
      amountMinor: input.amountMinor,
      availableDeltaMinor: -input.amountMinor,
      holdingDeltaMinor: input.amountMinor,
    },
    (authorization) => ({
      ...hold,
      amountMinor: input.amountMinor,
      authorization,
      settlement: undefined,
      reversal: undefined,
    }),
  );
  return Either.mapLeft(result, (error) => ({ ledger, error, recorded: false }));
};

/** Releases a transaction's whole hold back to available (CANCELLED, REJECTED, DECLINED). */
export const voidHold = (
  ledger: Ledger,
  input: VoidHoldInput,
): Either.Either<LedgerMovementResult, InvalidIdentifier | HoldNotFound | HoldAlreadySettled | AccountNotFound> => {
  const checked = checkVoidHoldInput(input);
  if (Either.isLeft(checked)) return Either.left(checked.left);
  const hold = ledger.holds.get(input.transactionId);
  if (!hold) return Either.left(new HoldNotFound({ transactionId: input.transactionId }));
  if (hold.settlement?.kind === 'VOID') return repeated(ledger, hold.settlement);
  if (hold.settlement) {
    return Either.left(
      new HoldAlreadySettled({ transactionId: input.transactionId, settledAs: 'CAPTURE', requested: 'VOID' }),
    );
  }
  return recordOnHold(
    ledger,
    hold,
    {
      kind: 'VOID',
      amountMinor: hold.amountMinor,
      availableDeltaMinor: hold.amountMinor,
      holdingDeltaMinor: -hold.amountMinor,
    },
    (settlement) => ({ ...hold, settlement }),
  );
};

/**
 * Settles a transaction's hold as COMPLETED: the hold leaves holding,
 * `amountMinor` (0 to the hold) is debited and the rest goes back to
 * available. A repeat with the same amount returns the recorded entry; with
 * another amount it is an `IdempotencyConflict`.
 */
export const capture = (
  ledger: Ledger,
  input: CaptureInput,
): Either.Either<
  LedgerMovementResult,
  LedgerInputError | HoldNotFound | HoldAlreadySettled | IdempotencyConflict | CaptureExceedsHold | AccountNotFound
> => {
  const checked = checkCaptureInput(input);
  if (Either.isLeft(checked)) return Either.left(checked.left);
  const hold = ledger.holds.get(input.transactionId);
  if (!hold) return Either.left(new HoldNotFound({ transactionId: input.transactionId }));
  if (hold.settlement?.kind === 'VOID') {
    return Either.left(
      new HoldAlreadySettled({ transactionId: input.transactionId, settledAs: 'VOID', requested: 'CAPTURE' }),
    );
  }
  const settlement = hold.settlement;
  if (settlement)
    return Either.flatMap(checkCaptureRepeat(settlement.amountMinor, input), () => repeated(ledger, settlement));
  if (input.amountMinor > hold.amountMinor) {
    return Either.left(
      new CaptureExceedsHold({
        transactionId: input.transactionId,
        holdMinor: hold.amountMinor,
        requestedMinor: input.amountMinor,
      }),
    );
  }
  return recordOnHold(
    ledger,
    hold,
    {
      kind: 'CAPTURE',
      amountMinor: input.amountMinor,
      availableDeltaMinor: hold.amountMinor - input.amountMinor,
      holdingDeltaMinor: -hold.amountMinor,
    },
    (settlement) => ({ ...hold, settlement }),
  );
};

/** Puts a captured amount back into available (REVERSED); only after a capture. */
export const reverse = (
  ledger: Ledger,
  input: ReverseInput,
): Either.Either<LedgerMovementResult, InvalidIdentifier | HoldNotFound | HoldNotCaptured | AccountNotFound> => {
  const checked = checkReverseInput(input);
  if (Either.isLeft(checked)) return Either.left(checked.left);
  const hold = ledger.holds.get(input.transactionId);
  if (!hold) return Either.left(new HoldNotFound({ transactionId: input.transactionId }));
  if (hold.reversal) return repeated(ledger, hold.reversal);
  if (hold.settlement?.kind !== 'CAPTURE') {
    return Either.left(
      new HoldNotCaptured({ transactionId: input.transactionId, status: hold.settlement ? 'VOIDED' : 'HELD' }),
    );
  }
  const capturedMinor = hold.settlement.amountMinor;
  return recordOnHold(
    ledger,
    hold,
    { kind: 'REVERSE', amountMinor: capturedMinor, availableDeltaMinor: capturedMinor, holdingDeltaMinor: 0n },
    (reversal) => ({ ...hold, reversal }),
  );
};
