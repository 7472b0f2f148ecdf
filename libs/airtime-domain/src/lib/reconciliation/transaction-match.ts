// Matching our attempts against the provider's transactions by provider
// external id: each id matches, is in flight, or is one mismatch of a kind.
import type { PreciseMoney } from '../money/precise-money';
import type { ProviderTransaction } from '../ports/airtime-provider.port';
import { isPendingClass } from '../transaction/transaction-status';
import { compareCodes } from './currency-totals';
import {
  amountDifferences,
  describeOurs,
  describeTheirs,
  formatAmount,
  samePrecise,
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

const transactionKey = (t: ProviderTransaction): string => `${t.providerExternalId}\u0000${t.providerTransactionId}`;

const sameAmount = (a: PreciseMoney | undefined, b: PreciseMoney | undefined): boolean =>
  a === undefined ? b === undefined : b !== undefined && samePrecise(a, b);

/**
 * Two listings of one transaction agree: the same status (detail included)
 * and the same amounts (given or not alike; exactly, precision aside). When
 * they were read (`createdAt` aside) does not decide money: it is not compared.
 */
export const sameListing = (a: ProviderTransaction, b: ProviderTransaction): boolean =>
  a.status.class === b.status.class &&
  a.status.status === b.status.status &&
  sameAmount(a.receive, b.receive) &&
  sameAmount(a.charged, b.charged);

const bySnapshot = (a: ProviderTransaction, b: ProviderTransaction): number =>
  compareCodes(snapshotKey(a), snapshotKey(b));

/**
 * The listings of each transaction (by external id and transaction id): one
 * per group of listings that agree (`sameListing`; of those, the first by
 * text), sorted final status first, then by text. Two or more for a
 * transaction whose listings disagree (its status changed while the list was
 * read page by page, say). Whatever the order of `theirs`.
 */
const listingsByTransaction = (theirs: readonly ProviderTransaction[]): ReadonlyMap<string, ProviderTransaction[]> => {
  const byKey = new Map<string, ProviderTransaction[]>();
  for (const transaction of theirs) {
    const key = transactionKey(transaction);
    const listings = byKey.get(key) ?? [];
    const same = listings.findIndex((listing) => sameListing(listing, transaction));
    const sofar = listings[same];
    if (sofar === undefined) listings.push(transaction);
    else if (bySnapshot(transaction, sofar) < 0) listings[same] = transaction;
    byKey.set(key, listings);
  }
  for (const listings of byKey.values()) listings.sort(bySnapshot);
  return byKey;
};

/**
 * One entry per (external id, transaction id): a list read page by page may
 * repeat one. Of two snapshots of one transaction, the final status is kept
 * (then the first by text), whatever their order; snapshots that disagree
 * (see `externalIdsWithConflictingListings`) are counted once here too, and
 * the match reports them as CONFLICTING_LISTINGS.
 */
export const distinctTransactions = (theirs: readonly ProviderTransaction[]): readonly ProviderTransaction[] =>
  [...listingsByTransaction(theirs).values()].flatMap((listings) => listings.slice(0, 1));

/**
 * The provider external ids one of whose transactions is listed twice or
 * more with a different status or amount (its listing changed while the list
 * was read, say): nothing may be settled from such a list for those ids (a
 * guess could capture or void wrongly). Listings that agree in status and
 * amounts are no conflict (a repeated page).
 */
export const externalIdsWithConflictingListings = (theirs: readonly ProviderTransaction[]): ReadonlySet<string> =>
  new Set(
    [...listingsByTransaction(theirs).values()].flatMap((listings) =>
      listings.length >= 2 && listings[0] !== undefined ? [listings[0].providerExternalId] : [],
    ),
  );

/** How one transaction's conflicting listings differ, for people. */
const describeConflict = (listings: readonly ProviderTransaction[]): string => {
  const [first] = listings;
  const statuses = [...new Set(listings.map((listing) => listing.status.status))];
  const how =
    statuses.length >= 2
      ? `is listed as ${statuses.join(' and as ')}`
      : `is listed with different amounts (status ${statuses.join('')})`;
  return `provider transaction ${first?.providerTransactionId ?? '?'} ${how}: the provider's list changed while it was read; not settled from the list`;
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
  const byTransaction = new Map<string, ProviderTransaction[]>();
  for (const transaction of theirs)
    byTransaction.set(transaction.providerTransactionId, [
      ...(byTransaction.get(transaction.providerTransactionId) ?? []),
      transaction,
    ]);
  const conflicts = [...byTransaction.values()].filter((listings) => listings.length >= 2);
  if (conflicts.length > 0) {
    const detail = [
      ...conflicts.map(describeConflict),
      ...(byTransaction.size >= 2 ? [`${byTransaction.size} provider transactions share this external id`] : []),
      ...theirs.map(describeTheirs),
      ours === undefined ? 'we never sent it' : describeOurs(ours),
    ].join('; ');
    return mismatch({ kind: 'CONFLICTING_LISTINGS', providerExternalId, ours, theirs, detail });
  }
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
 * - a transaction listed twice or more with a different status or amount
 *   (its listing changed while the list was read) → CONFLICTING_LISTINGS
 *   listing every differing listing and naming the statuses (whatever our
 *   side says): the list cannot tell which is true, so nothing is decided
 *   from it;
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
 * count as the latest one. A transaction listed twice alike (same external
 * and transaction id, status and amounts) counts once. The result does not
 * depend on input order: `inFlight` is sorted by external id, `mismatches` by kind (MISMATCH_KINDS
 * order) then external id, each duplicate's transactions by transaction id
 * (a conflict's listings by transaction id, then final status first, then text).
 */
export const matchTransactions = (
  ours: readonly OurAttempt[],
  theirs: readonly ProviderTransaction[],
  options: MatchOptions,
): MatchResult => {
  const live = liveAttempts(ours);
  const theirsById = new Map<string, ProviderTransaction[]>();
  for (const listings of listingsByTransaction(theirs).values())
    for (const transaction of listings) {
      const list = theirsById.get(transaction.providerExternalId) ?? [];
      list.push(transaction);
      theirsById.set(transaction.providerExternalId, list);
    }
  const ids = [...new Set([...live.keys(), ...theirsById.keys()])].sort(compareCodes);
  let matchedCount = 0;
  const inFlight: OurAttempt[] = [];
  const mismatches: Mismatch[] = [];
  for (const id of ids) {
    const transactions = [...(theirsById.get(id) ?? [])].sort(
      (a, b) => compareCodes(a.providerTransactionId, b.providerTransactionId) || bySnapshot(a, b),
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
