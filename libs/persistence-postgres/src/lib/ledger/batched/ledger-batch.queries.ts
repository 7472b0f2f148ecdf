// The statements of a batch, on a pg client of its own (TypeORM's pool,
// under TypeORM: the hot path skips its query runner). Reading a batch's
// claims is one multi-statement round trip, under row locks (BEGIN, lock the
// batch's account rows once, sorted so that batches never deadlock each
// other, and read its claims) or plainly (to fill a lane's copy). Writing
// what the pure ledger decided is one prepared statement, set-based, that
// checks every row it read is still as read. The schema's CHECK constraints
// and unique claims back every row.
import { accountKey, type JournalEntry, type LedgerAccount, PersistenceFailure } from '@airtime/domain';
import { Either, Effect } from 'effect';
import { escapeLiteral, type PoolClient } from 'pg';
import { ACCOUNT_COLUMNS, type AccountRow, accountOf, type HoldRow, type JournalRow } from '../ledger-rows.mapper';
import type { BatchKeys, DecidedBatch, StoredClaims } from './ledger-batch';

/** The locked accounts, and those stored in a shape the domain refuses (their operations fail, not the batch). */
export interface LockedClaims extends StoredClaims {
  readonly unreadable: ReadonlyMap<string, PersistenceFailure>;
}

/**
 * A text array as an SQL literal. The first round trip goes as one simple
 * query (three statements, each with its own snapshot), which takes no
 * parameters: every value is quoted by pg's `escapeLiteral`.
 */
const textArray = (values: readonly string[], type: 'text' | 'bpchar') =>
  values.length === 0 ? `'{}'::${type}[]` : `ARRAY[${values.map(escapeLiteral).join(',')}]::${type}[]`;

/** How a batch reads: under row locks in its own transaction, or plainly (to fill a lane's copy). */
export type ReadMode = 'locked' | 'plain';

/** The accounts named, and those the holds of `transactionIds` are on, in (account, currency) order; locked or not. */
const lockAccounts = (
  pairs: ReadonlyArray<readonly [string, string]>,
  transactionIds: readonly string[],
  mode: ReadMode = 'locked',
) => `
  SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts
   WHERE (account_id, currency) IN (
           SELECT * FROM unnest(${textArray(
             pairs.map(([id]) => id),
             'text',
           )}, ${textArray(
             pairs.map(([, currency]) => currency),
             'bpchar',
           )})
           UNION SELECT account_id, currency FROM ledger_holds WHERE transaction_id = ANY(${textArray(transactionIds, 'text')}))
   ORDER BY account_id, currency${mode === 'locked' ? ' FOR UPDATE' : ''}`;

/** Bigint columns as text inside JSON (a JSON number would lose digits past 2^53). */
const claims = (transactionIds: readonly string[], depositIds: readonly string[], mode: ReadMode) => `
  SELECT
    (SELECT COALESCE(json_agg(h), '[]'::json) FROM (
       SELECT transaction_id, account_id, currency, amount_minor::text AS amount_minor, status,
              captured_minor::text AS captured_minor, refusal
         FROM ledger_holds WHERE transaction_id = ANY(${textArray(transactionIds, 'text')})
        ORDER BY transaction_id${mode === 'locked' ? ' FOR UPDATE' : ''}) h) AS holds,
    (SELECT COALESCE(json_agg(j), '[]'::json) FROM (
       SELECT sequence::text AS sequence, account_id, currency, reference, kind, amount_minor::text AS amount_minor,
              available_delta_minor::text AS available_delta_minor, holding_delta_minor::text AS holding_delta_minor
         FROM ledger_journal
        WHERE (reference = ANY(${textArray(transactionIds, 'text')}) AND kind <> 'DEPOSIT')
           OR (reference = ANY(${textArray(depositIds, 'text')}) AND kind = 'DEPOSIT')) j) AS entries`;

interface QueryResult<Row> {
  readonly rows: Row[];
}

/**
 * Reads the claims of a batch's keys in one round trip. `locked`: BEGINs the
 * batch's transaction, locks its accounts (those its inputs name and those
 * its holds are on) in (account, currency) order, then, in a statement of
 * its own (so that it sees whatever committed while it waited for the
 * locks), reads the holds (locked too) and the journal entries of its keys;
 * a hold on an account not locked yet (claimed meanwhile by another writer)
 * gets its account locked next (one more round trip). `plain`: the same two
 * reads without a transaction or locks (what they return may be stale by
 * the time it is used: the copy path's write checks it). Rejects with pg's
 * error; in `locked` mode the caller rolls back.
 */
