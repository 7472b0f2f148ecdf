// The reconciliation report as stored and written to files: JSON-safe (amounts
// as decimal strings with their currency, instants as ISO-8601 text, absent
// values as null), version 1. Everything but `run` is the same for the same
// books, so two runs over one window compare equal without `run`.
import type { MismatchKind } from '@airtime/domain';

/** An amount: exact decimal text in its currency (e.g. `{ amount: "2.105", currency: "USD" }`). */
export interface ReportAmount {
  readonly amount: string;
  readonly currency: string;
}

export type ReportMismatchKind = MismatchKind;

/**
 * MATCHED: everything compared agrees; MISMATCHES: a mismatch, a balance
 * mismatch, a top-up awaiting a decision or one held and never sent; UNVERIFIED: nothing found, but
 * something could not be compared (see `unverified`); FAILED: the run did
 * not finish (never in a report).
 */
export type ReconciliationOutcome = 'MATCHED' | 'MISMATCHES' | 'UNVERIFIED' | 'FAILED';

/** One attempt of ours, as the report shows it. */
export interface ReportOurSide {
  readonly topUpId: string;
  readonly accountId: string;
  /** The caller's external id. */
  readonly externalId: string;
  readonly attemptNumber: number;
  readonly providerExternalId: string;
  readonly providerTransactionId: string | null;
  readonly startedAt: string;
  /** InFlight | Pending | Unknown | Succeeded | Failed. */
  readonly state: string;
  /** Our view of the attempt at the provider (a DVS detailed status). */
  readonly status: string;
  readonly failureReason: string | null;
  readonly receive: ReportAmount;
  readonly charged: ReportAmount;
  /** The top-up's own status. */
  readonly topUpStatus: string;
}

/** One transaction at the provider, as the report shows it. */
export interface ReportTheirSide {
  readonly providerTransactionId: string;
  readonly providerExternalId: string;
  /** A DVS detailed status. */
  readonly status: string;
  readonly receive: ReportAmount | null;
  readonly charged: ReportAmount | null;
  readonly createdAt: string | null;
}

export interface ReportMismatch {
  readonly kind: ReportMismatchKind;
  readonly providerExternalId: string;
  /** Null for MISSING_HERE. */
  readonly ours: ReportOurSide | null;
  /**
   * Empty for MISSING_AT_PROVIDER; two or more for DUPLICATE_AT_PROVIDER; for
   * CONFLICTING_LISTINGS every differing listing (one transaction id twice
   * or more, with its different statuses or amounts).
   */
  readonly theirs: readonly ReportTheirSide[];
  readonly detail: string;
}

/**
 * A settlement of the window (the reconciler's or an operator's), with why.
 * Without its record's id and time, so that a run resumed after a crash
 * reports what an undisturbed one does (sorted by top-up, then status).
 */
export interface ReportSettlement {
  readonly topUpId: string;
  readonly providerExternalId: string | null;
  readonly fromStatus: string;
  readonly toStatus: string;
  readonly reason: string;
  readonly actor: 'reconciler' | 'operator';
  readonly operator: string | null;
  /** APPLYING | APPLIED | UNCHANGED | REFUSED. */
  readonly state: string;
  readonly refusal: string | null;
}

/** A top-up nobody can settle by asking the provider: an operator decides, with the command given. */
export interface ReportAwaitingDecision {
  readonly topUpId: string;
  readonly externalId: string;
  /** The attempt awaiting the decision (the top-up's last then): settling by hand checks it is still the last. */
  readonly attemptNumber: number;
  readonly providerExternalId: string | null;
  /** The top-up's status now. */
  readonly status: string;
  /** When the attempt started. */
  readonly since: string;
  /** Why it waits (e.g. the provider cannot be asked for a status). */
  readonly reason: string;
  /** The admin command that settles it, with placeholders for the status and reason. */
  readonly command: string;
}

/**
 * A top-up whose customer's money is held and that was never sent to any
 * provider (not final, no attempt, its hold neither voided nor captured):
 * the API ran without workers, or a process stopped before the first send.
 * Listed in every report made while it is so (created before the window's
 * end and at least the settle age before the run), so that one held for days
 * never drops out of the nightly report; never settled by the reconciler
 * (the workers' stalled-top-up recovery sends it). Its age is the summary's
 * (`createdAt` against the run's start): the report stays the same for the
 * same books.
 */
