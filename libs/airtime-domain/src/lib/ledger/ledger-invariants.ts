import {
  type Hold,
  type JournalEntry,
  type JournalEntryKind,
  type Ledger,
  type LedgerAccount,
  accountKey,
  holdStatus,
} from './ledger';
import { type JournalBalances, journalBalances } from './ledger-journal';

export type InvariantRule =
  | 'CREDIT_LIMIT_NOT_NEGATIVE'
  | 'HOLDING_NOT_NEGATIVE'
  | 'AVAILABLE_WITHIN_CREDIT_LIMIT'
  | 'FUNDS_CONSERVED'
  | 'JOURNAL_MATCHES_BALANCES'
  | 'HOLDING_MATCHES_OPEN_HOLDS'
  | 'JOURNAL_SEQUENCE'
  | 'ENTRY_ON_OPEN_ACCOUNT'
  | 'ENTRY_DELTAS'
  | 'TRANSACTION_LIFECYCLE'
  | 'HOLD_MATCHES_JOURNAL'
  | 'DEPOSIT_MATCHES_JOURNAL'
  | 'REFUSAL_NOT_HELD'
  | 'REFUSAL_CONSISTENT';

/** A broken rule, with what it is about (an account key, a reference or a sequence). */
export interface InvariantViolation {
  readonly rule: InvariantRule;
  readonly subject: string;
  readonly detail: string;
}

type Violations = InvariantViolation[];

const accountRules = (
  account: LedgerAccount,
  sums: JournalBalances | undefined,
  openHoldsMinor: bigint,
  out: Violations,
): void => {
  const subject = accountKey(account.accountId, account.currency.code);
  const report = (rule: InvariantRule, detail: string) => out.push({ rule, subject, detail });
  const { availableMinor, holdingMinor, capturedMinor, reversedMinor, fundedMinor, creditLimitMinor } = account;
  if (creditLimitMinor < 0n) report('CREDIT_LIMIT_NOT_NEGATIVE', `credit limit ${creditLimitMinor}`);
  if (holdingMinor < 0n) report('HOLDING_NOT_NEGATIVE', `holding ${holdingMinor}`);
  if (availableMinor < -creditLimitMinor)
    report('AVAILABLE_WITHIN_CREDIT_LIMIT', `available ${availableMinor}, credit limit ${creditLimitMinor}`);
  if (availableMinor + holdingMinor + capturedMinor - reversedMinor !== fundedMinor) {
    report(
      'FUNDS_CONSERVED',
      `available ${availableMinor} + holding ${holdingMinor} + captured ${capturedMinor} - reversed ${reversedMinor} != funded ${fundedMinor}`,
    );
  }
  const fields = ['availableMinor', 'holdingMinor', 'fundedMinor', 'capturedMinor', 'reversedMinor'] as const;
  for (const field of fields) {
    const journalMinor = sums?.[field] ?? 0n;
    if (journalMinor !== account[field])
      report('JOURNAL_MATCHES_BALANCES', `${field} is ${account[field]}, the journal sums to ${journalMinor}`);
  }
  if (openHoldsMinor !== holdingMinor)
    report('HOLDING_MATCHES_OPEN_HOLDS', `holding ${holdingMinor}, open holds sum to ${openHoldsMinor}`);
};

/** The deltas each kind of entry must carry, given its amount. */
const entryDeltasValid = (entry: JournalEntry): boolean => {
  const { amountMinor: amount, availableDeltaMinor: available, holdingDeltaMinor: holding } = entry;
  switch (entry.kind) {
    case 'DEPOSIT':
      return amount > 0n && available === amount && holding === 0n;
    case 'AUTHORIZE':
      return amount > 0n && available === -amount && holding === amount;
    case 'VOID':
      return amount > 0n && available === amount && holding === -amount;
    case 'CAPTURE':
      return amount >= 0n && holding < 0n && amount <= -holding && available === -holding - amount;
    case 'REVERSE':
      return amount >= 0n && available === amount && holding === 0n;
  }
};

const LIFECYCLES: readonly string[] = ['AUTHORIZE', 'AUTHORIZE VOID', 'AUTHORIZE CAPTURE', 'AUTHORIZE CAPTURE REVERSE'];

const transactionRules = (
  reference: string,
  entries: readonly JournalEntry[],
  hold: Hold | undefined,
  out: Violations,
): void => {
  const report = (rule: InvariantRule, detail: string) => out.push({ rule, subject: reference, detail });
  const kinds = entries.map((entry) => entry.kind).join(' ');
  if (!LIFECYCLES.includes(kinds)) report('TRANSACTION_LIFECYCLE', `movements ${kinds}`);
  const [authorization, settlement, reversal] = entries;
  if (
    entries.some((entry) => entry.accountId !== authorization?.accountId || entry.currency !== authorization.currency)
  ) {
    report('TRANSACTION_LIFECYCLE', 'movements on more than one account');
  }
  if (settlement && authorization && -settlement.holdingDeltaMinor !== authorization.amountMinor) {
    report(
      'TRANSACTION_LIFECYCLE',
      `settled ${-settlement.holdingDeltaMinor} of a hold of ${authorization.amountMinor}`,
    );
  }
  if (reversal && settlement && reversal.amountMinor !== settlement.amountMinor) {
    report('TRANSACTION_LIFECYCLE', `reversed ${reversal.amountMinor} of a capture of ${settlement.amountMinor}`);
  }
  const matches =
    hold !== undefined &&
    hold.authorization === authorization &&
    hold.settlement === settlement &&
    hold.reversal === reversal &&
    hold.amountMinor === authorization?.amountMinor &&
    hold.accountId === authorization.accountId &&
    hold.currency === authorization.currency;
  if (!matches)
    report('HOLD_MATCHES_JOURNAL', hold ? 'the hold differs from its journal entries' : 'no hold for journal entries');
};

