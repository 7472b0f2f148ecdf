// The consumer's metrics: the platform's (commands, top-ups, events,
// scheduler, provider latency), with the process metrics under
// `airtime_consumer_`, on a registry of their own (several consumers can
// live in one test process).
import { makePlatformMetrics, type PlatformMetrics } from '@airtime/platform-runtime';

export type ConsumerMetrics = PlatformMetrics;

/** A fresh registry with the platform's metrics (and the process metrics unless `processMetrics: false`). */
export const makeConsumerMetrics = (options: { readonly processMetrics?: boolean } = {}): ConsumerMetrics =>
  makePlatformMetrics({ processMetrics: options.processMetrics, processMetricsPrefix: 'airtime_consumer_' });
