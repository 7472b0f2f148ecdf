// Phase 3 of a reconciliation, balance: per currency, what the provider says
// it holds for us (its balances, exact at its precision) and captured in the
// window (its completed transactions' charges) against what our books say.
// A holding difference is a mismatch only while our side is quiet; a balance
// the provider could not give is listed and counts as a mismatch.
import {
  AirtimeProvider,
  type BalanceComparison,
  capturedByThem,
  capturedByUs,
  Clock,
  comparePrecise,
  compareBalances,
  externalIdsWithConflictingListings,
  formatPrecise,
  type OurAttempt,
  type OurExposure,
  type PreciseMoney,
  preciseZero,
  type ProviderBalance,
  type ProviderTransaction,
  type TheirExposure,
  totalIn,
  totalsPerCurrency,
  type UnreadableBalance,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import { ReconciliationStore } from '../ports/reconciliation-store.port';
import type { MatchPhaseResult } from './match-phase.use-case';
import { describeProviderFailure, nonStoppingProviderFailure } from './provider-failure.policy';
import type { ReconcileProgress } from './reconcile-progress';
import type { ReportUnverified } from './reconciliation-report.types';

/** One comparison; `unstable` says why a difference is not a mismatch (our side was not quiet). */
export interface ComparedBalance {
  readonly comparison: BalanceComparison;
  readonly unstable: string | undefined;
  /** Counts as a balance mismatch. */
  readonly mismatch: boolean;
}

export interface BalancePhaseResult {
  /** Sorted by currency, then field (captured before holding). */
  readonly compared: readonly ComparedBalance[];
  /** The balances the provider listed but that could not be read: each a balance mismatch. */
  readonly unreadable: readonly UnreadableBalance[];
  /** What could not be compared, and why (`captured`, `holding`). */
  readonly unverified: readonly ReportUnverified[];
}

export interface BalancePhaseOptions {
  /** An attempt of ours younger than this makes our side of its currency not quiet. */
  readonly inFlightGraceMs: number;
}

/** How far ahead of now "started recently" reaches (an attempt dated ahead by a skewed clock is recent too). */
const AHEAD_MS = 366 * 24 * 3_600_000;

const holdingIn = (exposures: readonly OurExposure[], currency: string) =>
  exposures.find((exposure) => exposure.currency === currency)?.holding;

const isZero = (amount: PreciseMoney) => comparePrecise(amount, preciseZero(amount.currency)) === 0;

/** Why our holding of `currency` was not quiet, or undefined when it was. */
const unquietReason = (
  currency: string,
  reads: { readonly before: readonly OurExposure[]; readonly after: readonly OurExposure[] },
  recent: readonly OurAttempt[],
  providerId: string,
  options: BalancePhaseOptions,
): string | undefined => {
  const before = holdingIn(reads.before, currency);
  const after = holdingIn(reads.after, currency);
  const reference = before ?? after;
  if (reference !== undefined) {
    const zero = preciseZero(reference.currency);
    const [was, is] = [before ?? zero, after ?? zero];
    if (comparePrecise(was, is) !== 0)
      return `our holding moved while the provider was asked (${currency} ${formatPrecise(was)} before, ${formatPrecise(is)} after)`;
  }
  const young = recent.filter((attempt) => attempt.charged.currency.code === currency).length;
  return young === 0
    ? undefined
    : `${young} attempt${young === 1 ? '' : 's'} of ours at ${providerId} in ${currency} started less than ` +
        `${options.inFlightGraceMs} ms ago`;
};

/**
 * Captured is compared only when the provider listed the window, its list
 * does not contradict itself (no CONFLICTING_LISTINGS: which listing holds
 * is not known) and gave the charge of every completed transaction.
 */
const capturedUnverified = (match: MatchPhaseResult): ReportUnverified | undefined => {
  if (!match.performed) return { what: 'captured', why: "the provider's transactions of the window were not listed" };
  const conflicting = externalIdsWithConflictingListings(match.theirs).size;
  if (conflicting > 0)
    return {
      what: 'captured',
      why:
        `the provider's list contradicts itself about ${conflicting} external id(s) (CONFLICTING_LISTINGS): ` +
        'what it captured cannot be read from it',
    };
  const uncharged = match.theirs.filter(
    (transaction) => transaction.status.class === 'COMPLETED' && transaction.charged === undefined,
  ).length;
  return uncharged === 0
    ? undefined
    : { what: 'captured', why: `${uncharged} completed transaction(s) of the provider give no charge` };
};

const oursOf = (holding: readonly OurExposure[], ours: readonly OurAttempt[]): readonly OurExposure[] => {
  const captured = capturedByUs(ours);
  const currencies = new Map(
    [...holding.map((e) => e.holding.currency), ...captured.map((c) => c.currency)].map((c) => [c.code, c]),
  );
  return [...currencies.values()].map((currency) => ({
    currency: currency.code,
    holding: holdingIn(holding, currency.code) ?? preciseZero(currency),
    captured: totalIn(captured, currency),
  }));
};

const theirsOf = (
  balances: readonly ProviderBalance[],
  theirs: readonly ProviderTransaction[],
  ours: readonly OurExposure[],
): readonly TheirExposure[] => {
  const captured = capturedByThem(theirs);
  const held = balances.map((balance) => balance.holding);
  const currencies = new Map(
    [...held.map((h) => h.currency), ...captured.map((c) => c.currency), ...ours.map((o) => o.holding.currency)].map(
      (c) => [c.code, c],
    ),
  );
  return [...currencies.values()].map((currency) => ({
    currency: currency.code,
    // a currency the provider gave no balance of: its holding is absent, never assumed zero
    holding: totalsPerCurrency(held.filter((h) => h.currency.code === currency.code))[0],
    captured: totalIn(captured, currency),
  }));
};

/**
 * Compares, per currency, our holding at the provider and what we captured
 * in the window with the provider's holding and captured charges
 * (`compareBalances`, exact). Our holding is read before and after
 * `balances()`. A holding that differs (a currency we hold and the provider
 * gives no balance of included) is a mismatch only when our side of that
 * currency is quiet: both reads agree and no attempt of ours at the
 * provider in that currency started less than `inFlightGraceMs` ago;
 * otherwise it is `unstable`, with why. No holding on either side is no
 * row. Each unreadable balance counts as a mismatch. `captured` is left out
 * (unverified, with why) when the match was skipped, the provider's list
 * contradicts itself (CONFLICTING_LISTINGS) or a completed transaction of
 * theirs gave no charge; the holding likewise when the
 * provider refuses to give balances (a failure that does not stop the run,
 * see `stopsTheRun`); other provider failures fail the phase.
 */
export const balancePhase = (
  providerId: string,
  match: MatchPhaseResult,
  options: BalancePhaseOptions,
  progress: ReconcileProgress,
) =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const provider = yield* AirtimeProvider;
    const now = yield* (yield* Clock).now();
    progress.phase('balance', 3);
    const before = yield* store.holdingAtProvider(providerId);
    progress.tick(1);
    const answer = yield* Effect.either(provider.balances());
    if (Either.isLeft(answer) && nonStoppingProviderFailure(answer.left) === undefined)
      return yield* Effect.fail(answer.left);
    progress.tick(1);
    const after = yield* store.holdingAtProvider(providerId);
    const recent = yield* store.attemptsStartedIn({
      providerId,
      from: new Date(now.getTime() - options.inFlightGraceMs),
      to: new Date(now.getTime() + AHEAD_MS),
    });
    progress.tick(1);
    const balances = Either.getOrUndefined(answer);
    const ours = oursOf(after, match.ours);
    const theirs = theirsOf(balances?.balances ?? [], match.performed ? match.theirs : [], ours);
    const captured = capturedUnverified(match);
    const compared = compareBalances(ours, theirs).flatMap((comparison): ComparedBalance[] => {
      if (comparison.field === 'captured')
        return captured === undefined ? [{ comparison, unstable: undefined, mismatch: !comparison.matches }] : [];
      if (balances === undefined || (comparison.theirs === undefined && isZero(comparison.ours))) return [];
      if (comparison.matches) return [{ comparison, unstable: undefined, mismatch: false }];
      const unstable = unquietReason(comparison.currency, { before, after }, recent, providerId, options);
      return [{ comparison, unstable, mismatch: unstable === undefined }];
    });
    progress.done();
    return {
      compared,
      unreadable: balances?.unreadable ?? [],
      unverified: [
        ...(captured === undefined ? [] : [captured]),
        ...(Either.isLeft(answer) ? [{ what: 'holding' as const, why: describeProviderFailure(answer.left) }] : []),
      ],
    } satisfies BalancePhaseResult;
  });

/** A comparison that counts as a balance mismatch (unreadable balances count too, see `BalancePhaseResult`). */
export const isBalanceMismatch = (compared: ComparedBalance): boolean => compared.mismatch;
