// The messaging of the embedded first run (MESSAGING=in-process), in place
// of broker.module.ts: the in-process bus of @airtime/messaging-in-process
// behind what the runtime and /readyz take (the TopUpCommandQueue, the
// EventPublisher, the messaging check), and no broker connection at all.
// The workers (workers.module.ts) take their command runner from the same
// bus. The bus is stopped when the command queue is unbound (after the
// HTTP server and the runtime, see CLOSE_ORDER); the workers are stopped
// before all of them (closeFirst). NOT durable: the commands waiting in the
// bus are lost on a crash, their top-ups committed; the stalled-top-up
// recovery sends them. The bus's EventPublisher has no subscriber, so the
// workers do not relay the outbox onto it (workers.module.ts): the topup.*
// events stay unsent in the outbox until a relay on RabbitMQ publishes them.
import { type InProcessBus, makeInProcessBus } from '@airtime/messaging-in-process';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { TOKENS } from './tokens';

/** The in-process bus (its command runners feed the workers). */
export const IN_PROCESS_BUS = Symbol.for('airtime.api.InProcessBus') as ServiceIdentifier<InProcessBus>;

/** How long stopping the bus waits for handlers still running (the workers stopped theirs already). */
const BUS_STOP_TIMEOUT_MS = 1_000;

export const inProcessMessagingModule = (): ContainerModule =>
  new ContainerModule(({ bind }) => {
    let bus: InProcessBus | undefined;
    bind(IN_PROCESS_BUS)
      .toDynamicValue((context) => {
        const config = context.get(TOKENS.config);
        bus = makeInProcessBus({
          maxRetries: config.workers.retry.maxRetries,
          retryDelay: { minDelayMs: config.workers.retry.minDelayMs, maxDelayMs: config.workers.retry.maxDelayMs },
          logger: context.get(TOKENS.logger),
        });
        return bus;
      })
      .inSingletonScope();
    bind(TOKENS.commandQueue)
      .toDynamicValue((context) => context.get(IN_PROCESS_BUS).commandQueue)
      .inSingletonScope()
      // the last of the bus's users to close: nothing enqueues any more
      .onDeactivation(async () => {
        await bus?.stop(BUS_STOP_TIMEOUT_MS);
      });
    bind(TOKENS.eventPublisher)
      .toDynamicValue((context) => context.get(IN_PROCESS_BUS).eventPublisher)
      .inSingletonScope();
    bind(TOKENS.messagingCheck)
      .toDynamicValue((context) => {
        const checked = context.get(IN_PROCESS_BUS);
        return async () => {
          const stats = checked.stats();
          return { ok: true, detail: `in-process bus: ${stats.ready} ready, ${stats.inFlight} in flight` };
        };
      })
      .inSingletonScope();
  });
