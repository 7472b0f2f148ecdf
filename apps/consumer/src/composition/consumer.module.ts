// The consumer's moving parts: the effect runtime over the resources, the
// top-up command handler and the runner consuming the commands queue, the
// scheduler's loops (due retries, stalled top-ups, the outbox relay, the
// callers' callbacks) and the metrics server. Each is stopped or disposed
// when the container closes (see CLOSE_ORDER).
import {
  type CallbackSenderService,
  callbackLeaseMs,
  deliverCallbacks,
  type DeliverCallbacksOptions,
  recoverStalledTopUps,
  type RecoverStalledTopUpsOptions,
  relayOutbox,
  retryDueTopUps,
  type RetryDueTopUpsOptions,
} from '@airtime/application';
import { makeConsumerRunner, makeEventPublisher } from '@airtime/messaging-rabbitmq';
import { Cause, Effect, Exit, Option } from 'effect';
import { ContainerModule } from 'inversify';
import { makeFetchCallbackSender } from '../callbacks/fetch-callback-sender.adapter';
import type { ConsumerConfig } from '../config/consumer.config';
import { makeTopUpCommandHandler } from '../messages/top-up-command.handler';
import { startMetricsServer } from '../observability/metrics.server';
import { maskNumbers } from '../observability/log.redaction';
import { makeScheduler, type ScheduledTask } from '../scheduler/scheduler.runner';
import { type ConsumerRuntime, type ConsumerServices, makeConsumerRuntime } from './runtime';
import { TOKENS } from './tokens';

/** Runs a scheduler program through the runtime: its count, or a rejection with the failure's message. */
const task = <E extends { readonly message: string }>(
  runtime: ConsumerRuntime,
  name: string,
  program: () => Effect.Effect<number, E, ConsumerServices>,
): ScheduledTask => ({
  name,
  run: async () => {
    const exit = await runtime.runPromiseExit(program().pipe(Effect.annotateLogs({ task: name })));
    if (Exit.isSuccess(exit)) return exit.value;
    const failure = Cause.failureOption(exit.cause);
    const defect = Cause.squash(exit.cause);
    throw new Error(
      Option.isSome(failure)
        ? failure.value.message
        : maskNumbers(defect instanceof Error ? `defect: ${defect.message}` : 'defect'),
    );
  },
});

/**
 * The callback loop's options: its batch, the sender's timeout, and the lease
 * of a run's deliveries. The lease is read on the Clock, which runs
 * CLOCK_SCALE times faster than real time: the real time a run may take (its
 * POSTs, each bounded by the timeout) is that many times longer on the Clock.
 */
export const deliverCallbacksOptionsOf = (
  config: Pick<ConsumerConfig, 'scheduler' | 'callbackTimeoutMs' | 'clockScale'>,
): DeliverCallbacksOptions => {
  const { batchSize } = config.scheduler;
  return {
    batchSize,
    callbackTimeoutMs: config.callbackTimeoutMs,
    leaseMs: Math.max(1, Math.ceil(callbackLeaseMs(batchSize, config.callbackTimeoutMs) * config.clockScale)),
  };
};

/** The due-retry and stalled-recovery loops' options: a batch per tick, SCHEDULER_CONCURRENCY of it at once. */
export const topUpLoopOptionsOf = (
  config: Pick<ConsumerConfig, 'scheduler'>,
): { readonly retryDue: RetryDueTopUpsOptions; readonly recoverStalled: RecoverStalledTopUpsOptions } => {
  const { batchSize, stalledAfterMs, concurrency } = config.scheduler;
  return {
    retryDue: { limit: batchSize, concurrency },
    recoverStalled: { olderThanMs: stalledAfterMs, limit: batchSize, concurrency },
  };
};

