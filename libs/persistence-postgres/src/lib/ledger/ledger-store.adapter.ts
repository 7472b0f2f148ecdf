import {
  AccountAlreadyOpen,
  AccountNotFound,
  type AuthorizeInput,
  CaptureExceedsHold,
  type CaptureInput,
  checkAccountId,
  checkAuthorizeInput,
  checkCaptureInput,
  checkCaptureRepeat,
  checkDepositRepeat,
  checkAuthorizeRepeat,
  checkDepositInput,
  checkOpenAccountInput,
  checkReverseInput,
  checkSetCreditLimitInput,
  checkVoidHoldInput,
  CreditLimitInUse,
  type DepositInput,
  HoldAlreadySettled,
  HoldNotCaptured,
  HoldNotFound,
  type IdempotencyConflict,
  InsufficientFunds,
  InvalidLedgerCurrency,
  type JournalEntryKind,
  type LedgerAccount,
  type LedgerError,
  LedgerStore,
  type LedgerStoreService,
  type OpenAccountInput,
  type PersistenceFailure,
  type ReverseInput,
  type SetCreditLimitInput,
  type StoredMovement,
  type VoidHoldInput,
} from '@airtime/domain';
import { Effect, Either, Layer } from 'effect';
import type { DataSource } from 'typeorm';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeAuthorizeAll, makeSettleAll } from './batched/authorize-all';
import { bigintOf, sql } from '../unit-of-work/sql';
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  accountOf,
  entryOf,
  type HoldRow,
  JOURNAL_COLUMNS,
  type JournalRow,
} from './ledger-rows.mapper';

type Step<A> = Effect.Effect<A, LedgerError | PersistenceFailure>;

type SettlementKind = 'VOID' | 'CAPTURE' | 'REVERSE';

/**
 * Each settlement: the hold's status it needs and the one it leaves, what
 * else the hold's UPDATE sets and checks (a capture: its amount, `$2`, at
 * most the hold), and how it moves the account, in SQL over the settled
 * hold's row `s` (its columns as the UPDATE left them): the journal's
 * amount, then the deltas of available, holding, captured and reversed.
 */
const SETTLEMENTS: Readonly<
  Record<SettlementKind, { from: string; to: string; setCaptured: string; guard: string; deltas: string }>
> = {
  VOID: {
    from: 'HELD',
    to: 'VOIDED',
    setCaptured: '',
    guard: '',
    deltas: 's.amount_minor, s.amount_minor, -s.amount_minor, 0::bigint, 0::bigint',
  },
  CAPTURE: {
    from: 'HELD',
    to: 'CAPTURED',
    setCaptured: ', captured_minor = $2::bigint',
    guard: ' AND h.amount_minor >= $2::bigint',
    deltas: '$2::bigint, s.amount_minor - $2::bigint, -s.amount_minor, $2::bigint, 0::bigint',
  },
  REVERSE: {
    from: 'CAPTURED',
    to: 'REVERSED',
    setCaptured: '',
    guard: '',
    deltas: 's.captured_minor, s.captured_minor, 0::bigint, 0::bigint, s.captured_minor',
  },
};

/**
 * The one statement of each settlement, written once: the hold's account
 * locked first (`target`), then the hold's conditional status change (the
 * row lock orders twins: the second finds the status changed and settles
 * nothing), the account's balances and the journal entry, each only where
 * the hold moved. The account exists (the hold's foreign key), so a moved
 * hold always moves its account. The account before the hold, as the
 * batches lock them (`readClaims`: the accounts, sorted, then the claims):
 * a settlement and a batch naming the same hold wait on one another in the
 * same order and never deadlock. The hold's row is updated through the join
 * with `target`, so it cannot be locked before its account is.
 */
