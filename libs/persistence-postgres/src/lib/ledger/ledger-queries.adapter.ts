// The API's read side over the ledger (the application's LedgerQueries port):
// an account's balances in every currency and its journal, newest first; the
// movements of one top-up.
import { LedgerQueries, type LedgerQueriesService } from '@airtime/application';
import { checkAccountId, checkTransactionId, type JournalEntry } from '@airtime/domain';
import { Effect, Either, Layer } from 'effect';
import type { DataSource } from 'typeorm';
import { checkWindow, countedPage, countedRows } from '../shared/counted-page.queries';
import { sql } from '../unit-of-work/sql';
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  accountOf,
  entryOf,
  JOURNAL_READ_COLUMNS,
  type JournalRow,
} from './ledger-rows.mapper';

/**
 * Ledger reads on PostgreSQL, in the caller's unit of work when there is
 * one. `balancesOf(id)`: every ledger account (one per currency opened) of
 * the account, by currency code; none when it has none. `journalOf`: the
 * account's journal entries in every currency, `sequence` descending (the
 * newest first), `offset` skipped and at most `limit` answered, with the
 * count of all of them, in one statement (ledger_journal_by_account and the
 * journal's primary key serve it). An account id that breaks the identifier
 * rule has no balances and no entries. A page window that is not whole
 * numbers (offset >= 0, limit >= 1) is a non-retryable `PersistenceFailure`,
 * as is a stored currency the domain does not know. `movementsOf(account,
 * topUpId)`: the account's AUTHORIZE, VOID, CAPTURE and REVERSE entries
 * whose reference is the top-up's id (the hold's transaction id), sequence
 * ascending, with their recorded times (the (reference, kind) key serves
 * it); none for ids that break the identifier rule.
 */
export const makeLedgerQueries = (dataSource: DataSource): LedgerQueriesService => ({
  balancesOf: (accountId) =>
    Either.isLeft(checkAccountId(accountId))
      ? Effect.succeed([])
      : Effect.flatMap(
          sql<AccountRow>(
            dataSource,
            `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE account_id = $1 ORDER BY currency COLLATE "C"`,
            [accountId],
          ),
          (rows) => Effect.forEach(rows, accountOf),
        ),
  journalOf: ({ accountId, offset, limit }) =>
    Effect.gen(function* () {
      const window = yield* checkWindow({ offset, limit });
      if (Either.isLeft(checkAccountId(accountId))) return { items: [], total: 0 };
      const statement = countedPage(
        {
          columns: JOURNAL_READ_COLUMNS,
          from: 'ledger_journal',
          conditions: ['account_id = $1'],
          parameters: [accountId],
          orderBy: 'sequence DESC',
        },
        window,
      );
      const counted = countedRows(
        yield* sql<Record<string, unknown>>(dataSource, statement.text, statement.parameters),
        (row) => row['sequence'] !== null,
      );
      const items: readonly JournalEntry[] = counted.rows.map((row) => entryOf(row as unknown as JournalRow));
      return { items, total: counted.total };
    }),
  movementsOf: (accountId, topUpId) =>
    Either.isLeft(checkAccountId(accountId)) || Either.isLeft(checkTransactionId(topUpId))
      ? Effect.succeed([])
      : Effect.map(
          sql<JournalRow>(
            dataSource,
            `SELECT ${JOURNAL_READ_COLUMNS} FROM ledger_journal
             WHERE reference = $1 AND account_id = $2 AND kind IN ('AUTHORIZE', 'VOID', 'CAPTURE', 'REVERSE')
             ORDER BY sequence`,
            [topUpId, accountId],
          ),
          (rows) => rows.map(entryOf),
        ),
});

/** `makeLedgerQueries` as the `LedgerQueries` layer. */
export const ledgerQueriesLayer = (dataSource: DataSource) =>
  Layer.succeed(LedgerQueries, makeLedgerQueries(dataSource));
