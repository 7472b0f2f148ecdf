// Matching our attempts against the provider's transactions by provider
// external id: each id matches, is in flight, or is one mismatch of a kind.
import type { ProviderTransaction } from '../ports/airtime-provider.port';
import { isPendingClass } from '../transaction/transaction-status';
import { compareCodes } from './currency-totals';
import {
  amountDifferences,
  describeOurs,
  describeTheirs,
  formatAmount,
  statusDifference,
} from './mismatch-detail.format';
import {
  isExpectedAbsent,
  isInFlight,
  type MatchOptions,
  type MatchResult,
  type Mismatch,
  MISMATCH_KINDS,
  type OurAttempt,
} from './reconciliation';

type Verdict =
  | { readonly _tag: 'Matched' }
  | { readonly _tag: 'InFlight'; readonly attempt: OurAttempt }
  | { readonly _tag: 'Mismatch'; readonly mismatch: Mismatch };

const matched: Verdict = { _tag: 'Matched' };

/** A sort key of one snapshot of a transaction: a final status first, then by text (so any order picks the same). */
const snapshotKey = (t: ProviderTransaction): string =>
  [
    isPendingClass(t.status.class) ? '1' : '0',
    t.status.status,
    t.receive === undefined ? '' : formatAmount(t.receive),
    t.charged === undefined ? '' : formatAmount(t.charged),
    t.createdAt?.toISOString() ?? '',
  ].join('|');

/**
 * One entry per (external id, transaction id): a list read page by page may
 * repeat one. Of two snapshots of one transaction, the final status is kept
 * (then the first by text), whatever their order.
 */
export const distinctTransactions = (theirs: readonly ProviderTransaction[]): readonly ProviderTransaction[] => {
  const kept = new Map<string, ProviderTransaction>();
  for (const transaction of theirs) {
    const key = `${transaction.providerExternalId}\u0000${transaction.providerTransactionId}`;
    const sofar = kept.get(key);
    if (sofar === undefined || compareCodes(snapshotKey(transaction), snapshotKey(sofar)) < 0)
      kept.set(key, transaction);
  }
  return [...kept.values()];
};

/** The live attempt of each external id: a resend after "not found" reuses the id, the latest attempt holds it. */
const liveAttempts = (ours: readonly OurAttempt[]): Map<string, OurAttempt> => {
  const live = new Map<string, OurAttempt>();
  for (const attempt of ours) {
    const sofar = live.get(attempt.providerExternalId);
    const later =
      sofar === undefined ||
      attempt.attemptNumber > sofar.attemptNumber ||
      (attempt.attemptNumber === sofar.attemptNumber && compareCodes(attempt.topUpId, sofar.topUpId) > 0);
    if (later) live.set(attempt.providerExternalId, attempt);
  }
  return live;
};

const mismatch = (fields: Mismatch): Verdict => ({ _tag: 'Mismatch', mismatch: fields });

const verdictOf = (
  providerExternalId: string,
  ours: OurAttempt | undefined,
  theirs: readonly ProviderTransaction[],
  options: MatchOptions,
): Verdict => {
  if (theirs.length >= 2) {
    const detail = [
      `${theirs.length} provider transactions share this external id`,
      ...theirs.map(describeTheirs),
      ours === undefined ? 'we never sent it' : describeOurs(ours),
    ].join('; ');
    return mismatch({ kind: 'DUPLICATE_AT_PROVIDER', providerExternalId, ours, theirs, detail });
  }
  const [their] = theirs;
  if (ours === undefined) {
    const detail = their === undefined ? 'no side holds it' : `we never sent it; ${describeTheirs(their)}`;
    return mismatch({ kind: 'MISSING_HERE', providerExternalId, ours, theirs, detail });
  }
  if (isInFlight(ours, options)) return { _tag: 'InFlight', attempt: ours };
  if (their === undefined) {
    if (isExpectedAbsent(ours)) return matched;
    const detail = `the provider has no transaction with this external id; ${describeOurs(ours)}`;
    return mismatch({ kind: 'MISSING_AT_PROVIDER', providerExternalId, ours, theirs, detail });
  }
  const status = statusDifference(ours, their);
  const amounts = amountDifferences(ours, their);
  if (status === undefined && amounts.length === 0) return matched;
  const detail = [status, ...amounts, describeOurs(ours), describeTheirs(their)]
    .filter((part) => part !== undefined)
    .join('; ');
  const kind = status === undefined ? 'AMOUNT_DIFFERS' : 'STATUS_DIFFERS';
  return mismatch({ kind, providerExternalId, ours, theirs, detail });
};

/**
 * Matches our attempts against the provider's transactions by provider
 * external id (both sides complete for the window). Per external id, in this
 * order:
 * - two or more provider transactions (distinct transaction ids) →
 *   DUPLICATE_AT_PROVIDER listing all of them (whatever our side says);
 * - none of ours → MISSING_HERE;
 * - ours not settled and started less than `inFlightGraceMs` before `now` →
 *   in flight, never a mismatch;
 * - none of theirs → a match when ours is expected absent (`isExpectedAbsent`),
 *   else MISSING_AT_PROVIDER;
 * - otherwise statuses by class (pending = pending; an attempt expected
 *   absent agrees with any failure class, never with a pending, COMPLETED
 *   or REVERSED one) and the amounts the provider gave (receive, charged:
 *   exact, currency included):
 *   STATUS_DIFFERS when the statuses differ (its detail names the amounts
 *   that differ too), else AMOUNT_DIFFERS, else a match.
 * Several attempts of ours with one external id (a resend after "not found")
 * count as the latest one. A transaction listed twice (same external and
 * transaction id) counts once. The result does not depend on input order:
 * `inFlight` is sorted by external id, `mismatches` by kind (MISMATCH_KINDS
 * order) then external id, each duplicate's transactions by transaction id.
 */
export const matchTransactions = (
  ours: readonly OurAttempt[],
  theirs: readonly ProviderTransaction[],
  options: MatchOptions,
): MatchResult => {
  const live = liveAttempts(ours);
  const theirsById = new Map<string, ProviderTransaction[]>();
  for (const transaction of distinctTransactions(theirs)) {
    const list = theirsById.get(transaction.providerExternalId) ?? [];
    list.push(transaction);
    theirsById.set(transaction.providerExternalId, list);
  }
  const ids = [...new Set([...live.keys(), ...theirsById.keys()])].sort(compareCodes);
  let matchedCount = 0;
  const inFlight: OurAttempt[] = [];
  const mismatches: Mismatch[] = [];
  for (const id of ids) {
    const transactions = [...(theirsById.get(id) ?? [])].sort((a, b) =>
      compareCodes(a.providerTransactionId, b.providerTransactionId),
    );
    const verdict = verdictOf(id, live.get(id), transactions, options);
    if (verdict._tag === 'Matched') matchedCount += 1;
    else if (verdict._tag === 'InFlight') inFlight.push(verdict.attempt);
    else mismatches.push(verdict.mismatch);
  }
  const rank = (mismatch: Mismatch) => MISMATCH_KINDS.indexOf(mismatch.kind);
  mismatches.sort((a, b) => rank(a) - rank(b) || compareCodes(a.providerExternalId, b.providerExternalId));
  return { matched: matchedCount, inFlight, mismatches };
};
