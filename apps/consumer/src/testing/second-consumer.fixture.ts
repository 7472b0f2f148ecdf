// A second consumer app in-process on a harness's database, topology and
// simulator (the same consumer name, so the same inbox): two consumers
// competing for one commands queue. Its log lines are its own.
import { testAmqpUrl } from '@airtime/messaging-rabbitmq/testing';
import { makeRecordingLogger } from '@airtime/platform-runtime/testing';
import { Either } from 'effect';
import { consumerConfigFrom } from '../config/consumer.config';
import { type ConsumerApp, startConsumerApp } from '../consumer-app.runner';
import { makeConsumerMetrics } from '../observability/consumer-metrics';
import type { ConsumerHarness } from './consumer-harness.fixture';

export interface SecondConsumer {
  readonly app: ConsumerApp;
  readonly logs: () => readonly Record<string, unknown>[];
}

export const startSecondConsumer = async (
  harness: ConsumerHarness,
  env: Readonly<Record<string, string>>,
): Promise<SecondConsumer> => {
  const { logger, lines } = makeRecordingLogger('info');
  const config = Either.getOrThrow(
    consumerConfigFrom({
      DATABASE_URL: harness.db.config.url,
      AMQP_URL: testAmqpUrl(),
      AMQP_TOPOLOGY_PREFIX: harness.topology.prefix,
      METRICS_PORT: '0',
      PROVIDER: 'simulator-http',
      DTONE_BASE_URL: harness.simulator.baseUrl,
      DTONE_API_KEY: harness.simulator.apiKey,
      DTONE_API_SECRET: harness.simulator.apiSecret,
      SCHEDULER_INTERVAL_MS: '100',
      CONSUMER_RETRY_DELAY_MS: '50',
      ...env,
    }),
  );
  const app = await startConsumerApp({ config, logger, metrics: makeConsumerMetrics({ processMetrics: false }) });
  return { app, logs: () => lines };
};
