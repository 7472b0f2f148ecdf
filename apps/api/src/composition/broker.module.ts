// The messaging over RabbitMQ: the topology (names under
// AMQP_TOPOLOGY_PREFIX, declared at start: the API may start before any
// consumer), one AMQP connection that reconnects for ever once up, a confirm
// publisher for the commands and one for the events (each its own channel),
// and what the runtime and /readyz take: the TopUpCommandQueue (confirmed
// publishes to the commands exchange), the EventPublisher (used when the
// workers run in this process) and the check that the connection is up.
// Each is closed when the container closes.
import {
  declareTopology,
  makeBrokerConnection,
  makeConfirmPublisher,
  makeEventPublisher,
  makeTopUpCommandQueue,
  topologyFor,
} from '@airtime/messaging-rabbitmq';
import { brokerReadiness } from '@airtime/platform-runtime';
import { Effect, Either } from 'effect';
import { ContainerModule } from 'inversify';
import { TOKENS } from './tokens';

/** The AMQP connection's name, as the broker's management UI shows it. */
export const API_CONNECTION_NAME = 'airtime-api';

export const brokerModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.topology)
    .toDynamicValue((context) => topologyFor(context.get(TOKENS.config).messaging.topologyPrefix))
    .inSingletonScope();
  bind(TOKENS.brokerConnection)
    .toDynamicValue(async (context) => {
      const { messaging } = context.get(TOKENS.config);
      const connection = makeBrokerConnection({
        ...messaging,
        connectionName: API_CONNECTION_NAME,
        logger: context.get(TOKENS.logger),
      });
      // a broker that stays down for AMQP_START_TIMEOUT_MS (or refuses the login) fails the start with one line
      const started = await Effect.runPromise(Effect.either(connection.start));
      if (Either.isLeft(started)) {
        await connection.close();
        throw new Error(started.left.reason);
      }
      try {
        await Effect.runPromise(declareTopology(connection, context.get(TOKENS.topology), messaging.connectTimeoutMs));
      } catch (error) {
        await connection.close();
        throw error;
      }
      return connection;
    })
    .inSingletonScope()
    .onDeactivation((connection) => connection.close());
  for (const [name, key] of [
    ['commands', TOKENS.commandConfirmPublisher],
    ['events', TOKENS.eventConfirmPublisher],
  ] as const) {
    bind(key)
      .toDynamicValue(async (context) =>
        makeConfirmPublisher({
          connection: await context.getAsync(TOKENS.brokerConnection),
          confirmTimeoutMs: context.get(TOKENS.config).messaging.confirmTimeoutMs,
          name,
          logger: context.get(TOKENS.logger),
        }),
      )
      .inSingletonScope()
      .onDeactivation((publisher) => publisher.close());
  }
  bind(TOKENS.commandQueue)
    .toDynamicValue(async (context) =>
      makeTopUpCommandQueue(await context.getAsync(TOKENS.commandConfirmPublisher), context.get(TOKENS.topology)),
    )
    .inSingletonScope();
  bind(TOKENS.eventPublisher)
    .toDynamicValue(async (context) =>
      makeEventPublisher(await context.getAsync(TOKENS.eventConfirmPublisher), context.get(TOKENS.topology)),
    )
    .inSingletonScope();
  bind(TOKENS.messagingCheck)
    .toDynamicValue(async (context) => {
      return brokerReadiness(await context.getAsync(TOKENS.brokerConnection));
    })
    .inSingletonScope();
});