export const readClaims = async (
  client: PoolClient,
  keys: BatchKeys,
  mode: ReadMode,
  /** `locked` only: whether to BEGIN (false: in the transaction already open on `client`). */
  begin = true,
): Promise<LockedClaims> => {
  const reads = `${lockAccounts(keys.accounts, keys.transactionIds, mode)}; ${claims(keys.transactionIds, keys.depositIds, mode)}`;
  const results = (await client.query(
    mode === 'locked' && begin ? `BEGIN; ${reads}` : reads,
  )) as unknown as QueryResult<AccountRow | { holds: HoldRow[]; entries: JournalRow[] }>[];
  const [accountRows, claimRows] = results.slice(-2) as [
    QueryResult<AccountRow>,
    QueryResult<{ holds: HoldRow[]; entries: JournalRow[] }>,
  ];
  const rows = [...accountRows.rows];
  const read = claimRows.rows[0];
  const holds = read?.holds ?? [];
  const locked = new Set(rows.map((row) => accountKey(row.account_id, row.currency)));
  const missing = holds
    .map((hold) => [hold.account_id, hold.currency] as const)
    .filter(([accountId, currency]) => !locked.has(accountKey(accountId, currency)));
  if (mode === 'locked' && missing.length)
    rows.push(...(await client.query<AccountRow>(lockAccounts(missing, []))).rows);
  const accounts: LedgerAccount[] = [];
  const unreadable = new Map<string, PersistenceFailure>();
  for (const row of rows) {
    const account = Effect.runSync(Effect.either(accountOf(row)));
    if (Either.isRight(account)) accounts.push(account.right);
    else unreadable.set(accountKey(row.account_id, row.currency), account.left);
  }
  return { accounts, holds, entries: read?.entries ?? [], unreadable };
};

const text = (values: readonly bigint[]) => values.map(String);

/**
 * A decided batch's writes in ONE statement (one round trip), through the
 * function `ledger_batch_write_v2` (migration 1765200000000, after
 * 1765000000000's first version: planned with index lookups only; the
 * batch's accounts locked first, sorted): new
 * claims (holds and refusals), holds moved from the status they were read
 * with, the journal entries in decision order and every account the batch
 * read, moved by difference where its balances and credit limit are still
 * as read, and a count of the claims it read and left as they were, still
 * so. `ledger_batch_guard` fails the whole statement (SQLSTATE LB001,
 * nothing written) when fewer holds or accounts moved, or stayed, than
 * decided. Empty parts write nothing. The constraints check every row. It
 * answers the new entries' sequences, in decision order.
 */
const WRITE = `SELECT stored_sequences AS sequences FROM ledger_batch_write_v2(${Array.from({ length: 36 }, (_, index) => `$${index + 1}`).join(', ')})`;

/**
 * Writes a decided batch in one prepared statement (parsed once per
 * connection): in the caller's transaction, or on its own (autocommit: one
 * round trip, one commit). Returns the batch's new journal entries as
 * stored: each decided entry with the sequence the journal gave it. Rejects
 * with pg's error: SQLSTATE LB001 when a row was not as read (nothing
 * written), 23505 when a claim is taken.
 */
export const writeDecidedBatch = async (client: PoolClient, batch: DecidedBatch): Promise<readonly JournalEntry[]> => {
  const { entries, holds, accounts } = batch;
  const created = holds.filter((hold) => hold.from === undefined);
  const moved = holds.filter((hold) => hold.from !== undefined);
  const optional = (value: bigint | undefined) => (value === undefined ? null : String(value));
  const result = await client.query<{ sequences: string[] | null }>({
    name: 'ledger_batch_write_v2',
    text: WRITE,
    values: [
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
      text(accounts.map((delta) => delta.read.availableMinor)),
      text(accounts.map((delta) => delta.read.holdingMinor)),
      text(accounts.map((delta) => delta.read.capturedMinor)),
      text(accounts.map((delta) => delta.read.reversedMinor)),
      text(accounts.map((delta) => delta.read.fundedMinor)),
      text(accounts.map((delta) => delta.read.creditLimitMinor)),
      moved.length,
      accounts.length,
      batch.unchanged.map((claim) => claim.transactionId),
      batch.unchanged.map((claim) => claim.status),
      batch.unchanged.length,
    ],
  });
  return storedEntries(entries, result.rows[0]?.sequences ?? []);
};

/** The decided entries with the sequences the write answered, one each, in order (anything else is a defect). */
const storedEntries = (entries: readonly JournalEntry[], sequences: readonly string[]): JournalEntry[] => {
  if (sequences.length !== entries.length)
    throw new Error(`ledger_batch_write_v2 answered ${sequences.length} sequences for ${entries.length} entries`);
  return entries.map((entry, index) => ({ ...entry, sequence: Number(sequences[index]) }));
};
