// The statements of one batch, in its one transaction: lock the batch's
// account rows once (sorted, so that batches never deadlock each other),
// read the claims already made for its keys, then write what the pure
// ledger decided set-based: one INSERT of journal entries, one INSERT of new
// claims (holds and refusals), one UPDATE of moved holds, one UPDATE of the
// touched accounts. The schema's CHECK constraints and unique claims back
// every row.
import { type LedgerAccount, PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { DataSource } from 'typeorm';
import { sql } from '../../unit-of-work/sql';
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  accountOf,
  type HoldRow,
  JOURNAL_COLUMNS,
  type JournalRow,
} from '../ledger-rows.mapper';
import type { BatchKeys, DecidedBatch, StoredClaims } from './ledger-batch';

/** The locked accounts, and those stored in a shape the domain refuses (their operations fail, not the batch). */
export interface LockedClaims extends StoredClaims {
  readonly unreadable: ReadonlyMap<string, PersistenceFailure>;
}

const lockAccounts = (dataSource: DataSource, pairs: ReadonlyArray<readonly [string, string]>) =>
  sql<AccountRow>(
    dataSource,
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts
      WHERE (account_id, currency) IN (SELECT * FROM unnest($1::text[], $2::bpchar[]))
      ORDER BY account_id, currency FOR UPDATE`,
    [pairs.map(([id]) => id), pairs.map(([, currency]) => currency)],
  );

/**
 * Locks the accounts of a batch (those its inputs name and those its holds
 * are on) in (account, currency) order, then reads the holds (locked too)
 * and the journal entries of its keys. A hold on an account not locked yet
 * (claimed meanwhile by another writer) gets its account locked next.
 */
export const lockAndReadClaims = (
  dataSource: DataSource,
  keys: BatchKeys,
): Effect.Effect<LockedClaims, PersistenceFailure> =>
  Effect.gen(function* () {
    const ids = [...keys.transactionIds];
    const onHolds = ids.length
      ? yield* sql<{ account_id: string; currency: string }>(
          dataSource,
          `SELECT DISTINCT account_id, currency FROM ledger_holds WHERE transaction_id = ANY($1::text[])`,
          [ids],
        )
      : [];
    const wanted = new Map(keys.accounts.map((pair) => [pair.join('\u0000'), pair]));
    for (const row of onHolds) wanted.set(`${row.account_id}\u0000${row.currency}`, [row.account_id, row.currency]);
    const rows = [...(yield* lockAccounts(dataSource, [...wanted.values()]))];
    const holds = ids.length
      ? yield* sql<HoldRow>(
          dataSource,
          `SELECT * FROM ledger_holds WHERE transaction_id = ANY($1::text[]) ORDER BY transaction_id FOR UPDATE`,
          [ids],
        )
      : [];
    const locked = new Set(rows.map((row) => `${row.account_id}\u0000${row.currency}`));
    const missing = holds
      .map((hold) => [hold.account_id, hold.currency] as const)
      .filter((pair) => !locked.has(pair.join('\u0000')));
    if (missing.length) rows.push(...(yield* lockAccounts(dataSource, missing)));
    const entries =
      ids.length || keys.depositIds.length
        ? yield* sql<JournalRow>(
            dataSource,
            `SELECT ${JOURNAL_COLUMNS} FROM ledger_journal
              WHERE (reference = ANY($1::text[]) AND kind <> 'DEPOSIT') OR (reference = ANY($2::text[]) AND kind = 'DEPOSIT')`,
            [ids, [...keys.depositIds]],
          )
        : [];
    const accounts: LedgerAccount[] = [];
    const unreadable = new Map<string, PersistenceFailure>();
    for (const row of rows) {
      const read = yield* Effect.either(accountOf(row));
      if (read._tag === 'Right') accounts.push(read.right);
      else unreadable.set(`${row.account_id}\u0000${row.currency}`, read.left);
    }
    return { accounts, holds, entries, unreadable };
  });

const text = (values: readonly bigint[]) => values.map(String);

/** Writes a decided batch; returns the stored journal rows (with their sequences). */
export const writeDecidedBatch = (
  dataSource: DataSource,
  batch: DecidedBatch,
): Effect.Effect<readonly JournalRow[], PersistenceFailure> =>
  Effect.gen(function* () {
    const { entries, holds, accounts } = batch;
    const created = holds.filter((hold) => hold.from === undefined);
    if (created.length) {
      yield* sql(
        dataSource,
        `INSERT INTO ledger_holds (transaction_id, account_id, currency, amount_minor, status, captured_minor, refusal)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bpchar[], $4::bigint[], $5::text[], $6::bigint[], $7::jsonb[])`,
        [
          created.map((hold) => hold.transactionId),
          created.map((hold) => hold.accountId),
          created.map((hold) => hold.currency),
          text(created.map((hold) => hold.amountMinor)),
          created.map((hold) => hold.status),
          created.map((hold) => (hold.capturedMinor === undefined ? null : String(hold.capturedMinor))),
          created.map((hold) => (hold.refusal ? JSON.stringify(hold.refusal) : null)),
        ],
      );
    }
    const moved = holds.filter((hold) => hold.from !== undefined);
    if (moved.length) {
      // each row moves only from the status it was read with (it is locked, so this is a guard, not a race)
      const updated = yield* sql(
        dataSource,
        `UPDATE ledger_holds h SET status = m.status, captured_minor = m.captured, updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS m(transaction_id, from_status, status, captured)
          WHERE h.transaction_id = m.transaction_id AND h.status = m.from_status RETURNING h.transaction_id`,
        [
          moved.map((hold) => hold.transactionId),
          moved.map((hold) => hold.from),
          moved.map((hold) => hold.status),
          moved.map((hold) => (hold.capturedMinor === undefined ? null : String(hold.capturedMinor))),
        ],
      );
      if (updated.length !== moved.length) {
        return yield* Effect.fail(
          new PersistenceFailure({ reason: 'a locked hold changed under its batch', retryable: true }),
        );
      }
    }
    const stored = entries.length
      ? yield* sql<JournalRow>(
          dataSource,
          `INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
           SELECT account_id, currency, reference, kind, amount, available, holding
             FROM unnest($1::text[], $2::bpchar[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])
                  WITH ORDINALITY AS e(account_id, currency, reference, kind, amount, available, holding, position)
            ORDER BY position
           RETURNING ${JOURNAL_COLUMNS}`,
          [
            entries.map((entry) => entry.accountId),
            entries.map((entry) => entry.currency),
            entries.map((entry) => entry.reference),
            entries.map((entry) => entry.kind),
            text(entries.map((entry) => entry.amountMinor)),
            text(entries.map((entry) => entry.availableDeltaMinor)),
            text(entries.map((entry) => entry.holdingDeltaMinor)),
          ],
        )
      : [];
    if (accounts.length) {
      yield* sql(
        dataSource,
        `UPDATE ledger_accounts a
            SET available_minor = a.available_minor + d.available, holding_minor = a.holding_minor + d.holding,
                captured_minor = a.captured_minor + d.captured, reversed_minor = a.reversed_minor + d.reversed,
                funded_minor = a.funded_minor + d.funded, updated_at = now()
           FROM unnest($1::text[], $2::bpchar[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
                AS d(account_id, currency, available, holding, captured, reversed, funded)
          WHERE a.account_id = d.account_id AND a.currency = d.currency`,
        [
          accounts.map((delta) => delta.accountId),
          accounts.map((delta) => delta.currency),
          text(accounts.map((delta) => delta.availableMinor)),
          text(accounts.map((delta) => delta.holdingMinor)),
          text(accounts.map((delta) => delta.capturedMinor)),
          text(accounts.map((delta) => delta.reversedMinor)),
          text(accounts.map((delta) => delta.fundedMinor)),
        ],
      );
    }
    return stored;
  });
