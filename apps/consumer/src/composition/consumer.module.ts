// The consumer's moving parts: the effect runtime over the resources (the
// platform runtime's layers), the workers (the top-up command handler fed
// by the RabbitMQ runner of the commands queue, and the scheduler's loops:
// due retries, stalled top-ups, the outbox relay, the callers' callbacks)
// and the metrics server. Each is stopped or disposed when the container
// closes (see CLOSE_ORDER).
import type { CallbackSenderService } from '@airtime/application';
import { makeEventPublisher, makeTopUpCommandRunner } from '@airtime/messaging-rabbitmq';
import {
  brokerReadiness,
  databaseReadiness,
  makeFetchCallbackSender,
  makePlatformRuntime,
  makeTopUpWorkers,
} from '@airtime/platform-runtime';
import { ContainerModule } from 'inversify';
import { startMetricsServer } from '../observability/metrics.server';
import { TOKENS } from './tokens';

export interface ConsumerModuleOptions {
  /** How long stopping the runner waits for the commands in flight. */
  readonly shutdownTimeoutMs: number;
  /** The sender of callers' callbacks (default: the platform runtime's node:http(s) sender). */
  readonly callbackSender?: CallbackSenderService | undefined;
}

export const consumerModule = (options: ConsumerModuleOptions): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.callbackSender)
      .toDynamicValue((context) => {
        const config = context.get(TOKENS.config);
        return (
          options.callbackSender ??
          makeFetchCallbackSender({
            timeoutMs: config.callbackTimeoutMs,
            allowPrivateHosts: config.allowPrivateCallbackHosts,
          })
        );
      })
      .inSingletonScope();

    bind(TOKENS.runtime)
      .toDynamicValue(async (context) => {
        const publisher = await context.getAsync(TOKENS.eventConfirmPublisher);
        return makePlatformRuntime({
          dataSource: await context.getAsync(TOKENS.dataSource),
          provider: context.get(TOKENS.providerLayer),
          eventPublisher: makeEventPublisher(publisher, context.get(TOKENS.topology)),
          callbackSender: await context.getAsync(TOKENS.callbackSender),
          clock: context.get(TOKENS.clock),
          logger: context.get(TOKENS.logger),
          metrics: context.get(TOKENS.metrics),
          providerCallbackBaseUrl: context.get(TOKENS.config).providerCallbackBaseUrl,
          ledgerBatch: context.get(TOKENS.config).ledgerBatch,
          groupCommit: context.get(TOKENS.config).groupCommit,
        });
      })
      .inSingletonScope()
      .onDeactivation((runtime) => runtime.dispose());

    bind(TOKENS.workers)
      .toDynamicValue(async (context) => {
        const config = context.get(TOKENS.config);
        const topology = context.get(TOKENS.topology);
        const connection = await context.getAsync(TOKENS.brokerConnection);
        const logger = context.get(TOKENS.logger);
        return makeTopUpWorkers({
          runtime: await context.getAsync(TOKENS.runtime),
          settings: config,
          logger,
          metrics: context.get(TOKENS.metrics),
          // the events go to RabbitMQ: the relay publishes the outbox there
          relayOutbox: true,
          commandRunner: (handler) =>
            makeTopUpCommandRunner({
              connection,
              topology,
              messaging: config.messaging,
              retry: config.retry,
              handler,
              logger,
            }),
        });
      })
      .inSingletonScope()
      .onDeactivation(async (workers) => {
        await workers.stop(options.shutdownTimeoutMs);
      });

    bind(TOKENS.metricsServer)
      .toDynamicValue(async (context) => {
        const { metrics: settings } = context.get(TOKENS.config);
        const connection = await context.getAsync(TOKENS.brokerConnection);
        const dataSource = await context.getAsync(TOKENS.dataSource);
        return startMetricsServer({
          host: settings.host,
          port: settings.port,
          registry: context.get(TOKENS.metrics).registry,
          checks: { broker: brokerReadiness(connection), database: databaseReadiness(dataSource) },
        });
      })
      .inSingletonScope()
      .onDeactivation((server) => server.close());
  });
