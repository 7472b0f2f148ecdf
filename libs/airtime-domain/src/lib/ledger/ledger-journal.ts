import { type JournalEntry, type Ledger, type LedgerAccount, accountKey } from './ledger';

/** What a journal says of one account: its balances and running totals. */
export interface JournalBalances {
  readonly accountId: string;
  readonly currency: string;
  readonly availableMinor: bigint;
  readonly holdingMinor: bigint;
  readonly fundedMinor: bigint;
  readonly capturedMinor: bigint;
  readonly reversedMinor: bigint;
}

const noBalances = (accountId: string, currency: string): JournalBalances => ({
  accountId,
  currency,
  availableMinor: 0n,
  holdingMinor: 0n,
  fundedMinor: 0n,
  capturedMinor: 0n,
  reversedMinor: 0n,
});

/** The balances and totals after one entry (the single rule shared by the ledger and `journalBalances`). */
const afterEntry = <B extends Omit<JournalBalances, 'accountId' | 'currency'>>(
  balances: B,
  entry: JournalEntry,
): B => ({
  ...balances,
  availableMinor: balances.availableMinor + entry.availableDeltaMinor,
  holdingMinor: balances.holdingMinor + entry.holdingDeltaMinor,
  fundedMinor: balances.fundedMinor + (entry.kind === 'DEPOSIT' ? entry.amountMinor : 0n),
  capturedMinor: balances.capturedMinor + (entry.kind === 'CAPTURE' ? entry.amountMinor : 0n),
  reversedMinor: balances.reversedMinor + (entry.kind === 'REVERSE' ? entry.amountMinor : 0n),
});

/** Sums a journal per account (keyed by `accountKey`). */
export const journalBalances = (journal: readonly JournalEntry[]): ReadonlyMap<string, JournalBalances> => {
  const sums = new Map<string, JournalBalances>();
  for (const entry of journal) {
    const key = accountKey(entry.accountId, entry.currency);
    sums.set(key, afterEntry(sums.get(key) ?? noBalances(entry.accountId, entry.currency), entry));
  }
  return sums;
};

/** The fields of an entry before it gets its sequence. */
export type EntryFields = Omit<JournalEntry, 'sequence' | 'accountId' | 'currency'>;

/**
 * Appends an entry on `account` and moves its balances by the entry's
 * deltas. The caller has checked that the movement is allowed.
 */
export const recordEntry = (
  ledger: Ledger,
  account: LedgerAccount,
  fields: EntryFields,
): { readonly ledger: Ledger; readonly entry: JournalEntry } => {
  const entry: JournalEntry = Object.freeze({
    sequence: ledger.journal.length + 1,
    accountId: account.accountId,
    currency: account.currency.code,
    ...fields,
  });
  const accounts = new Map(ledger.accounts);
  accounts.set(accountKey(account.accountId, account.currency.code), Object.freeze(afterEntry(account, entry)));
  return {
    ledger: Object.freeze({ ...ledger, accounts, journal: Object.freeze([...ledger.journal, entry]) }),
    entry,
  };
};