const SETTLE_STATEMENTS = Object.fromEntries(
  Object.entries(SETTLEMENTS).map(([kind, { from, to, setCaptured, guard, deltas }]) => [
    kind,
    `WITH target AS MATERIALIZED (
       SELECT a.account_id, a.currency
         FROM ledger_holds h JOIN ledger_accounts a USING (account_id, currency)
        WHERE h.transaction_id = $1
          FOR UPDATE OF a
     ), settled AS (
       UPDATE ledger_holds h SET status = '${to}'${setCaptured}, updated_at = now()
         FROM target t
        WHERE h.transaction_id = $1 AND h.account_id = t.account_id AND h.currency = t.currency
          AND h.status = '${from}'${guard}
        RETURNING h.account_id, h.currency, h.amount_minor, h.captured_minor
     ), deltas AS (
       SELECT s.account_id, s.currency, d.amount, d.available, d.holding, d.captured, d.reversed
         FROM settled s, LATERAL (SELECT ${deltas}) AS d (amount, available, holding, captured, reversed)
     ), moved AS (
       UPDATE ledger_accounts a
          SET available_minor = a.available_minor + d.available, holding_minor = a.holding_minor + d.holding,
              captured_minor = a.captured_minor + d.captured, reversed_minor = a.reversed_minor + d.reversed,
              updated_at = now()
         FROM deltas d
        WHERE a.account_id = d.account_id AND a.currency = d.currency
     )
     INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
     SELECT d.account_id, d.currency, $1, '${kind}', d.amount, d.available, d.holding
       FROM deltas d
     RETURNING ${JOURNAL_COLUMNS}`,
  ]),
) as Readonly<Record<SettlementKind, string>>;

/**
 * The ledger on PostgreSQL, with the pure ledger's rules and errors. Every
 * call first runs the domain's own input checks (`checkDepositInput`, ...:
 * identifiers, currency, amount), the very functions the pure ledger runs,
 * so nothing invalid reaches the database and the errors are the same.
 * Every balance change is one conditional UPDATE (never read-modify-write
 * in code); every idempotency claim is a unique key (`ledger_holds` primary
 * key, `ledger_journal (reference, kind)`); CHECK constraints back the
 * invariants and the identifier rule. Each call runs in the caller's unit
 * of work or its own.
 */
