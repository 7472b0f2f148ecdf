// The broker: the topology (names under AMQP_TOPOLOGY_PREFIX), one AMQP
// connection that reconnects for ever once up, and the confirm publisher of
// events (its own channel). Each is closed when the container closes.
import { makeBrokerConnection, makeConfirmPublisher, topologyFor } from '@airtime/messaging-rabbitmq';
import { Effect } from 'effect';
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
      await Effect.runPromise(connection.start);
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
