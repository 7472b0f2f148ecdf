// The platform's prom-client metrics, on a registry of their own (several
// apps can live in one test process), whichever process runs the work (the
// consumer, or the API with the workers in-process): commands consumed by
// outcome, top-ups by final status, retries, dead letters, unknown outcomes,
// events published, scheduler ticks and the provider's latency, plus the
// process metrics (RSS, event loop lag) under the app's prefix. An app adds
// its own metrics to `registry`.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** How a command ended at the consumer. */
export type CommandOutcome = 'accepted' | 'duplicate' | 'rejected' | 'retried' | 'dead_lettered';

export interface PlatformMetrics {
  readonly registry: Registry;
  /** `airtime_consumer_commands_total{outcome}`. */
  readonly commands: Counter<'outcome'>;
  /** `airtime_consumer_dead_letters_total{code}`: commands dead-lettered by the consumer, by error code. */
  readonly deadLetters: Counter<'code'>;
  /** `airtime_topups_final_total{status}`: top-ups that reached a final status class (counted when its event is published). */
  readonly finalTopUps: Counter<'status'>;
  /** `airtime_topup_retries_scheduled_total`. */
  readonly retriesScheduled: Counter<string>;
  /** `airtime_topup_unknown_outcomes_total`: attempts whose outcome is unknown (settled by a status query). */
  readonly unknownOutcomes: Counter<string>;
  /** `airtime_events_published_total{type}`: events confirmed by the broker. */
  readonly eventsPublished: Counter<'type'>;
  /** `airtime_scheduler_ticks_total{task,outcome}`. */
  readonly schedulerTicks: Counter<'task' | 'outcome'>;
  /** `airtime_scheduler_items_total{task}`: top-ups, events or callbacks handled by the scheduler's loops. */
  readonly schedulerItems: Counter<'task'>;
  /** `airtime_provider_request_duration_seconds{provider,operation,outcome}`. */
  readonly providerLatency: Histogram<'provider' | 'operation' | 'outcome'>;
}

export interface PlatformMetricsOptions {
  /** Collect the process metrics (default true). */
  readonly processMetrics?: boolean | undefined;
  /** The process metrics' name prefix (default `airtime_consumer_`; the API's `airtime_api_`). */
  readonly processMetricsPrefix?: string | undefined;
}

/** The platform's metrics on a fresh registry. */
export const makePlatformMetrics = (options: PlatformMetricsOptions = {}): PlatformMetrics => {
  const registry = new Registry();
  if (options.processMetrics !== false) {
    collectDefaultMetrics({ register: registry, prefix: options.processMetricsPrefix ?? 'airtime_consumer_' });
  }
  const registers = [registry];
  return {
    registry,
    commands: new Counter({
      name: 'airtime_consumer_commands_total',
      help: 'Top-up commands consumed, by outcome (accepted, duplicate, rejected, retried, dead_lettered)',
      labelNames: ['outcome'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'airtime_consumer_dead_letters_total',
      help: 'Commands dead-lettered by the consumer, by error code',
      labelNames: ['code'],
      registers,
    }),
    finalTopUps: new Counter({
      name: 'airtime_topups_final_total',
      help: 'Top-ups that reached a final status, by status class',
      labelNames: ['status'],
      registers,
    }),
    retriesScheduled: new Counter({
      name: 'airtime_topup_retries_scheduled_total',
      help: 'Attempts that failed retryably and were scheduled again',
      registers,
    }),
    unknownOutcomes: new Counter({
      name: 'airtime_topup_unknown_outcomes_total',
      help: 'Attempts whose outcome was unknown (timeout or answer after sending)',
      registers,
    }),
    eventsPublished: new Counter({
      name: 'airtime_events_published_total',
      help: 'Top-up events confirmed by the broker, by type',
      labelNames: ['type'],
      registers,
    }),
    schedulerTicks: new Counter({
      name: 'airtime_scheduler_ticks_total',
      help: 'Ticks of the scheduler loops, by task and outcome (ok, failed)',
      labelNames: ['task', 'outcome'],
      registers,
    }),
    schedulerItems: new Counter({
      name: 'airtime_scheduler_items_total',
      help: 'Items handled by the scheduler loops, by task',
      labelNames: ['task'],
      registers,
    }),
    providerLatency: new Histogram({
      name: 'airtime_provider_request_duration_seconds',
      help: 'Provider calls, by provider, operation and outcome (ok or the error code)',
      labelNames: ['provider', 'operation', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
      registers,
    }),
  };
};
