// The metrics of one reconciliation run, on a prom-client registry of its
// own: what the run found (mismatches per kind, matched, in flight,
// settled, awaiting a decision, balance mismatches, transactions on each
// side), how long each phase and the whole run took, its outcome, when it
// finished, and the provider's latency (the runtime's timed provider
// observes every call). Gauges, as a batch job's metrics are: they are
// written beside the report as `<report>.prom` and pushed to a Prometheus
// Pushgateway (job `airtime_reconciler`, grouped by provider) when one is
// configured.
import type { ReconciliationOutcome, ReportCounts, ReportMismatchKind } from '@airtime/application';
import { Gauge, Histogram, Pushgateway, Registry } from 'prom-client';

export const MISMATCH_KINDS: readonly ReportMismatchKind[] = [
  'MISSING_HERE',
  'MISSING_AT_PROVIDER',
  'STATUS_DIFFERS',
  'AMOUNT_DIFFERS',
  'DUPLICATE_AT_PROVIDER',
];

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

/** Sets the run's gauges from `facts` (call once, at the end of the run). */
export const recordRun = (metrics: RunMetrics, facts: RunFacts): void => {
  const { registry } = metrics;
  const provider = facts.providerId;
  const counts = facts.counts;
  const mismatches = gauge(registry, 'airtime_reconcile_mismatches', 'Mismatches found by the run, by kind', [
    'provider',
    'kind',
  ]);
  for (const kind of MISMATCH_KINDS) mismatches.set({ provider, kind }, counts?.mismatches[kind] ?? 0);
  const simple: readonly (readonly [string, string, number | null | undefined])[] = [
    ['airtime_reconcile_matched', 'Our attempts that match the provider', counts?.matched],
    ['airtime_reconcile_in_flight', 'Our attempts too young to compare (in flight)', counts?.inFlight],
    ['airtime_reconcile_settled', "Top-ups settled to the provider's status by the run", counts?.settled],
    ['airtime_reconcile_awaiting_decision', 'Top-ups waiting for a decision by hand', counts?.awaitingDecision],
    ['airtime_reconcile_balance_mismatches', 'Balances that differ from our books', counts?.balanceMismatches],
  ];
  for (const [name, help, value] of simple) gauge(registry, name, help, ['provider']).set({ provider }, value ?? 0);
  const transactions = gauge(registry, 'airtime_reconcile_transactions', 'Transactions of the window, by side', [
    'provider',
    'side',
  ]);
  transactions.set({ provider, side: 'ours' }, counts?.ours ?? 0);
  if (counts?.theirs !== undefined && counts.theirs !== null)
    transactions.set({ provider, side: 'theirs' }, counts.theirs);
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