export const makeLedgerStore = (dataSource: DataSource): LedgerStoreService => {
  const unitOfWork = makeUnitOfWork(dataSource);
  const query = <Row>(text: string, parameters: readonly unknown[] = []) => sql<Row>(dataSource, text, parameters);

  const findAccountRow = (accountId: string, currency: string) =>
    Effect.map(
      query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE account_id = $1 AND currency = $2`, [
        accountId,
        currency,
      ]),
      (rows) => rows[0],
    );

  const requireAccount = (accountId: string, currency: string): Step<AccountRow> =>
    Effect.flatMap(findAccountRow(accountId, currency), (row) =>
      row ? Effect.succeed(row) : Effect.fail(new AccountNotFound({ accountId, currency })),
    );

  const findHold = (transactionId: string) =>
    Effect.map(
      query<HoldRow>(`SELECT * FROM ledger_holds WHERE transaction_id = $1`, [transactionId]),
      (rows) => rows[0],
    );

  const journalEntry = (reference: string, kind: JournalEntryKind) =>
    Effect.flatMap(
      query<JournalRow>(`SELECT ${JOURNAL_COLUMNS} FROM ledger_journal WHERE reference = $1 AND kind = $2`, [
        reference,
        kind,
      ]),
      (rows) =>
        rows[0]
          ? Effect.succeed(entryOf(rows[0]))
          : Effect.dieMessage(`journal entry ${kind} ${reference} missing for a settled claim`),
    );

  const repeated = (reference: string, kind: JournalEntryKind): Step<StoredMovement> =>
    Effect.map(journalEntry(reference, kind), (entry) => ({ entry, applied: false }));

  const refusalOf = (hold: HoldRow): InsufficientFunds =>
    new InsufficientFunds({
      accountId: hold.account_id,
      currency: hold.currency,
      requestedMinor: bigintOf(hold.amount_minor),
      availableMinor: bigintOf(hold.refusal?.availableMinor ?? '0'),
      creditLimitMinor: bigintOf(hold.refusal?.creditLimitMinor ?? '0'),
    });

  /** What an existing claim on the transaction id says about this authorization. */
  const existingClaim = (
    hold: HoldRow,
    input: AuthorizeInput,
  ): Step<StoredMovement> | Effect.Effect<InsufficientFunds, IdempotencyConflict> => {
    const claimed = { accountId: hold.account_id, currency: hold.currency, amountMinor: bigintOf(hold.amount_minor) };
    const repeat = checkAuthorizeRepeat(claimed, hold.status === 'REFUSED' ? 'refused' : 'authorized', input);
    if (Either.isLeft(repeat)) return Effect.fail(repeat.left);
    return hold.status === 'REFUSED' ? Effect.succeed(refusalOf(hold)) : repeated(input.transactionId, 'AUTHORIZE');
  };

  /** Authorizes, or records and returns the refusal (as a value, so that it commits). */
  const authorizeOrRefuse = (
    input: AuthorizeInput,
  ): Effect.Effect<StoredMovement | InsufficientFunds, LedgerError | PersistenceFailure> =>
    Effect.gen(function* () {
      yield* checkAuthorizeInput(input);
      // the claim: one row per transaction id, only for an account that exists (a missing one would break the
      // foreign key and abort the caller's transaction); a concurrent twin waits here, then finds it taken
      const claimed = yield* query(
        `INSERT INTO ledger_holds (transaction_id, account_id, currency, amount_minor, status)
         SELECT $1::text, $2::text, $3::bpchar, $4::bigint, 'HELD'
          WHERE EXISTS (SELECT 1 FROM ledger_accounts WHERE account_id = $2::text AND currency = $3::bpchar)
         ON CONFLICT (transaction_id) DO NOTHING RETURNING transaction_id`,
        [input.transactionId, input.accountId, input.currency.code, String(input.amountMinor)],
      );
      if (claimed.length === 0) {
        // taken (this transaction id's claim answers, as a repeat or a conflict), else no such account
        const existing = yield* findHold(input.transactionId);
        if (existing) return yield* existingClaim(existing, input);
        yield* requireAccount(input.accountId, input.currency.code);
        return yield* Effect.dieMessage(`claim on ${input.transactionId} vanished`);
      }
      // the hold and its journal entry in one statement: the entry is written only when the balance moved
      const [row] = yield* query<JournalRow>(
        `WITH held AS (
           UPDATE ledger_accounts
              SET available_minor = available_minor - $3::bigint, holding_minor = holding_minor + $3::bigint,
                  updated_at = now()
            WHERE account_id = $1 AND currency = $2 AND available_minor + credit_limit_minor >= $3::bigint
            RETURNING account_id, currency
         )
         INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
         SELECT account_id, currency, $4::text, 'AUTHORIZE', $3::bigint, $5::bigint, $3::bigint FROM held
         RETURNING ${JOURNAL_COLUMNS}`,
        [
          input.accountId,
          input.currency.code,
          String(input.amountMinor),
          input.transactionId,
          String(-input.amountMinor),
        ],
      );
      if (row === undefined) {
        const account = yield* requireAccount(input.accountId, input.currency.code);
        const [refused] = yield* query<HoldRow>(
          `UPDATE ledger_holds SET status = 'REFUSED', refusal = $2, updated_at = now() WHERE transaction_id = $1 RETURNING *`,
          [
            input.transactionId,
            JSON.stringify({ availableMinor: account.available_minor, creditLimitMinor: account.credit_limit_minor }),
          ],
        );
        return refusalOf(refused as HoldRow);
      }
      return { entry: entryOf(row), applied: true };
    });

  const authorize = (input: AuthorizeInput): Step<StoredMovement> =>
    Effect.flatMap(unitOfWork.transactionally(authorizeOrRefuse(input)), (outcome) =>
      outcome instanceof InsufficientFunds ? Effect.fail(outcome) : Effect.succeed(outcome),
    );

  /**
   * Settles a hold in ONE statement (see SETTLE_STATEMENTS): answers the
   * journal entry, or nothing when the hold was not in the status the
   * movement needs (then the caller reads it to say why).
   */
  const settle = (kind: SettlementKind, transactionId: string, capturedMinor = 0n) =>
    Effect.map(
      query<JournalRow>(
        SETTLE_STATEMENTS[kind],
        kind === 'CAPTURE' ? [transactionId, String(capturedMinor)] : [transactionId],
      ),
      (rows) => (rows[0] === undefined ? undefined : { entry: entryOf(rows[0]), applied: true }),
    );

  const voidHold = (input: VoidHoldInput): Step<StoredMovement> =>
    unitOfWork.transactionally(
      Effect.gen(function* () {
        yield* checkVoidHoldInput(input);
        const voided = yield* settle('VOID', input.transactionId);
        if (voided) return voided;
        const hold = yield* findHold(input.transactionId);
        if (!hold || hold.status === 'REFUSED')
          return yield* Effect.fail(new HoldNotFound({ transactionId: input.transactionId }));
        if (hold.status === 'VOIDED') return yield* repeated(input.transactionId, 'VOID');
        return yield* Effect.fail(
          new HoldAlreadySettled({ transactionId: input.transactionId, settledAs: 'CAPTURE', requested: 'VOID' }),
        );
      }),
    );

  const capture = (input: CaptureInput): Step<StoredMovement> =>
    unitOfWork.transactionally(
      Effect.gen(function* () {
        yield* checkCaptureInput(input);
        const captured = yield* settle('CAPTURE', input.transactionId, input.amountMinor);
        if (captured) return captured;
        const hold = yield* findHold(input.transactionId);
        if (!hold || hold.status === 'REFUSED')
          return yield* Effect.fail(new HoldNotFound({ transactionId: input.transactionId }));
        if (hold.status === 'VOIDED') {
          return yield* Effect.fail(
            new HoldAlreadySettled({ transactionId: input.transactionId, settledAs: 'VOID', requested: 'CAPTURE' }),
          );
        }
        if (hold.status === 'HELD') {
          return yield* Effect.fail(
            new CaptureExceedsHold({
              transactionId: input.transactionId,
              holdMinor: bigintOf(hold.amount_minor),
              requestedMinor: input.amountMinor,
            }),
          );
        }
        yield* checkCaptureRepeat(bigintOf(hold.captured_minor ?? '0'), input);
        return yield* repeated(input.transactionId, 'CAPTURE');
      }),
    );

  const reverse = (input: ReverseInput): Step<StoredMovement> =>
    unitOfWork.transactionally(
      Effect.gen(function* () {
        yield* checkReverseInput(input);
        const reversed = yield* settle('REVERSE', input.transactionId);
        if (reversed) return reversed;
        const hold = yield* findHold(input.transactionId);
        if (!hold || hold.status === 'REFUSED')
          return yield* Effect.fail(new HoldNotFound({ transactionId: input.transactionId }));
        if (hold.status === 'REVERSED') return yield* repeated(input.transactionId, 'REVERSE');
        return yield* Effect.fail(
          new HoldNotCaptured({
            transactionId: input.transactionId,
            status: hold.status === 'HELD' ? 'HELD' : 'VOIDED',
          }),
        );
      }),
    );

  const depositConflictOrRepeat = (earlier: JournalRow, input: DepositInput): Step<StoredMovement> => {
    const entry = entryOf(earlier);
    return Effect.as(checkDepositRepeat(entry, input), { entry, applied: false });
  };

  const depositEntry = (depositId: string) =>
    Effect.map(
      query<JournalRow>(`SELECT ${JOURNAL_COLUMNS} FROM ledger_journal WHERE reference = $1 AND kind = 'DEPOSIT'`, [
        depositId,
      ]),
      (rows) => rows[0],
    );

  const deposit = (input: DepositInput): Step<StoredMovement> =>
    unitOfWork.transactionally(
      Effect.gen(function* () {
        yield* checkDepositInput(input);
        const earlier = yield* depositEntry(input.depositId);
        if (earlier) return yield* depositConflictOrRepeat(earlier, input);
        yield* requireAccount(input.accountId, input.currency.code);
        // the claim: the journal row itself; a concurrent twin waits on it, then finds it taken
        const [claimed] = yield* query<JournalRow>(
          `INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
           VALUES ($1, $2, $3, 'DEPOSIT', $4, $4, 0) ON CONFLICT (reference, kind) DO NOTHING RETURNING ${JOURNAL_COLUMNS}`,
          [input.accountId, input.currency.code, input.depositId, String(input.amountMinor)],
        );
        if (!claimed) {
          const twin = yield* depositEntry(input.depositId);
          return yield* twin
            ? depositConflictOrRepeat(twin, input)
            : Effect.dieMessage(`deposit ${input.depositId} claim vanished`);
        }
        yield* query(
          `UPDATE ledger_accounts SET available_minor = available_minor + $3, funded_minor = funded_minor + $3, updated_at = now()
            WHERE account_id = $1 AND currency = $2`,
          [input.accountId, input.currency.code, String(input.amountMinor)],
        );
        return { entry: entryOf(claimed), applied: true };
      }),
    );

  const openAccount = (input: OpenAccountInput): Step<LedgerAccount> =>
    unitOfWork.transactionally(
      Effect.gen(function* () {
        yield* checkOpenAccountInput(input);
        yield* query(
          `INSERT INTO ledger_accounts (account_id, currency, currency_exponent, credit_limit_minor)
           VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, currency) DO NOTHING`,
          [input.accountId, input.currency.code, input.currency.exponent, String(input.creditLimitMinor)],
        );
        const row = yield* requireAccount(input.accountId, input.currency.code);
        // one currency, one exponent: an account opened with another one is not this account
        if (Number(row.currency_exponent) !== input.currency.exponent) {
          return yield* Effect.fail(
            new InvalidLedgerCurrency({
              currency: input.currency.code,
              exponent: input.currency.exponent,
              expectedExponent: Number(row.currency_exponent),
            }),
          );
        }
        if (bigintOf(row.credit_limit_minor) !== input.creditLimitMinor) {
          return yield* Effect.fail(
            new AccountAlreadyOpen({
              accountId: input.accountId,
              currency: input.currency.code,
              creditLimitMinor: bigintOf(row.credit_limit_minor),
              requestedCreditLimitMinor: input.creditLimitMinor,
            }),
          );
        }
        return yield* accountOf(row);
      }),
    );

  const setCreditLimit = (input: SetCreditLimitInput): Step<LedgerAccount> =>
    unitOfWork.transactionally(
      Effect.gen(function* () {
        yield* checkSetCreditLimitInput(input);
        const [row] = yield* query<AccountRow>(
          `UPDATE ledger_accounts SET credit_limit_minor = $3, updated_at = now()
            WHERE account_id = $1 AND currency = $2 AND available_minor >= -$3::bigint RETURNING ${ACCOUNT_COLUMNS}`,
          [input.accountId, input.currency.code, String(input.creditLimitMinor)],
        );
        if (row) return yield* accountOf(row);
        const current = yield* requireAccount(input.accountId, input.currency.code);
        return yield* Effect.fail(
          new CreditLimitInUse({
            accountId: input.accountId,
            currency: input.currency.code,
            availableMinor: bigintOf(current.available_minor),
            requestedCreditLimitMinor: input.creditLimitMinor,
          }),
        );
      }),
    );

  const account = (accountId: string, currencyCode: string): Step<LedgerAccount> =>
    Effect.flatMap(checkAccountId(accountId), () => Effect.flatMap(requireAccount(accountId, currencyCode), accountOf));

  return {
    openAccount,
    setCreditLimit,
    deposit,
    authorize,
    authorizeAll: makeAuthorizeAll(authorize),
    voidHold,
    capture,
    reverse,
    settleAll: makeSettleAll({ capture, voidHold, reverse }),
    account,
  };
};

export const ledgerStoreLayer = (dataSource: DataSource) => Layer.succeed(LedgerStore, makeLedgerStore(dataSource));
