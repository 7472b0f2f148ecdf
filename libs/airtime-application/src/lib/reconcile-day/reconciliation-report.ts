// The reconciliation report built from what the phases found: JSON-safe,
// sorted, the same for the same books (all but `run`).
import {
  amountsPerCurrency,
  distinctTransactions,
  formatMoney,
  formatPrecise,
  type Mismatch,
  MISMATCH_KINDS,
  type MismatchKind,
  type Money,
  type OurAttempt,
  type PreciseMoney,
  type ProviderTransaction,
} from '@airtime/domain';
import type { HeldNeverSent, ReconciliationWindow, SettlementRecord } from '../ports/reconciliation-store.port';
import { type AwaitingDecision, settleCommandFor } from './awaiting-decision';
import type { BalancePhaseResult, ComparedBalance } from './balance-phase.use-case';
import type { MatchPhaseResult } from './match-phase.use-case';
import type {
  ReconciliationReport,
  ReportAmount,
  ReportAwaitingDecision,
  ReportBalance,
  ReportHeldNeverSent,
  ReportMismatch,
  ReportOurSide,
  ReportSettlement,
  ReportTheirSide,
  ReportUnverified,
} from './reconciliation-report.types';

/** What a report is built from. */
export interface ReportInput {
  readonly run: { readonly id: string; readonly startedAt: Date; readonly finishedAt: Date };
  readonly window: ReconciliationWindow;
  readonly match: MatchPhaseResult;
  /** From the settle and match phases (one per top-up is kept, the first). */
  readonly awaitingDecision: readonly AwaitingDecision[];
  /** The window's settlements (`settlementsOf`). */
  readonly settlements: readonly SettlementRecord[];
  readonly balances: BalancePhaseResult;
  /** Top-ups held and never sent (`heldNeverSent` of the store). */
  readonly heldNeverSent: readonly HeldNeverSent[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const moneyOf = (value: Money): ReportAmount => ({ amount: formatMoney(value), currency: value.currency.code });

const preciseAmountOf = (value: PreciseMoney): ReportAmount => ({
  amount: formatPrecise(value),
  currency: value.currency.code,
});

export const ourSideOf = (attempt: OurAttempt): ReportOurSide => ({
  topUpId: attempt.topUpId,
  accountId: attempt.accountId,
  externalId: attempt.externalId,
  attemptNumber: attempt.attemptNumber,
  providerExternalId: attempt.providerExternalId,
  providerTransactionId: attempt.providerTransactionId ?? null,
  startedAt: attempt.startedAt.toISOString(),
  state: attempt.state,
  status: attempt.status.status,
  failureReason: attempt.failureReason ?? null,
  receive: moneyOf(attempt.receive),
  charged: preciseAmountOf(attempt.charged),
  topUpStatus: attempt.topUpStatus.status,
});

export const theirSideOf = (transaction: ProviderTransaction): ReportTheirSide => ({
  providerTransactionId: transaction.providerTransactionId,
  providerExternalId: transaction.providerExternalId,
  status: transaction.status.status,
  receive: transaction.receive === undefined ? null : preciseAmountOf(transaction.receive),
  charged: transaction.charged === undefined ? null : preciseAmountOf(transaction.charged),
  createdAt: transaction.createdAt?.toISOString() ?? null,
});

const mismatchOf = (mismatch: Mismatch): ReportMismatch => ({
  kind: mismatch.kind,
  providerExternalId: mismatch.providerExternalId,
  ours: mismatch.ours === undefined ? null : ourSideOf(mismatch.ours),
  theirs: mismatch.theirs.map(theirSideOf),
  detail: mismatch.detail,
});

const settlementOf = (record: SettlementRecord): ReportSettlement => ({
  topUpId: record.topUpId,
  providerExternalId: record.providerExternalId ?? null,
  fromStatus: record.fromStatus.status,
  toStatus: record.toStatus.status,
  reason: record.reason,
  actor: record.actor,
  operator: record.operator ?? null,
  state: record.state,
  refusal: record.refusal ?? null,
});

const settlementOrder = (a: ReportSettlement, b: ReportSettlement): number =>
  byText(a.topUpId, b.topUpId) ||
  byText(a.toStatus, b.toStatus) ||
  byText(a.actor, b.actor) ||
  byText(a.operator ?? '', b.operator ?? '');

const awaitingOf = (decision: AwaitingDecision): ReportAwaitingDecision => ({
  topUpId: decision.attempt.topUpId,
  externalId: decision.attempt.externalId,
  attemptNumber: decision.attempt.attemptNumber,
  providerExternalId: decision.attempt.providerExternalId,
  status: decision.attempt.topUpStatus.status,
  since: decision.attempt.startedAt.toISOString(),
  reason: decision.reason,
  command: settleCommandFor(decision.attempt.topUpId),
});

const heldNeverSentOf = (held: HeldNeverSent): ReportHeldNeverSent => ({
  topUpId: held.topUpId,
  accountId: held.accountId,
  externalId: held.externalId,
  status: held.status.status,
  createdAt: held.createdAt.toISOString(),
  held: moneyOf(held.held),
});

const balanceOf = (compared: ComparedBalance): ReportBalance => ({
  currency: compared.comparison.currency,
  field: compared.comparison.field,
  ours: formatPrecise(compared.comparison.ours),
  theirs: compared.comparison.theirs === undefined ? null : formatPrecise(compared.comparison.theirs),
  difference: compared.comparison.difference === undefined ? null : formatPrecise(compared.comparison.difference),
  matches: compared.comparison.matches,
  unstable: compared.unstable !== undefined,
  unstableReason: compared.unstable ?? null,
  mismatch: compared.mismatch,
});

const UNVERIFIED_ORDER: readonly ReportUnverified['what'][] = ['transactions', 'captured', 'holding'];

/** What the run did not compare: the match when it was skipped, then what the balance phase left out. */
const unverifiedOf = (match: MatchPhaseResult, balances: BalancePhaseResult): readonly ReportUnverified[] =>
  [
    ...(match.performed ? [] : [{ what: 'transactions' as const, why: `${match.reason}: ${match.howToReconcile}` }]),
    ...balances.unverified,
  ].sort((a, b) => UNVERIFIED_ORDER.indexOf(a.what) - UNVERIFIED_ORDER.indexOf(b.what) || byText(a.why, b.why));

const distinctAttempts = (ours: readonly OurAttempt[]): number =>
  new Set(ours.map((attempt) => `${attempt.topUpId}\u0000${attempt.attemptNumber}`)).size;

/**
 * The report of a run (see ReconciliationReport): counts per class, amounts
 * per currency (what the provider charges), each mismatch with both sides,
 * the window's settlements (sorted by top-up, status), the top-ups awaiting
 * a decision (one per top-up, sorted, each with its admin command), the
 * top-ups held and never sent (oldest first), the balances, the unreadable
 * balances and what was not verified. Outcome MISMATCHES when a mismatch, a
 * balance mismatch (unreadable balances included), a decision or a top-up
 * held and never sent remains; else UNVERIFIED when something could not
 * be compared (the match skipped, captured or holding left out); else
 * MATCHED. `settled` counts APPLIED settlements.
 */
export const buildReport = (input: ReportInput): ReconciliationReport => {
  const { match } = input;
  const mismatches = match.performed ? match.result.mismatches : [];
  const awaiting = input.awaitingDecision
    .filter((decision, index, all) => all.findIndex((d) => d.attempt.topUpId === decision.attempt.topUpId) === index)
    .map(awaitingOf)
    .sort((a, b) => byText(a.topUpId, b.topUpId));
  const settlements = input.settlements.map(settlementOf).sort(settlementOrder);
  const unreadableBalances = [...input.balances.unreadable]
    .map((unreadable) => ({ field: unreadable.field, reason: unreadable.reason }))
    .sort((a, b) => byText(a.field, b.field) || byText(a.reason, b.reason));
  const balanceMismatches =
    input.balances.compared.filter((compared) => compared.mismatch).length + unreadableBalances.length;
  const unverified = unverifiedOf(match, input.balances);
  const perKind = Object.fromEntries(
    MISMATCH_KINDS.map((kind) => [kind, mismatches.filter((mismatch) => mismatch.kind === kind).length]),
  ) as Record<MismatchKind, number>;
  const heldNeverSent = [...input.heldNeverSent]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byText(a.topUpId, b.topUpId))
    .map(heldNeverSentOf);
  const outcome =
    mismatches.length > 0 || balanceMismatches > 0 || awaiting.length > 0 || heldNeverSent.length > 0
      ? 'MISMATCHES'
      : unverified.length > 0
        ? 'UNVERIFIED'
        : 'MATCHED';
  return {
    version: 1,
    run: {
      id: input.run.id,
      startedAt: input.run.startedAt.toISOString(),
      finishedAt: input.run.finishedAt.toISOString(),
    },
    provider: input.window.providerId,
    window: { from: input.window.from.toISOString(), to: input.window.to.toISOString() },
    outcome,
    match: match.performed
      ? { performed: true }
      : { performed: false, reason: match.reason, howToReconcile: match.howToReconcile },
    counts: {
      ours: distinctAttempts(match.ours),
      theirs: match.performed ? distinctTransactions(match.theirs).length : null,
      matched: match.performed ? match.result.matched : 0,
      inFlight: match.performed ? match.result.inFlight.length : 0,
      settled: settlements.filter((settlement) => settlement.state === 'APPLIED').length,
      awaitingDecision: awaiting.length,
      mismatches: perKind,
      balanceMismatches,
      heldNeverSent: heldNeverSent.length,
    },
    amounts: amountsPerCurrency(match.ours, match.performed ? match.theirs : [], mismatches).map((amounts) => ({
      currency: amounts.currency,
      ours: formatPrecise(amounts.ours),
      theirs: match.performed ? formatPrecise(amounts.theirs) : null,
      mismatched: formatPrecise(amounts.mismatched),
    })),
    mismatches: mismatches.map(mismatchOf),
    settlements,
    awaitingDecision: awaiting,
    heldNeverSent,
    balances: input.balances.compared.map(balanceOf),
    unreadableBalances,
    unverified,
  };
};

/** The report's counts of mismatches, all kinds together. */
export const mismatchCount = (report: ReconciliationReport): number =>
  Object.values(report.counts.mismatches).reduce((sum, count) => sum + count, 0);
