// The metrics of one reconciliation run, on a prom-client registry of its
// own: what the run found (mismatches per kind, matched, in flight,
// settled, awaiting a decision, balance mismatches, top-ups held and never
// sent, transactions on each side), how long each phase and the whole run
// took, its outcome, when it finished, and the provider's latency (the
// runtime's timed provider observes every call). Gauges, as a batch job's metrics are: they are
// written beside the report as `<report>.prom` and pushed to a Prometheus
// Pushgateway (job `airtime_reconciler`, grouped by provider) when one is
// configured.
import type { ReconciliationOutcome, ReportCounts } from '@airtime/application';
import { MISMATCH_KINDS } from '@airtime/domain';
import { Gauge, Histogram, Pushgateway, Registry } from 'prom-client';

const OUTCOMES: readonly ReconciliationOutcome[] = ['MATCHED', 'MISMATCHES', 'UNVERIFIED', 'FAILED'];

/** The job name the run's metrics are pushed under. */
export const PUSHGATEWAY_JOB = 'airtime_reconciler';

export interface RunMetrics {
  readonly registry: Registry;
  /** `airtime_provider_request_duration_seconds{provider,operation,outcome}`: observed by the timed provider. */
  readonly providerLatency: Histogram<'provider' | 'operation' | 'outcome'>;
}

/** What a run's metrics are set from once it ends. */
export interface RunFacts {
  readonly providerId: string;
  readonly outcome: ReconciliationOutcome;
  /** The report's counts; undefined when the run failed before its report. */
  readonly counts: ReportCounts | undefined;
  /** Seconds per phase, in the order they ran. */
  readonly phaseSeconds: ReadonlyMap<string, number>;
  readonly runSeconds: number;
  readonly window: { readonly from: Date; readonly to: Date };
  readonly finishedAt: Date;
}

/** A fresh registry for one run, with the provider latency histogram the runtime observes. */
export const makeRunMetrics = (): RunMetrics => {
  const registry = new Registry();
  return {
    registry,
    providerLatency: new Histogram({
      name: 'airtime_provider_request_duration_seconds',
      help: 'Calls to the airtime provider, by provider, operation and outcome (ok or the error code)',
      labelNames: ['provider', 'operation', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
};

const gauge = <L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Gauge<L> =>
  new Gauge({ name, help, labelNames, registers: [registry] });

/** The gauges of what a run found (set only from a report: a failed run has none). */
const recordCounts = (registry: Registry, provider: string, counts: ReportCounts): void => {
  const mismatches = gauge(registry, 'airtime_reconcile_mismatches', 'Mismatches found by the run, by kind', [
    'provider',
    'kind',
  ]);
  for (const kind of MISMATCH_KINDS) mismatches.set({ provider, kind }, counts.mismatches[kind]);
  const simple: readonly (readonly [string, string, number])[] = [
    ['airtime_reconcile_matched', 'Our attempts that match the provider', counts.matched],
    ['airtime_reconcile_in_flight', 'Our attempts too young to compare (in flight)', counts.inFlight],
    ['airtime_reconcile_settled', "Top-ups settled to the provider's status by the run", counts.settled],
    ['airtime_reconcile_awaiting_decision', 'Top-ups waiting for a decision by hand', counts.awaitingDecision],
    ['airtime_reconcile_balance_mismatches', 'Balances that differ from our books', counts.balanceMismatches],
    [
      'airtime_reconcile_held_never_sent',
      "Top-ups whose customer's money is held and that were never sent to a provider",
      counts.heldNeverSent,
    ],
  ];
  for (const [name, help, value] of simple) gauge(registry, name, help, ['provider']).set({ provider }, value);
  const transactions = gauge(registry, 'airtime_reconcile_transactions', 'Transactions of the window, by side', [
    'provider',
    'side',
  ]);
  transactions.set({ provider, side: 'ours' }, counts.ours);
  if (counts.theirs !== null) transactions.set({ provider, side: 'theirs' }, counts.theirs);
};

/**
 * Sets the run's gauges from `facts` (call once, at the end of the run):
 * what it found (from its report's counts), the duration of each phase and
 * of the run, its outcome, the window's start and when it finished. A run
 * with no counts (FAILED) gets no count gauge at all, not zeros: a zero
 * next to FAILED would clear an alert on mismatches.
 */
export const recordRun = (metrics: RunMetrics, facts: RunFacts): void => {
  const { registry } = metrics;
  const provider = facts.providerId;
  if (facts.counts !== undefined) recordCounts(registry, provider, facts.counts);
  const phases = gauge(registry, 'airtime_reconcile_phase_duration_seconds', 'How long each phase took', [
    'provider',
    'phase',
  ]);
  for (const [phase, seconds] of facts.phaseSeconds) phases.set({ provider, phase }, seconds);
  gauge(registry, 'airtime_reconcile_duration_seconds', 'How long the run took', ['provider']).set(
    { provider },
    facts.runSeconds,
  );
  const outcome = gauge(registry, 'airtime_reconcile_outcome', "The run's outcome (1 for the one it had)", [
    'provider',
    'outcome',
  ]);
  for (const known of OUTCOMES) outcome.set({ provider, outcome: known }, known === facts.outcome ? 1 : 0);
  gauge(registry, 'airtime_reconcile_window_start_timestamp_seconds', 'Start of the window reconciled', [
    'provider',
  ]).set({ provider }, facts.window.from.getTime() / 1_000);
  gauge(registry, 'airtime_reconcile_finished_timestamp_seconds', 'When the run finished', ['provider']).set(
    { provider },
    facts.finishedAt.getTime() / 1_000,
  );
};

/**
 * Pushes the registry to the Pushgateway at `url` (PUT: the group's metrics
 * replaced), job `airtime_reconciler`, grouped by provider; gives up after
 * `timeoutMs`. Rejects with the gateway's or the network's error.
 */
export const pushRunMetrics = async (
  metrics: RunMetrics,
  url: string,
  providerId: string,
  timeoutMs = 10_000,
): Promise<void> => {
  const gateway = new Pushgateway(url, { timeout: timeoutMs }, metrics.registry);
  await gateway.push({ jobName: PUSHGATEWAY_JOB, groupings: { provider: providerId } });
};

/**
 * Why a push failed, in a few words: `HTTP <status>` when the gateway
 * answered, else the network's code (ECONNREFUSED, ENOTFOUND...), `timed
 * out`, or `failed`. Never the gateway's body.
 */
export const pushFailureOf = (error: unknown): string => {
  const { code, message } = (error ?? {}) as { readonly code?: unknown; readonly message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const status = /push failed with status (\d{3})/.exec(text)?.[1];
  if (status !== undefined) return `HTTP ${status}`;
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  if (/timed out/i.test(text)) return 'timed out';
  return 'failed';
};
