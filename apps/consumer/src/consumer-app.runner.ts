// Starts and stops the whole consumer in one process: builds the container,
// opens the database (refusing one with pending migrations), declares the
// topology, builds the runtime, starts the metrics server and the workers
// (the scheduler's loops, then the runner of the commands queue). `stop` is
// the graceful shutdown: stop consuming and finish the commands in flight,
// stop the loops after their ticks, then close everything (the container's
// CLOSE_ORDER). main.ts runs it; the integration specs run it in-process.
import { declareTopology } from '@airtime/messaging-rabbitmq';
import { Effect } from 'effect';
import type { Container } from 'inversify';
import { buildContainer, closeContainer, type ConsumerContainerOptions } from './composition/container';
import { TOKENS } from './composition/tokens';

export interface ConsumerApp {
  readonly container: Container;
  /** e.g. http://127.0.0.1:9464 (`/metrics`, `/healthz`). */
  readonly metricsUrl: string;
  /** Graceful shutdown; resolves with the closing failures (none normally). Idempotent. */
  readonly stop: () => Promise<readonly string[]>;
}

export const startConsumerApp = async (options: ConsumerContainerOptions): Promise<ConsumerApp> => {
  const container = await buildContainer(options);
  const logger = container.get(TOKENS.logger);
  try {
    const { messaging, consumerName, provider } = options.config;
    // the database first: an unmigrated one stops the start before anything touches the broker
    await container.getAsync(TOKENS.dataSource);
    const connection = await container.getAsync(TOKENS.brokerConnection);
    await Effect.runPromise(declareTopology(connection, container.get(TOKENS.topology), messaging.connectTimeoutMs));
    // build every layer now, so that a broken one fails the start rather than the first message
    await (await container.getAsync(TOKENS.runtime)).runtime();
    const metricsServer = await container.getAsync(TOKENS.metricsServer);
    const workers = await container.getAsync(TOKENS.workers);
    await workers.start();
    logger.info(
      {
        consumer: consumerName,
        queue: container.get(TOKENS.topology).queues.topUpCommands.name,
        provider: provider.kind,
        prefetch: messaging.prefetch,
        metrics: metricsServer.url,
      },
      'consumer started',
    );
    let stopping: Promise<readonly string[]> | undefined;
    return {
      container,
      metricsUrl: metricsServer.url,
      stop: () => {
        stopping ??= (async () => {
          logger.info({ inFlight: workers.runner.inFlight() }, 'consumer stopping');
          const report = await workers.stop(messaging.shutdownTimeoutMs);
          const failures = await closeContainer(container);
          logger.info({ unfinished: report.unfinished, failures }, 'consumer stopped');
          return failures;
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeContainer(container);
    throw error;
  }
};