const groupByReference = (
  journal: readonly JournalEntry[],
  kinds: readonly JournalEntryKind[],
): Map<string, JournalEntry[]> => {
  const groups = new Map<string, JournalEntry[]>();
  for (const entry of journal) {
    if (!kinds.includes(entry.kind)) continue;
    const group = groups.get(entry.reference) ?? [];
    group.push(entry);
    groups.set(entry.reference, group);
  }
  return groups;
};

const journalRules = (ledger: Ledger, out: Violations): void => {
  ledger.journal.forEach((entry, index) => {
    const subject = `#${entry.sequence}`;
    if (entry.sequence !== index + 1)
      out.push({ rule: 'JOURNAL_SEQUENCE', subject, detail: `found at position ${index + 1}` });
    if (!ledger.accounts.has(accountKey(entry.accountId, entry.currency))) {
      out.push({ rule: 'ENTRY_ON_OPEN_ACCOUNT', subject, detail: `no ${entry.currency} account "${entry.accountId}"` });
    }
    if (!entryDeltasValid(entry)) {
      out.push({
        rule: 'ENTRY_DELTAS',
        subject,
        detail: `${entry.kind} of ${entry.amountMinor} moves available ${entry.availableDeltaMinor}, holding ${entry.holdingDeltaMinor}`,
      });
    }
  });
  const transactions = groupByReference(ledger.journal, ['AUTHORIZE', 'VOID', 'CAPTURE', 'REVERSE']);
  for (const [reference, entries] of transactions)
    transactionRules(reference, entries, ledger.holds.get(reference), out);
  for (const reference of ledger.holds.keys()) {
    if (!transactions.has(reference))
      out.push({ rule: 'HOLD_MATCHES_JOURNAL', subject: reference, detail: 'a hold with no journal entry' });
  }
  const deposits = groupByReference(ledger.journal, ['DEPOSIT']);
  for (const [reference, entries] of deposits) {
    if (entries.length !== 1 || ledger.deposits.get(reference) !== entries[0]) {
      out.push({
        rule: 'DEPOSIT_MATCHES_JOURNAL',
        subject: reference,
        detail: `${entries.length} journal entries, recorded deposit differs`,
      });
    }
  }
  for (const reference of ledger.deposits.keys()) {
    if (!deposits.has(reference))
      out.push({ rule: 'DEPOSIT_MATCHES_JOURNAL', subject: reference, detail: 'a deposit with no journal entry' });
  }
};

/**
 * A refused transaction id has no hold and no movement (one claim per id),
 * and its refusal is one the ledger could have made: keyed by its own id, on
 * an open account, for a positive amount above what it reported as available
 * plus credit limit.
 */
const refusalRules = (ledger: Ledger, out: Violations): void => {
  const moved = new Set(ledger.journal.filter((entry) => entry.kind !== 'DEPOSIT').map((entry) => entry.reference));
  for (const [transactionId, refusal] of ledger.refusals) {
    const report = (rule: InvariantRule, detail: string) => out.push({ rule, subject: transactionId, detail });
    if (ledger.holds.has(transactionId) || moved.has(transactionId))
      report('REFUSAL_NOT_HELD', 'refused, yet held or moved');
    if (refusal.transactionId !== transactionId)
      report('REFUSAL_CONSISTENT', `recorded under another id ("${refusal.transactionId}")`);
    if (!ledger.accounts.has(accountKey(refusal.accountId, refusal.currency))) {
      report('REFUSAL_CONSISTENT', `no ${refusal.currency} account "${refusal.accountId}"`);
    }
    if (
      refusal.amountMinor <= 0n ||
      refusal.creditLimitMinor < 0n ||
      refusal.availableMinor + refusal.creditLimitMinor >= refusal.amountMinor
    ) {
      report(
        'REFUSAL_CONSISTENT',
        `refused ${refusal.amountMinor} with ${refusal.availableMinor} available and a credit limit of ${refusal.creditLimitMinor}`,
      );
    }
  }
};

const openHoldsByAccount = (holds: Iterable<Hold>): Map<string, bigint> => {
  const sums = new Map<string, bigint>();
  for (const hold of holds) {
    if (holdStatus(hold) !== 'HELD') continue;
    const key = accountKey(hold.accountId, hold.currency);
    sums.set(key, (sums.get(key) ?? 0n) + hold.amountMinor);
  }
  return sums;
};

/**
 * Every rule the ledger keeps: balances within limits, funds conserved
 * (available + holding + captured - reversed == funded), the journal summing
 * to the balances, and each transaction's lifecycle (one authorize, then at
 * most one of void or capture, reverse only after capture). Empty when the
 * ledger is sound. A refused transaction id is neither held nor moved, and
 * its refusal is one the ledger could have made.
 */
export const checkInvariants = (ledger: Ledger): readonly InvariantViolation[] => {
  const out: Violations = [];
  const sums = journalBalances(ledger.journal);
  const openHolds = openHoldsByAccount(ledger.holds.values());
  for (const [key, account] of ledger.accounts) accountRules(account, sums.get(key), openHolds.get(key) ?? 0n, out);
  journalRules(ledger, out);
  refusalRules(ledger, out);
  return out;
};
