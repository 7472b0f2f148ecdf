// A lane's copy of what it last committed or read under lock: accounts,
// holds, refusals and deposits, bounded. A batch whose keys it covers is
// decided on this copy and written in one statement that moves each row only
// where it is still as copied (the copy may be stale: another process, or
// the direct store, may have written since); a batch it does not cover, or
// whose write finds a row changed, is decided under row locks instead.
import {
  accountKey,
  emptyLedger,
  type Hold,
  type JournalEntry,
  type Ledger,
  type LedgerAccount,
  type Refusal,
} from '@airtime/domain';
import type { BatchKeys, StoredEntryOf } from './ledger-batch';

/** How many accounts, and how many claims (holds, refusals, deposits), a lane keeps by default. */
export const LANE_CACHE_ACCOUNTS = 10_000;
export const LANE_CACHE_CLAIMS = 50_000;

/** Keeps at most `limit` entries, dropping the oldest set first. */
const bounded = <V>(map: Map<string, V>, key: string, value: V, limit: number) => {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as string);
};

/** The committed ledger: `after` with each new entry replaced by its stored row (real sequence), journal empty. */
export const committedLedger = (after: Ledger, stored: StoredEntryOf): Ledger => {
  const real = (entry: JournalEntry | undefined) => (entry === undefined ? undefined : stored(entry));
  const holds = new Map<string, Hold>();
  for (const [id, hold] of after.holds)
    holds.set(id, {
      ...hold,
      authorization: real(hold.authorization) as JournalEntry,
      settlement: real(hold.settlement),
      reversal: real(hold.reversal),
    });
  const deposits = new Map<string, JournalEntry>();
  for (const [id, entry] of after.deposits) deposits.set(id, real(entry) as JournalEntry);
  return { ...after, holds, deposits, journal: [] };
};

export const makeLaneCache = (limits = { accounts: LANE_CACHE_ACCOUNTS, claims: LANE_CACHE_CLAIMS }) => {
  const accounts = new Map<string, LedgerAccount>();
  const holds = new Map<string, Hold>();
  const refusals = new Map<string, Refusal>();
  const deposits = new Map<string, JournalEntry>();

  /**
   * The ledger of a batch's keys from the copy, or undefined when the copy
   * does not cover them: an account not copied, or a void, capture or
   * reverse of a transaction whose hold is not copied. A transaction or
   * deposit id that is not copied is taken as new: the write's unique claims
   * refuse it if it is not.
   */
  const ledgerFor = (keys: BatchKeys, settles: ReadonlySet<string>): Ledger | undefined => {
    const ledgerAccounts = new Map<string, LedgerAccount>();
    const take = (key: string) => {
      const account = accounts.get(key);
      if (account) ledgerAccounts.set(key, account);
      return account !== undefined;
    };
    for (const [accountId, currency] of keys.accounts) if (!take(accountKey(accountId, currency))) return undefined;
    const ledgerHolds = new Map<string, Hold>();
    const ledgerRefusals = new Map<string, Refusal>();
    for (const id of keys.transactionIds) {
      const hold = holds.get(id);
      const refusal = refusals.get(id);
      if (hold) {
        if (!take(accountKey(hold.accountId, hold.currency))) return undefined;
        ledgerHolds.set(id, hold);
      } else if (refusal) ledgerRefusals.set(id, refusal);
      else if (settles.has(id)) return undefined;
    }
    const ledgerDeposits = new Map<string, JournalEntry>();
    for (const id of keys.depositIds) {
      const entry = deposits.get(id);
      if (entry) ledgerDeposits.set(id, entry);
    }
    return {
      ...emptyLedger,
      accounts: ledgerAccounts,
      holds: ledgerHolds,
      refusals: ledgerRefusals,
      deposits: ledgerDeposits,
    };
  };

  /** Copies a committed ledger (or one read under lock) over what the lane had. */
  const remember = (ledger: Ledger) => {
    for (const [key, account] of ledger.accounts) bounded(accounts, key, account, limits.accounts);
    for (const [id, hold] of ledger.holds) {
      refusals.delete(id);
      bounded(holds, id, hold, limits.claims);
    }
    for (const [id, refusal] of ledger.refusals)
      if (!ledger.holds.has(id)) bounded(refusals, id, refusal, limits.claims);
    for (const [id, entry] of ledger.deposits) bounded(deposits, id, entry, limits.claims);
  };

  /** Drops what the lane had of a batch's keys: the copy may be stale, or the outcome of its write unknown. */
  const forget = (keys: BatchKeys) => {
    for (const [accountId, currency] of keys.accounts) accounts.delete(accountKey(accountId, currency));
    for (const id of keys.transactionIds) {
      const hold = holds.get(id);
      if (hold) accounts.delete(accountKey(hold.accountId, hold.currency));
      holds.delete(id);
      refusals.delete(id);
    }
    for (const id of keys.depositIds) deposits.delete(id);
  };

  return { ledgerFor, remember, forget };
};

export type LaneCache = ReturnType<typeof makeLaneCache>;
