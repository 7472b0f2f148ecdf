// A batch of ledger movements decided in memory: the locked rows of the
// batch as a pure `Ledger`, each operation run in order through the
// domain's own ledger functions (`authorize`, `capture`, ...: the same rules
// as the direct store, no second copy), and what the batch must write.
import {
  accountKey,
  authorize,
  capture,
  deposit,
  emptyLedger,
  type AuthorizeInput,
  type CaptureInput,
  type DepositInput,
  type Hold,
  holdStatus,
  type JournalEntry,
  type Ledger,
  type LedgerAccount,
  type LedgerError,
  type Refusal,
  type ReverseInput,
  reverse,
  type StoredMovement,
  type VoidHoldInput,
  voidHold,
} from '@airtime/domain';
import { Either } from 'effect';
import { bigintOf } from '../../unit-of-work/sql';
import { entryOf, type HoldRow, type HoldStatusColumn, type JournalRow } from '../ledger-rows.mapper';

/** One movement waiting for its batch. */
export type BatchOperation =
  | { readonly kind: 'deposit'; readonly input: DepositInput }
  | { readonly kind: 'authorize'; readonly input: AuthorizeInput }
  | { readonly kind: 'voidHold'; readonly input: VoidHoldInput }
  | { readonly kind: 'capture'; readonly input: CaptureInput }
  | { readonly kind: 'reverse'; readonly input: ReverseInput };

/** The keys a batch reads and locks: the accounts named by its inputs, its transaction ids and deposit ids. */
export interface BatchKeys {
  readonly accounts: ReadonlyArray<readonly [accountId: string, currency: string]>;
  readonly transactionIds: readonly string[];
  readonly depositIds: readonly string[];
}

export const batchKeys = (operations: readonly BatchOperation[]): BatchKeys => {
  const accounts = new Map<string, readonly [string, string]>();
  const transactionIds = new Set<string>();
  const depositIds = new Set<string>();
  for (const operation of operations) {
    if (operation.kind === 'deposit' || operation.kind === 'authorize') {
      const { accountId, currency } = operation.input;
      accounts.set(accountKey(accountId, currency.code), [accountId, currency.code]);
    }
    if (operation.kind === 'deposit') depositIds.add(operation.input.depositId);
    else transactionIds.add(operation.input.transactionId);
  }
  return { accounts: [...accounts.values()], transactionIds: [...transactionIds], depositIds: [...depositIds] };
};

/** The claims and entries already stored for a batch's keys, read under the accounts' locks. */
export interface StoredClaims {
  readonly accounts: readonly LedgerAccount[];
  readonly holds: readonly HoldRow[];
  /** The journal entries of the batch's transaction ids (any kind but DEPOSIT) and deposit ids (DEPOSIT). */
  readonly entries: readonly JournalRow[];
}

const movementKey = (reference: string, kind: string) => `${kind} ${reference}`;

/** The stored claims as a pure ledger (its journal empty: new entries get placeholder sequences 1, 2, ...). */
export const ledgerOf = (stored: StoredClaims): Ledger => {
  const entries = new Map(stored.entries.map((row) => [movementKey(row.reference, row.kind), entryOf(row)]));
  const entry = (reference: string, kind: string) => entries.get(movementKey(reference, kind));
  const holds = new Map<string, Hold>();
  const refusals = new Map<string, Refusal>();
  for (const row of stored.holds) {
    const base = { transactionId: row.transaction_id, accountId: row.account_id, currency: row.currency };
    const amountMinor = bigintOf(row.amount_minor);
    if (row.status === 'REFUSED') {
      refusals.set(row.transaction_id, {
        ...base,
        amountMinor,
        availableMinor: bigintOf(row.refusal?.availableMinor ?? '0'),
        creditLimitMinor: bigintOf(row.refusal?.creditLimitMinor ?? '0'),
      });
      continue;
    }
    const authorization = entry(row.transaction_id, 'AUTHORIZE');
    if (!authorization) throw new Error(`journal entry AUTHORIZE ${row.transaction_id} missing for a stored hold`);
    holds.set(row.transaction_id, {
      ...base,
      amountMinor,
      authorization,
      settlement: entry(row.transaction_id, 'CAPTURE') ?? entry(row.transaction_id, 'VOID'),
      reversal: entry(row.transaction_id, 'REVERSE'),
    });
  }
  const deposits = new Map<string, JournalEntry>();
  for (const row of stored.entries) if (row.kind === 'DEPOSIT') deposits.set(row.reference, entryOf(row));
  return {
    ...emptyLedger,
    accounts: new Map(
      stored.accounts.map((account) => [accountKey(account.accountId, account.currency.code), account]),
    ),
    holds,
    refusals,
    deposits,
  };
};

/** One operation's answer: the stored movement, or the domain's typed error. */
export type BatchAnswer = Either.Either<StoredMovement, LedgerError>;

/** Runs one operation through the pure ledger function of its kind. */
const step = (ledger: Ledger, operation: BatchOperation): { ledger: Ledger; answer: BatchAnswer } => {
  const settle = (result: Either.Either<{ ledger: Ledger; entry: JournalEntry; applied: boolean }, LedgerError>) =>
    Either.match(result, {
      onLeft: (error) => ({ ledger, answer: Either.left(error) }),
      onRight: (moved) => ({
        ledger: moved.ledger,
        answer: Either.right({ entry: moved.entry, applied: moved.applied }),
      }),
    });
  switch (operation.kind) {
    case 'deposit':
      return settle(deposit(ledger, operation.input));
    case 'authorize':
      return Either.match(authorize(ledger, operation.input), {
        // a refusal for funds comes with the ledger that records it
        onLeft: (failure) => ({ ledger: failure.ledger, answer: Either.left(failure.error) }),
        onRight: (moved) => ({
          ledger: moved.ledger,
          answer: Either.right({ entry: moved.entry, applied: moved.applied }),
        }),
      });
    case 'voidHold':
      return settle(voidHold(ledger, operation.input));
    case 'capture':
      return settle(capture(ledger, operation.input));
    case 'reverse':
      return settle(reverse(ledger, operation.input));
  }
};

