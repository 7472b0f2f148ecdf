// The setup of the publisher specs: a broker connection that declared the
// spec's own topology, a confirm publisher on it, and a raw broker channel
// for the spec's assertions; closed and the topology removed in one call.
import { Effect } from 'effect';
import { makeBrokerConnection, type BrokerConnection } from '../lib/connection/broker-connection.client';
import { makeConfirmPublisher, type ConfirmPublisher } from '../lib/publisher/confirm-publisher.client';
import { declareTopology } from '../lib/topology/topology-declarer';
import type { Topology } from '../lib/topology/topology.table';
import { deleteTopology, openRawBroker, testAmqpUrl, type RawBroker } from './broker.fixture';

/** Connection settings quick enough for specs (connect 2 s, reconnect 20–200 ms). */
export const SPEC_CONNECTION_SETTINGS = {
  connectTimeoutMs: 2_000,
  heartbeatSeconds: 15,
  reconnectMinDelayMs: 20,
  reconnectMaxDelayMs: 200,
} as const;

export interface CommandPublisherRig {
  readonly connection: BrokerConnection;
  /** Confirms time out after 3 s. */
  readonly publisher: ConfirmPublisher;
  readonly broker: RawBroker;
  /** Closes the publisher, the connection and the raw broker, then deletes `topology`. */
  readonly close: () => Promise<void>;
}

/** Connects as `connectionName`, declares `topology` (5 s at most) and opens a confirm publisher and a raw broker. */
export const openCommandPublisher = async (
  topology: Topology,
  connectionName: string,
): Promise<CommandPublisherRig> => {
  const connection = makeBrokerConnection({ url: testAmqpUrl(), connectionName, ...SPEC_CONNECTION_SETTINGS });
  await Effect.runPromise(connection.start);
  await Effect.runPromise(declareTopology(connection, topology, 5_000));
  const publisher = makeConfirmPublisher({ connection, confirmTimeoutMs: 3_000 });
  const broker = await openRawBroker();
  return {
    connection,
    publisher,
    broker,
    close: async () => {
      await publisher.close();
      await connection.close();
      await broker.close();
      await deleteTopology(topology);
    },
  };
};
