// Phase 2 of a reconciliation, match: the provider's transactions of the
// window (every page) against our attempts of the window, by provider
// external id. Attempts at the window's edges are looked up on both sides; a
// reversal we never heard of is settled (recorded), every other difference is
// reported, never changed.
import {
  AirtimeProvider,
  distinctTransactions,
  externalIdsWithConflictingListings,
  type MatchResult,
  matchTransactions,
  type Mismatch,
  type OurAttempt,
  type ProviderTransaction,
} from '@airtime/domain';
import { Effect } from 'effect';
import { ReconciliationStore, type ReconciliationWindow, windowKeyOf } from '../ports/reconciliation-store.port';
import type { AwaitingDecision } from './awaiting-decision';
import { askForUnlisted, liveByExternalId } from './unlisted-attempts.use-case';
import type { ReconcileProgress } from './reconcile-progress';
import { applyAsProviderUpdate, settle } from './settlement.use-case';

export interface MatchPhaseOptions {
  readonly now: Date;
  /** An attempt not settled and younger than this is in flight, never a mismatch. */
  readonly inFlightGraceMs: number;
}

/** What the match phase saw and found. */
export type MatchPhaseResult =
  | {
      readonly performed: true;
      /** Our attempts of the window and those at its edges. */
      readonly ours: readonly OurAttempt[];
      /** The provider's listed transactions and those found by asking for attempts listed past the window. */
      readonly theirs: readonly ProviderTransaction[];
      readonly result: MatchResult;
      /** Reversals whose settlement was refused; attempts the provider's answer about could not be used. */
      readonly awaitingDecision: readonly AwaitingDecision[];
    }
  | {
      /** The provider cannot list its transactions: the phase is skipped. */
      readonly performed: false;
      readonly ours: readonly OurAttempt[];
      readonly reason: string;
      readonly howToReconcile: string;
    };

const attemptKey = (attempt: OurAttempt) => `${attempt.topUpId}\u0000${attempt.attemptNumber}`;

/** How the domain words a provider transaction none of our attempts at this provider has. */
const NEVER_SENT = 'we never sent it';

/**
 * A mismatch about an external id none of our attempts at this provider has,
 * whose id is an attempt of ours at another provider: its detail says so
 * (e.g. a failover after a send we thought failed) instead of "never sent".
 */
const namingForeignAttempts = (
  window: ReconciliationWindow,
  mismatches: readonly Mismatch[],
  foreign: readonly OurAttempt[],
): readonly Mismatch[] => {
  const elsewhere = liveByExternalId(foreign);
  return mismatches.map((mismatch) => {
    const attempt = elsewhere.get(mismatch.providerExternalId);
    if (mismatch.ours !== undefined || attempt === undefined) return mismatch;
    const where =
      `our attempt ${attempt.attemptNumber} of top-up ${attempt.topUpId} was sent to ` +
      `${attempt.providerId === '' ? 'no known provider' : attempt.providerId}, not to ${window.providerId}`;
    return { ...mismatch, detail: mismatch.detail.replace(NEVER_SENT, where) };
  });
};

/**
 * Ours COMPLETED, theirs (one transaction) REVERSED: settled COMPLETED ->
 * REVERSED with a record. A transaction listed twice alike counts once; one
 * whose listings conflict (`externalIdsWithConflictingListings`) is never
 * settled from the list: the match reports it.
 */
