// The statements of one batch, in its one transaction: lock the batch's
// account rows once (sorted, so that batches never deadlock each other),
// read the claims already made for its keys, then write what the pure
// ledger decided set-based: one INSERT of journal entries, one INSERT of new
// claims (holds and refusals), one UPDATE of moved holds, one UPDATE of the
// touched accounts. The schema's CHECK constraints and unique claims back
// every row.
import { accountKey, type LedgerAccount, PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { DataSource } from 'typeorm';
import { sql } from '../../unit-of-work/sql';
import { ACCOUNT_COLUMNS, type AccountRow, accountOf, type HoldRow, type JournalRow } from '../ledger-rows.mapper';
import type { BatchKeys, DecidedBatch, StoredClaims } from './ledger-batch';

/** The locked accounts, and those stored in a shape the domain refuses (their operations fail, not the batch). */
export interface LockedClaims extends StoredClaims {
  readonly unreadable: ReadonlyMap<string, PersistenceFailure>;
}

const pairsOf = (pairs: ReadonlyArray<readonly [string, string]>) => [
  pairs.map(([id]) => id),
  pairs.map(([, currency]) => currency),
];

/** Locks the accounts named, and those the holds of `transactionIds` are on, in (account, currency) order. */
const lockAccounts = (
  dataSource: DataSource,
  pairs: ReadonlyArray<readonly [string, string]>,
  transactionIds: readonly string[],
) =>
  sql<AccountRow>(
    dataSource,
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts
      WHERE (account_id, currency) IN (
              SELECT * FROM unnest($1::text[], $2::bpchar[])
              UNION SELECT account_id, currency FROM ledger_holds WHERE transaction_id = ANY($3::text[]))
      ORDER BY account_id, currency FOR UPDATE`,
    [...pairsOf(pairs), transactionIds],
  );

/** Bigint columns as text inside JSON (a JSON number would lose digits past 2^53). */
const CLAIMS = `
  SELECT
    (SELECT COALESCE(json_agg(h), '[]'::json) FROM (
       SELECT transaction_id, account_id, currency, amount_minor::text AS amount_minor, status,
              captured_minor::text AS captured_minor, refusal
         FROM ledger_holds WHERE transaction_id = ANY($1::text[]) ORDER BY transaction_id FOR UPDATE) h) AS holds,
    (SELECT COALESCE(json_agg(j), '[]'::json) FROM (
       SELECT sequence::text AS sequence, account_id, currency, reference, kind, amount_minor::text AS amount_minor,
              available_delta_minor::text AS available_delta_minor, holding_delta_minor::text AS holding_delta_minor
         FROM ledger_journal
        WHERE (reference = ANY($1::text[]) AND kind <> 'DEPOSIT') OR (reference = ANY($2::text[]) AND kind = 'DEPOSIT')) j)
      AS entries`;

/**
 * Locks the accounts of a batch (those its inputs name and those its holds
 * are on) in (account, currency) order, then, in a statement of its own (so
 * that it sees whatever committed while it waited for the locks), reads the
 * holds (locked too) and the journal entries of its keys. A hold on an
 * account not locked yet (claimed meanwhile by another writer) gets its
 * account locked next. Two round trips.
 */
export const lockAndReadClaims = (
  dataSource: DataSource,
  keys: BatchKeys,
): Effect.Effect<LockedClaims, PersistenceFailure> =>
  Effect.gen(function* () {
    const ids = [...keys.transactionIds];
    const rows = [...(yield* lockAccounts(dataSource, keys.accounts, ids))];
    const [claims] = yield* sql<{ holds: HoldRow[]; entries: JournalRow[] }>(dataSource, CLAIMS, [
      ids,
      [...keys.depositIds],
    ]);
    const holds = claims?.holds ?? [];
    const locked = new Set(rows.map((row) => accountKey(row.account_id, row.currency)));
    const missing = holds
      .map((hold) => [hold.account_id, hold.currency] as const)
      .filter(([accountId, currency]) => !locked.has(accountKey(accountId, currency)));
    if (missing.length) rows.push(...(yield* lockAccounts(dataSource, missing, [])));
    const accounts: LedgerAccount[] = [];
    const unreadable = new Map<string, PersistenceFailure>();
    for (const row of rows) {
      const read = yield* Effect.either(accountOf(row));
      if (read._tag === 'Right') accounts.push(read.right);
      else unreadable.set(accountKey(row.account_id, row.currency), read.left);
    }
    return { accounts, holds, entries: claims?.entries ?? [], unreadable };
  });

const text = (values: readonly bigint[]) => values.map(String);

/**
 * A decided batch's writes in ONE statement (one round trip): new claims
 * (holds and refusals), holds moved from the status they were read with,
 * the journal entries in decision order and the touched accounts' balances
 * by difference. Empty parts write nothing. The constraints check every row.
 */
const WRITE = `
  WITH created AS (
    INSERT INTO ledger_holds (transaction_id, account_id, currency, amount_minor, status, captured_minor, refusal)
    SELECT * FROM unnest($1::text[], $2::text[], $3::bpchar[], $4::bigint[], $5::text[], $6::bigint[], $7::jsonb[])
    RETURNING 1
  ), moved AS (
    UPDATE ledger_holds h SET status = m.status, captured_minor = m.captured, updated_at = now()
      FROM unnest($8::text[], $9::text[], $10::text[], $11::bigint[]) AS m(transaction_id, from_status, status, captured)
     WHERE h.transaction_id = m.transaction_id AND h.status = m.from_status
    RETURNING 1
  ), entries AS (
    INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
    SELECT account_id, currency, reference, kind, amount, available, holding
      FROM unnest($12::text[], $13::bpchar[], $14::text[], $15::text[], $16::bigint[], $17::bigint[], $18::bigint[])
           WITH ORDINALITY AS e(account_id, currency, reference, kind, amount, available, holding, position)
     ORDER BY position
    RETURNING sequence::text AS sequence, account_id, currency, reference, kind, amount_minor::text AS amount_minor,
              available_delta_minor::text AS available_delta_minor, holding_delta_minor::text AS holding_delta_minor
  ), balances AS (
    UPDATE ledger_accounts a
       SET available_minor = a.available_minor + d.available, holding_minor = a.holding_minor + d.holding,
           captured_minor = a.captured_minor + d.captured, reversed_minor = a.reversed_minor + d.reversed,
           funded_minor = a.funded_minor + d.funded, updated_at = now()
      FROM unnest($19::text[], $20::bpchar[], $21::bigint[], $22::bigint[], $23::bigint[], $24::bigint[], $25::bigint[])
           AS d(account_id, currency, available, holding, captured, reversed, funded)
     WHERE a.account_id = d.account_id AND a.currency = d.currency
    RETURNING 1
  )
  SELECT (SELECT count(*)::int FROM created) AS created, (SELECT count(*)::int FROM moved) AS moved,
         (SELECT count(*)::int FROM balances) AS balances,
         (SELECT COALESCE(json_agg(entries), '[]'::json) FROM entries) AS entries`;

/** Writes a decided batch in one statement; returns the stored journal rows (with their sequences). */
export const writeDecidedBatch = (
  dataSource: DataSource,
  batch: DecidedBatch,
): Effect.Effect<readonly JournalRow[], PersistenceFailure> =>
  Effect.gen(function* () {
    const { entries, holds, accounts } = batch;
    const created = holds.filter((hold) => hold.from === undefined);
    const moved = holds.filter((hold) => hold.from !== undefined);
    const optional = (value: bigint | undefined) => (value === undefined ? null : String(value));
    const [written] = yield* sql<{ created: number; moved: number; balances: number; entries: JournalRow[] }>(
      dataSource,
      WRITE,
      [
        created.map((hold) => hold.transactionId),
        created.map((hold) => hold.accountId),
        created.map((hold) => hold.currency),
        text(created.map((hold) => hold.amountMinor)),
        created.map((hold) => hold.status),
        created.map((hold) => optional(hold.capturedMinor)),
        created.map((hold) => (hold.refusal ? JSON.stringify(hold.refusal) : null)),
        moved.map((hold) => hold.transactionId),
        moved.map((hold) => hold.from),
        moved.map((hold) => hold.status),
        moved.map((hold) => optional(hold.capturedMinor)),
        entries.map((entry) => entry.accountId),
        entries.map((entry) => entry.currency),
        entries.map((entry) => entry.reference),
        entries.map((entry) => entry.kind),
        text(entries.map((entry) => entry.amountMinor)),
        text(entries.map((entry) => entry.availableDeltaMinor)),
        text(entries.map((entry) => entry.holdingDeltaMinor)),
        accounts.map((delta) => delta.accountId),
        accounts.map((delta) => delta.currency),
        text(accounts.map((delta) => delta.availableMinor)),
        text(accounts.map((delta) => delta.holdingMinor)),
        text(accounts.map((delta) => delta.capturedMinor)),
        text(accounts.map((delta) => delta.reversedMinor)),
        text(accounts.map((delta) => delta.fundedMinor)),
      ],
    );
    // each hold moves only from the status it was read with, each account row exists (both are locked: a guard)
    if (written?.moved !== moved.length || written.balances !== accounts.length) {
      return yield* Effect.fail(
        new PersistenceFailure({ reason: 'a locked hold or account changed under its batch', retryable: true }),
      );
    }
    return written.entries;
  });
