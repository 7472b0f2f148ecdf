// Read-side queries over the ledger for the API: an account's balances in
// every currency and its journal, newest first; a top-up's movements.
import { Context, type Effect } from 'effect';
import type { JournalEntry, LedgerAccount, PersistenceFailure } from '@airtime/domain';
import type { PageOf } from './top-up-queries.port';

/** A page of an account's journal. */
export interface JournalQuery {
  readonly accountId: string;
  /** Entries skipped (>= 0). */
  readonly offset: number;
  /** Most entries answered (>= 1). */
  readonly limit: number;
}

export interface LedgerQueriesService {
  /** The account's ledger accounts, one per currency opened, by currency code. Empty when none is open. */
  readonly balancesOf: (accountId: string) => Effect.Effect<readonly LedgerAccount[], PersistenceFailure>;
  /** The account's journal entries in every currency, newest first (sequence descending), with their total. */
  readonly journalOf: (query: JournalQuery) => Effect.Effect<PageOf<JournalEntry>, PersistenceFailure>;
  /**
   * The movements of one top-up of the account: its journal entries whose
   * reference is the top-up's id (the hold's transaction id) and whose kind
   * is AUTHORIZE, VOID, CAPTURE or REVERSE (never a DEPOSIT, whose reference is
   * a deposit id), oldest first (sequence ascending), with their recorded times.
   */
  readonly movementsOf: (
    accountId: string,
    topUpId: string,
  ) => Effect.Effect<readonly JournalEntry[], PersistenceFailure>;
}

export class LedgerQueries extends Context.Tag('@airtime/application/LedgerQueries')<
  LedgerQueries,
  LedgerQueriesService
>() {}
