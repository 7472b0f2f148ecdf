// The API's prom-client metrics: the platform's (provider latency, events,
// and the workers' when they run in the API process) on one registry, plus
// the HTTP server's own: requests by route and status, their latency, and
// the top-ups answered by POST /v1/topups by status class and outcome.
// Served at /metrics.
import { makePlatformMetrics, type PlatformMetrics } from '@airtime/platform-runtime';
import { Counter, Histogram } from 'prom-client';

/** How POST /v1/topups answered: a new top-up, or the one an earlier request with the same key created. */
export type TopUpRequestOutcome = 'created' | 'repeated';

export interface ApiMetrics extends PlatformMetrics {
  /** `airtime_api_requests_total{method,route,status}`; `route` is the route's pattern (`/v1/topups/:id`), never the path. */
  readonly requests: Counter<'method' | 'route' | 'status'>;
  /** `airtime_api_request_duration_seconds{method,route,status}`. */
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  /** `airtime_api_topups_total{status,outcome}`: top-ups answered by POST /v1/topups, by status class. */
  readonly topUps: Counter<'status' | 'outcome'>;
  /** `airtime_api_enqueue_failures_total`: top-ups committed whose command could not be enqueued (the consumer's recovery sends them). */
  readonly enqueueFailures: Counter<string>;
}

export interface ApiMetricsOptions {
  /** Collect the process metrics (default true), prefixed `airtime_api_`. */
  readonly processMetrics?: boolean | undefined;
}

/** The API's metrics on a fresh registry. */
export const makeApiMetrics = (options: ApiMetricsOptions = {}): ApiMetrics => {
  const platform = makePlatformMetrics({
    processMetrics: options.processMetrics,
    processMetricsPrefix: 'airtime_api_',
  });
  const registers = [platform.registry];
  return {
    ...platform,
    requests: new Counter({
      name: 'airtime_api_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    requestDuration: new Histogram({
      name: 'airtime_api_request_duration_seconds',
      help: 'HTTP request latency, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    topUps: new Counter({
      name: 'airtime_api_topups_total',
      help: 'Top-ups answered by POST /v1/topups, by status class and outcome (created, repeated)',
      labelNames: ['status', 'outcome'],
      registers,
    }),
    enqueueFailures: new Counter({
      name: 'airtime_api_enqueue_failures_total',
      help: 'Top-ups committed whose command could not be enqueued (recovered by the consumer)',
      registers,
    }),
  };
};
