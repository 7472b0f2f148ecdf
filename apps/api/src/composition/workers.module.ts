// The consumer's workers in the API process (API_WORKERS=true): the top-up
// command handler and the scheduler's loops (due retries, stalled top-ups,
// the outbox relay, the callers' callbacks) of @airtime/platform-runtime,
// run through the API's runtime, fed by the transport's command runner:
// RabbitMQ's consumer runner on the commands queue (with its retry queue,
// as apps/consumer does), or the in-process bus's runner. On the in-process
// bus the outbox relay does not run: the bus has no subscriber, so relaying
// would mark the topup.* events sent and lose them; they stay in the outbox
// for a relay on RabbitMQ (the consumer, or a later start with AMQP_URL).
// Resolving the
// binding starts them (once the HTTP server listens: startAfter); they are
// stopped before everything else (closeFirst), letting the commands in
// flight finish within API_SHUTDOWN_TIMEOUT_MS; those still running then are
// interrupted, and waited for, before anything closes.
import { makeTopUpCommandRunner } from '@airtime/messaging-rabbitmq';
import { type CommandRunnerFactory, makeTopUpWorkers, type TopUpWorkers } from '@airtime/platform-runtime';
import { ContainerModule, type ResolutionContext, type ServiceIdentifier } from 'inversify';
import { IN_PROCESS_BUS } from './in-process-messaging.module';
import { TOKENS } from './tokens';

/** The started workers. */
export const WORKERS = Symbol.for('airtime.api.Workers') as ServiceIdentifier<TopUpWorkers>;

/** The command runner of the configured transport. */
const commandRunnerOf = async (context: ResolutionContext): Promise<CommandRunnerFactory> => {
  const config = context.get(TOKENS.config);
  const logger = context.get(TOKENS.logger);
  if (config.transport === 'in-process') {
    const bus = context.get(IN_PROCESS_BUS);
    return (handler) => bus.commandRunner({ handler, prefetch: config.messaging.prefetch });
  }
  const connection = await context.getAsync(TOKENS.brokerConnection);
  const topology = context.get(TOKENS.topology);
  const { retry } = config.workers;
  return (handler) =>
    makeTopUpCommandRunner({ connection, topology, messaging: config.messaging, retry, handler, logger });
};

export const workersModule = (): ContainerModule =>
  new ContainerModule(({ bind }) => {
    let stopTimeoutMs = 0;
    bind(WORKERS)
      .toDynamicValue(async (context) => {
        const config = context.get(TOKENS.config);
        const logger = context.get(TOKENS.logger);
        stopTimeoutMs = config.http.shutdownTimeoutMs;
        const workers = makeTopUpWorkers({
          runtime: await context.getAsync(TOKENS.runtime),
          settings: config.runtime,
          logger,
          metrics: context.get(TOKENS.metrics),
          commandRunner: await commandRunnerOf(context),
          // the in-process bus has no subscriber: its events stay in the outbox for a RabbitMQ relay
          relayOutbox: config.transport !== 'in-process',
        });
        await workers.start();
        logger.info({ transport: config.transport, consumer: config.runtime.consumerName }, 'workers started');
        return workers;
      })
      .inSingletonScope()
      .onDeactivation(async (workers) => {
        await workers.stop(stopTimeoutMs);
      });
  });