const settleReversals = (
  window: ReconciliationWindow,
  ours: readonly OurAttempt[],
  theirs: readonly ProviderTransaction[],
) =>
  Effect.gen(function* () {
    const conflicting = externalIdsWithConflictingListings(theirs);
    const byId = new Map<string, ProviderTransaction[]>();
    for (const transaction of distinctTransactions(theirs))
      if (!conflicting.has(transaction.providerExternalId))
        byId.set(transaction.providerExternalId, [...(byId.get(transaction.providerExternalId) ?? []), transaction]);
    const reversed = [...liveByExternalId(ours).values()].flatMap((attempt) => {
      const transactions = byId.get(attempt.providerExternalId) ?? [];
      const [only] = transactions;
      return transactions.length === 1 &&
        only !== undefined &&
        only.status.class === 'REVERSED' &&
        attempt.status.class === 'COMPLETED' &&
        attempt.topUpStatus.class === 'COMPLETED'
        ? [{ attempt, transaction: only }]
        : [];
    });
    const records = yield* Effect.forEach(reversed, ({ attempt, transaction }) =>
      Effect.map(
        settle(
          {
            topUpId: attempt.topUpId,
            providerId: window.providerId,
            providerExternalId: attempt.providerExternalId,
            attemptNumber: attempt.attemptNumber,
            fromStatus: attempt.topUpStatus,
            toStatus: transaction.status,
            reason:
              `provider reports ${transaction.status.status} at reconciliation (transaction ` +
              `${transaction.providerTransactionId}): a reversal of attempt ${attempt.attemptNumber} never reported to us`,
            actor: 'reconciler',
            operator: undefined,
            windowKey: windowKeyOf(window),
          },
          applyAsProviderUpdate,
        ),
        (record) => ({ attempt, record }),
      ),
    );
    return {
      changedIds: reversed.map(({ attempt }) => attempt.providerExternalId),
      awaitingDecision: records.flatMap(({ attempt, record }) =>
        record.state === 'REFUSED'
          ? [{ attempt, reason: `the provider's reversal could not be applied: ${record.refusal ?? 'refused'}` }]
          : [],
      ),
    };
  });

/**
 * Lists the provider's transactions created in the window (progress told
 * page by page) and matches them against our attempts that started in it,
 * adding ours at the window's edges (provider transactions of the window
 * whose attempt started before it; ours the provider dated past it, asked
 * for once each). A reversal never reported to us is settled first
 * (`applyProviderUpdate`, recorded), unless that transaction's listings
 * conflict (CONFLICTING_LISTINGS: nothing is settled from a list that
 * contradicts itself). A provider that cannot list its
 * transactions (`TransactionListUnsupported`) skips the phase, saying why.
 * An attempt asked for whose answer cannot be used waits for a decision
 * (not matched); a transaction whose external id is an attempt of ours at
 * another provider is MISSING_HERE saying where that attempt went.
 */
export const matchPhase = (window: ReconciliationWindow, options: MatchPhaseOptions, progress: ReconcileProgress) =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const provider = yield* AirtimeProvider;
    progress.phase('match', undefined);
    let fetched = 0;
    const listing = yield* Effect.either(
      provider.listTransactions({ from: window.from, to: window.to }, (page) => {
        progress.tick(page.fetched - fetched, page.total);
        fetched = page.fetched;
      }),
    );
    const windowAttempts = yield* store.attemptsStartedIn(window);
    if (listing._tag === 'Left') {
      if (listing.left._tag !== 'TransactionListUnsupported') return yield* Effect.fail(listing.left);
      progress.done();
      return {
        performed: false,
        ours: windowAttempts,
        reason: `${listing.left.provider} cannot list its transactions`,
        howToReconcile: listing.left.howToReconcile,
      } satisfies MatchPhaseResult;
    }
    const listed = listing.right;
    const known = new Set(windowAttempts.map((attempt) => attempt.providerExternalId));
    const listedIds = new Set(listed.map((transaction) => transaction.providerExternalId));
    const edgeIds = [...listedIds].filter((id) => !known.has(id));
    const edge = edgeIds.length === 0 ? [] : yield* store.attemptsByProviderExternalIds(edgeIds);
    const before = [...windowAttempts, ...edge.filter((attempt) => attempt.providerId === window.providerId)];
    const foreign = edge.filter((attempt) => attempt.providerId !== window.providerId);
    const late = yield* askForUnlisted(before, listedIds, options);
    const theirs = [...listed, ...late.found];
    const reversals = yield* settleReversals(window, before, theirs);
    const refreshed =
      reversals.changedIds.length === 0 ? [] : yield* store.attemptsByProviderExternalIds(reversals.changedIds);
    const fresh = new Map(refreshed.map((attempt) => [attemptKey(attempt), attempt]));
    const ours = before.map((attempt) => fresh.get(attemptKey(attempt)) ?? attempt);
    // an attempt the provider could not tell us about waits for a decision: it is not matched as missing
    const undecided = new Set(late.undecided.map((decision) => decision.attempt.providerExternalId));
    const result = matchTransactions(
      ours.filter((attempt) => !undecided.has(attempt.providerExternalId)),
      theirs,
      options,
    );
    progress.done();
    return {
      performed: true,
      ours,
      theirs,
      result: { ...result, mismatches: namingForeignAttempts(window, result.mismatches, foreign) },
      awaitingDecision: [...reversals.awaitingDecision, ...late.undecided],
    } satisfies MatchPhaseResult;
  });