export interface ConsumerModuleOptions {
  /** How long stopping the runner waits for the commands in flight. */
  readonly shutdownTimeoutMs: number;
  /** The sender of callers' callbacks (default: the fetch sender of ../callbacks). */
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
        return makeConsumerRuntime({
          dataSource: await context.getAsync(TOKENS.dataSource),
          provider: context.get(TOKENS.providerLayer),
          eventPublisher: makeEventPublisher(publisher, context.get(TOKENS.topology)),
          callbackSender: await context.getAsync(TOKENS.callbackSender),
          clock: context.get(TOKENS.clock),
          logger: context.get(TOKENS.logger),
          metrics: context.get(TOKENS.metrics),
        });
      })
      .inSingletonScope()
      .onDeactivation((runtime) => runtime.dispose());

    bind(TOKENS.commandHandler)
      .toDynamicValue(async (context) =>
        makeTopUpCommandHandler({
          runtime: await context.getAsync(TOKENS.runtime),
          consumerName: context.get(TOKENS.config).consumerName,
          allowPrivateCallbackHosts: context.get(TOKENS.config).allowPrivateCallbackHosts,
          logger: context.get(TOKENS.logger),
          metrics: context.get(TOKENS.metrics),
        }),
      )
      .inSingletonScope();

    bind(TOKENS.consumerRunner)
      .toDynamicValue(async (context) => {
        const config = context.get(TOKENS.config);
        const topology = context.get(TOKENS.topology);
        return makeConsumerRunner({
          connection: await context.getAsync(TOKENS.brokerConnection),
          queue: topology.queues.topUpCommands.name,
          deadLetterExchange: topology.exchanges.deadLetter.name,
          prefetch: config.messaging.prefetch,
          confirmTimeoutMs: config.messaging.confirmTimeoutMs,
          // a retry waits in the retry queue (growing delays, never counted by x-delivery-limit); only when that
          // publish fails is the delivery requeued, after the first delay
          retryQueue: {
            queue: topology.queues.topUpCommandsRetry.name,
            maxRetries: config.retry.maxRetries,
            delay: { minDelayMs: config.retry.minDelayMs, maxDelayMs: config.retry.maxDelayMs },
          },
          retryDelayMs: config.retry.minDelayMs,
          handler: await context.getAsync(TOKENS.commandHandler),
          logger: context.get(TOKENS.logger),
        });
      })
      .inSingletonScope()
      .onDeactivation(async (runner) => {
        await runner.stop(options.shutdownTimeoutMs);
      });

    bind(TOKENS.scheduler)
      .toDynamicValue(async (context) => {
        const config = context.get(TOKENS.config);
        const settings = config.scheduler;
        const runtime = await context.getAsync(TOKENS.runtime);
        const metrics = context.get(TOKENS.metrics);
        const batchSize = settings.batchSize;
        const callbacks = deliverCallbacksOptionsOf(config);
        const topUpLoops = topUpLoopOptionsOf(config);
        return makeScheduler({
          intervalMs: settings.intervalMs,
          batchSize,
          logger: context.get(TOKENS.logger),
          onTick: (name, outcome) => {
            if ('failed' in outcome) {
              metrics.schedulerTicks.inc({ task: name, outcome: 'failed' });
              return;
            }
            metrics.schedulerTicks.inc({ task: name, outcome: 'ok' });
            metrics.schedulerItems.inc({ task: name }, outcome.handled);
          },
          tasks: [
            task(runtime, 'retryDueTopUps', () => retryDueTopUps(topUpLoops.retryDue)),
            task(runtime, 'recoverStalledTopUps', () => recoverStalledTopUps(topUpLoops.recoverStalled)),
            task(runtime, 'relayOutbox', () => relayOutbox({ batchSize })),
            task(runtime, 'deliverCallbacks', () =>
              Effect.map(deliverCallbacks(callbacks), (report) => report.claimed),
            ),
          ],
        });
      })
      .inSingletonScope()
      .onDeactivation((scheduler) => scheduler.stop());

    bind(TOKENS.metricsServer)
      .toDynamicValue(async (context) => {
        const { metrics: settings } = context.get(TOKENS.config);
        const connection = await context.getAsync(TOKENS.brokerConnection);
        const dataSource = await context.getAsync(TOKENS.dataSource);
        return startMetricsServer({
          host: settings.host,
          port: settings.port,
          registry: context.get(TOKENS.metrics).registry,
          checks: {
            broker: async () => {
              const state = connection.state();
              return state === 'connected' ? { ok: true } : { ok: false, detail: state };
            },
            database: async () => {
              await dataSource.query('SELECT 1');
              return { ok: true };
            },
          },
        });
      })
      .inSingletonScope()
      .onDeactivation((server) => server.close());
  });