export interface ReportHeldNeverSent {
  readonly topUpId: string;
  readonly accountId: string;
  /** The caller's external id. */
  readonly externalId: string;
  /** The top-up's status (CREATED). */
  readonly status: string;
  /** When it was requested and its cost held. */
  readonly createdAt: string;
  /** What the ledger holds for it. */
  readonly held: ReportAmount;
}

/**
 * One balance compared: what the provider reports against what our books
 * say, per currency and field (amounts exact, at the provider's precision).
 */
export interface ReportBalance {
  readonly currency: string;
  readonly field: 'holding' | 'captured';
  readonly ours: string;
  /** Null when the provider gave no balance in this currency. */
  readonly theirs: string | null;
  /** theirs - ours; null when the provider did not say. */
  readonly difference: string | null;
  readonly matches: boolean;
  /** Our side was not quiet (an attempt younger than the grace, or our holding moved while the provider was asked): a difference then is not a mismatch. */
  readonly unstable: boolean;
  /** Why it is unstable; null when it is not. */
  readonly unstableReason: string | null;
  /** Counts as a balance mismatch (it differs, or the provider gave none while we hold some, and our side was quiet). */
  readonly mismatch: boolean;
}

/** A balance the provider listed but that could not be read (never its value): each counts as a balance mismatch. */
export interface ReportUnreadableBalance {
  /** The provider answer's field, e.g. `balances[2].holding`. */
  readonly field: string;
  readonly reason: string;
}

/** Something the run could not compare, and why. */
export interface ReportUnverified {
  /**
   * `transactions`: the provider's list against our attempts (the match);
   * `captured`: what each side captured in the window; `holding`: what the
   * provider holds for us.
   */
  readonly what: 'transactions' | 'captured' | 'holding';
  readonly why: string;
}

/** What moved in the window per currency (what the provider charges, in its source currency). */
export interface ReportCurrencyAmounts {
  readonly currency: string;
  /** Our COMPLETED attempts of the window. */
  readonly ours: string;
  /** Their COMPLETED transactions of the window (null when the provider cannot list them). */
  readonly theirs: string | null;
  /** The amounts of the mismatched attempts/transactions. */
  readonly mismatched: string;
}

export interface ReportCounts {
  readonly ours: number;
  /** Null when the provider cannot list its transactions. */
  readonly theirs: number | null;
  readonly matched: number;
  readonly inFlight: number;
  readonly settled: number;
  readonly awaitingDecision: number;
  readonly mismatches: Readonly<Record<ReportMismatchKind, number>>;
  /** Balance rows that mismatch, plus unreadable balances. */
  readonly balanceMismatches: number;
  /** Top-ups held and never sent (see `heldNeverSent`). */
  readonly heldNeverSent: number;
}

/** The match phase: run, or skipped and why (a provider that cannot list its transactions). */
export type ReportMatchPhase =
  | { readonly performed: true }
  | { readonly performed: false; readonly reason: string; readonly howToReconcile: string };

/** The report of one reconciliation run of one provider's window. */
export interface ReconciliationReport {
  readonly version: 1;
  readonly run: { readonly id: string; readonly startedAt: string; readonly finishedAt: string };
  readonly provider: string;
  readonly window: { readonly from: string; readonly to: string };
  readonly outcome: Exclude<ReconciliationOutcome, 'FAILED'>;
  readonly match: ReportMatchPhase;
  readonly counts: ReportCounts;
  readonly amounts: readonly ReportCurrencyAmounts[];
  readonly mismatches: readonly ReportMismatch[];
  readonly settlements: readonly ReportSettlement[];
  readonly awaitingDecision: readonly ReportAwaitingDecision[];
  /** Top-ups held and never sent, oldest first (then by top-up id). */
  readonly heldNeverSent: readonly ReportHeldNeverSent[];
  /** Sorted by currency, then field (captured before holding). */
  readonly balances: readonly ReportBalance[];
  /** Sorted by field, then reason. */
  readonly unreadableBalances: readonly ReportUnreadableBalance[];
  /** What was not compared, in the order transactions, captured, holding. */
  readonly unverified: readonly ReportUnverified[];
}

/** The report as stored (jsonb) and written: the report itself, JSON-safe by construction. */
export type ReconciliationReportJson = ReconciliationReport;
