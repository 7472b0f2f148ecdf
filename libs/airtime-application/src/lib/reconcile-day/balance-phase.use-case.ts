// Phase 3 of a reconciliation, balance: per currency, what the provider says
// it holds for us (its balances) and captured in the window (its completed
// transactions' charges) against what our books say. Our holding is read
// before and after the provider is asked: when it moved meanwhile, a
// difference is unstable, not a mismatch.
import {
  AirtimeProvider,
  type BalanceComparison,
  capturedByThem,
  capturedByUs,
  comparePrecise,
  compareBalances,
  type OurAttempt,
  type OurExposure,
  preciseZero,
  type ProviderBalance,
  type ProviderTransaction,
  type TheirExposure,
  totalIn,
  totalsPerCurrency,
} from '@airtime/domain';
import { Effect } from 'effect';
import { ReconciliationStore } from '../ports/reconciliation-store.port';
import type { MatchPhaseResult } from './match-phase.use-case';
import type { ReconcileProgress } from './reconcile-progress';

/** One comparison, and whether our side moved while the provider was asked. */
export interface ComparedBalance {
  readonly comparison: BalanceComparison;
  readonly unstable: boolean;
}

const sameHolding = (before: readonly OurExposure[], after: readonly OurExposure[], currency: string): boolean => {
  const a = before.find((exposure) => exposure.currency === currency)?.holding;
  const b = after.find((exposure) => exposure.currency === currency)?.holding;
  if (a === undefined || b === undefined) return a === b || (a ?? b)?.units === 0n;
  return comparePrecise(a, b) === 0;
};

/** Captured is compared only when the provider listed the window and gave the charge of every completed transaction. */
const capturedComparable = (match: MatchPhaseResult): match is Extract<MatchPhaseResult, { performed: true }> =>
  match.performed &&
  match.theirs.every((transaction) => transaction.status.class !== 'COMPLETED' || transaction.charged !== undefined);

const oursOf = (holding: readonly OurExposure[], ours: readonly OurAttempt[]): readonly OurExposure[] => {
  const captured = capturedByUs(ours);
  const currencies = new Map(
    [...holding.map((e) => e.holding.currency), ...captured.map((c) => c.currency)].map((c) => [c.code, c]),
  );
  return [...currencies.values()].map((currency) => ({
    currency: currency.code,
    holding: holding.find((exposure) => exposure.currency === currency.code)?.holding ?? preciseZero(currency),
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
  return [...currencies.values()].map((currency) => {
    const holding = held.filter((h) => h.currency.code === currency.code);
    return {
      currency: currency.code,
      // a currency the provider gave no balance of: its holding is unknown, never assumed zero
      holding: totalsPerCurrency(holding)[0],
      captured: totalIn(captured, currency),
    };
  });
};

/**
 * Compares, per currency, our holding at the provider (read before and
 * after `balances()`) and what we captured in the window with the
 * provider's holding and captured charges (`compareBalances`). `captured` is
 * left out when the match phase was skipped or a completed transaction of
 * theirs gave no charge; a currency the provider gave no balance of has an
 * unknown holding (reported, not a mismatch).
 */
export const balancePhase = (providerId: string, match: MatchPhaseResult, progress: ReconcileProgress) =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const provider = yield* AirtimeProvider;
    progress.phase('balance', 3);
    const before = yield* store.holdingAtProvider(providerId);
    progress.tick(1);
    const balances = yield* provider.balances();
    progress.tick(1);
    const after = yield* store.holdingAtProvider(providerId);
    progress.tick(1);
    const ours = oursOf(after, match.ours);
    const theirs = theirsOf(balances.balances, match.performed ? match.theirs : [], ours);
    const compared = compareBalances(ours, theirs).filter(
      (comparison) => comparison.field === 'holding' || capturedComparable(match),
    );
    progress.done();
    return compared.map((comparison): ComparedBalance => ({
      comparison,
      unstable: comparison.field === 'holding' && !sameHolding(before, after, comparison.currency),
    }));
  });

/** A comparison that counts as a balance mismatch: known on both sides, different, and stable. */
export const isBalanceMismatch = ({ comparison, unstable }: ComparedBalance): boolean =>
  !comparison.matches && comparison.theirs !== undefined && !unstable;
