// The broker: the topology (names under AMQP_TOPOLOGY_PREFIX), one AMQP
// connection (waited for AMQP_START_TIMEOUT_MS at start, then reconnecting
// for ever once up), and the confirm publisher of
// events (its own channel). Each is closed when the container closes.
import { makeBrokerConnection, makeConfirmPublisher, topologyFor } from '@airtime/messaging-rabbitmq';
import { Effect, Either } from 'effect';
import { ContainerModule } from 'inversify';
import { TOKENS } from './tokens';

export const brokerModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.topology)
    .toDynamicValue((context) => topologyFor(context.get(TOKENS.config).messaging.topologyPrefix))
    .inSingletonScope();
  bind(TOKENS.brokerConnection)
    .toDynamicValue(async (context) => {
      const { messaging, consumerName } = context.get(TOKENS.config);
      const connection = makeBrokerConnection({
        ...messaging,
        connectionName: `airtime-${consumerName}`,
        logger: context.get(TOKENS.logger),
      });
      // a broker that stays down for AMQP_START_TIMEOUT_MS (or refuses the login) fails the start with one line
      const started = await Effect.runPromise(Effect.either(connection.start));
      if (Either.isLeft(started)) {
        await connection.close();
        throw new Error(started.left.reason);
      }
      return connection;
    })
    .inSingletonScope()
    .onDeactivation((connection) => connection.close());
  bind(TOKENS.eventConfirmPublisher)
    .toDynamicValue(async (context) =>
      makeConfirmPublisher({
        connection: await context.getAsync(TOKENS.brokerConnection),
        confirmTimeoutMs: context.get(TOKENS.config).messaging.confirmTimeoutMs,
        name: 'events',
        logger: context.get(TOKENS.logger),
      }),
    )
    .inSingletonScope()
    .onDeactivation((publisher) => publisher.close());
});