/**
 * How each account the batch read moves (differences, applied as `column =
 * column + delta`), with the balances and credit limit it was read with: the
 * write moves the row only where it is still so (a delta may be all zero: a
 * refusal was decided on those balances).
 */
export interface AccountDelta {
  readonly accountId: string;
  readonly currency: string;
  readonly availableMinor: bigint;
  readonly holdingMinor: bigint;
  readonly capturedMinor: bigint;
  readonly reversedMinor: bigint;
  readonly fundedMinor: bigint;
  /** The account as it was read. */
  readonly read: LedgerAccount;
}

/** A hold row to insert (a new claim) or to move from the status it was read with. */
export interface HoldWrite {
  readonly transactionId: string;
  readonly accountId: string;
  readonly currency: string;
  readonly amountMinor: bigint;
  readonly status: HoldStatusColumn;
  readonly capturedMinor: bigint | undefined;
  readonly refusal: { readonly availableMinor: string; readonly creditLimitMinor: string } | undefined;
  /** The status the row had when it was read; undefined for a new claim. */
  readonly from: HoldStatusColumn | undefined;
}

/** What a decided batch writes, set-based, and what each operation answers (entries with placeholder sequences). */
export interface DecidedBatch {
  readonly answers: readonly BatchAnswer[];
  /** New journal entries in decision order. */
  readonly entries: readonly JournalEntry[];
  readonly holds: readonly HoldWrite[];
  /** Every account of the ledger the batch was decided on. */
  readonly accounts: readonly AccountDelta[];
  /** The claims the batch read and left as they were, with their status: the write checks they still are. */
  readonly unchanged: ReadonlyArray<{ readonly transactionId: string; readonly status: HoldStatusColumn }>;
  /** The ledger after the batch (its new entries with placeholder sequences). */
  readonly after: Ledger;
}

/** The stored status of each claim (hold or refusal) of a ledger, as its row says. */
export const storedStatusOf = (ledger: Ledger): Map<string, HoldStatusColumn> => {
  const status = new Map<string, HoldStatusColumn>();
  for (const hold of ledger.holds.values()) status.set(hold.transactionId, holdStatus(hold));
  for (const refusal of ledger.refusals.values()) status.set(refusal.transactionId, 'REFUSED');
  return status;
};

/**
 * Decides every operation in order on `before` (the ledger of the batch's
 * keys as stored: read under lock, or a lane's copy of what it committed),
 * and what must be written for it.
 */
export const decideBatch = (before: Ledger, operations: readonly BatchOperation[]): DecidedBatch => {
  let ledger = before;
  const answers: BatchAnswer[] = [];
  for (const operation of operations) {
    const next = step(ledger, operation);
    ledger = next.ledger;
    answers.push(next.answer);
  }
  const readStatus = storedStatusOf(before);
  const holds: HoldWrite[] = [];
  for (const hold of ledger.holds.values()) {
    const status: HoldStatusColumn = holdStatus(hold);
    const from = readStatus.get(hold.transactionId);
    if (from === status) continue;
    const captured = hold.settlement?.kind === 'CAPTURE' ? hold.settlement.amountMinor : undefined;
    holds.push({ ...hold, status, capturedMinor: captured, refusal: undefined, from });
  }
  for (const refusal of ledger.refusals.values()) {
    if (readStatus.has(refusal.transactionId)) continue;
    holds.push({
      ...refusal,
      status: 'REFUSED',
      capturedMinor: undefined,
      refusal: { availableMinor: String(refusal.availableMinor), creditLimitMinor: String(refusal.creditLimitMinor) },
      from: undefined,
    });
  }
  const moved = new Set(holds.map((hold) => hold.transactionId));
  const unchanged = [...readStatus]
    .filter(([transactionId]) => !moved.has(transactionId))
    .map(([transactionId, status]) => ({ transactionId, status }));
  const accounts: AccountDelta[] = [];
  for (const [key, read] of before.accounts) {
    const account = ledger.accounts.get(key) ?? read;
    accounts.push({
      accountId: account.accountId,
      currency: account.currency.code,
      availableMinor: account.availableMinor - read.availableMinor,
      holdingMinor: account.holdingMinor - read.holdingMinor,
      capturedMinor: account.capturedMinor - read.capturedMinor,
      reversedMinor: account.reversedMinor - read.reversedMinor,
      fundedMinor: account.fundedMinor - read.fundedMinor,
      read,
    });
  }
  return { answers, entries: ledger.journal, holds, accounts, unchanged, after: ledger };
};

/** A decided entry as stored (its real sequence), matched on (reference, kind); the entry itself when not written. */
export type StoredEntryOf = (entry: JournalEntry) => JournalEntry;

/** The stored entry of each decided one, from the entries a batch's write answered (with their sequences). */
export const storedEntryOf = (stored: readonly JournalEntry[]): StoredEntryOf => {
  const byMovement = new Map(stored.map((entry) => [movementKey(entry.reference, entry.kind), entry]));
  return (entry) => byMovement.get(movementKey(entry.reference, entry.kind)) ?? entry;
};

/** The answers with each new entry replaced by its stored row. */
export const withStoredEntries = (answers: readonly BatchAnswer[], stored: StoredEntryOf): BatchAnswer[] =>
  answers.map((answer) =>
    Either.map(answer, (movement) => ({ entry: stored(movement.entry), applied: movement.applied })),
  );
