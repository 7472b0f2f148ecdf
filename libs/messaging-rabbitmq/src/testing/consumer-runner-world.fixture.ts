// What the consumer runner's integration specs share: a topology of their
// own on the real RabbitMQ (declared once, removed after), a raw channel for
// assertions, a TCP proxy to cut connections, a recording logger, and the
// connections and runners a test makes (stopped and closed after it). Call
// `consumerRunnerWorld` at a spec file's top level: it registers the jest
// hooks. `broker`, `proxy` and `logger` are fresh per test (read them from
// the world, not once).
import { Effect } from 'effect';
import { recordingLogger, type RecordingLogger } from '@airtime/application/testing';
import { makeBrokerConnection, type BrokerConnection } from '../lib/connection/broker-connection.client';
import { makeConsumerRunner, type ConsumerRunner, type ConsumerRunnerOptions } from '../lib/consumer/consumer.runner';
import type { Topology } from '../lib/topology/topology.table';
import { declareTopology } from '../lib/topology/topology-declarer';
import { deleteTopology, openRawBroker, testAmqpUrl, testTopology, type RawBroker } from './broker.fixture';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.fake';

const SETTINGS = { connectTimeoutMs: 2_000, heartbeatSeconds: 15, reconnectMinDelayMs: 20, reconnectMaxDelayMs: 200 };

export interface ConsumerRunnerWorld {
  readonly topology: Topology;
  /** The commands queue the runners consume, its dead letters and its retry queue. */
  readonly queue: string;
  readonly deadLetters: string;
  readonly retryQueue: string;
  /** Per test (see the file header). */
  readonly broker: RawBroker;
  readonly proxy: TcpProxy;
  readonly logger: RecordingLogger;
  /** A managed connection to `url` (closed after the test). */
  readonly connectVia: (url: string) => Promise<BrokerConnection>;
  /** A runner of the commands queue over `connection` (stopped after the test). */
  readonly runner: (
    connection: BrokerConnection,
    handler: ConsumerRunnerOptions['handler'],
    extra?: Partial<ConsumerRunnerOptions>,
  ) => ConsumerRunner;
  /** Publishes a top-up command (its body `{ id }` unless given) to the commands exchange. */
  readonly publish: (messageId: string | undefined, body?: unknown, headers?: Record<string, unknown>) => void;
}

/**
 * The world of a spec file labelled `label` (its topology prefix and
 * connection names); `defaults` go into every runner it makes; queues named
 * in `extraQueues` are deleted with the topology.
 */
export const consumerRunnerWorld = (
  label: string,
  defaults: Partial<ConsumerRunnerOptions> = {},
  extraQueues: (topology: Topology) => readonly string[] = () => [],
): ConsumerRunnerWorld => {
  const topology = testTopology(label);
  const queue = topology.queues.topUpCommands.name;
  const deadLetters = topology.queues.deadLetters.name;
  const retryQueue = topology.queues.topUpCommandsRetry.name;
  const connections: BrokerConnection[] = [];
  const runners: ConsumerRunner[] = [];
  let base: BrokerConnection | undefined;
  let broker: RawBroker | undefined;
  let proxy: TcpProxy | undefined;
  let logger: RecordingLogger = recordingLogger();
  const set = <A>(value: A | undefined, name: string): A => {
    if (value === undefined) throw new Error(`the ${name} is made in the spec's hooks`);
    return value;
  };

  beforeAll(async () => {
    base = makeBrokerConnection({ url: testAmqpUrl(), connectionName: `${label}-spec-admin`, ...SETTINGS });
    await Effect.runPromise(base.start);
    await Effect.runPromise(declareTopology(base, topology, 5_000));
    broker = await openRawBroker();
  });
  beforeEach(async () => {
    logger = recordingLogger();
    const url = new URL(testAmqpUrl());
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5672) });
    for (const name of [queue, deadLetters, retryQueue]) await set(broker, 'broker').channel.purgeQueue(name);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((made) => made.stop(1_000)));
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
    await proxy?.close();
  });
  afterAll(async () => {
    await base?.close();
    await broker?.close();
    await deleteTopology(topology, extraQueues(topology));
  });

  return {
    topology,
    queue,
    deadLetters,
    retryQueue,
    get broker() {
      return set(broker, 'broker');
    },
    get proxy() {
      return set(proxy, 'proxy');
    },
    get logger() {
      return logger;
    },
    connectVia: async (url) => {
      const connection = makeBrokerConnection({ url, connectionName: `${label}-spec`, logger, ...SETTINGS });
      connections.push(connection);
      await Effect.runPromise(connection.start);
      return connection;
    },
    runner: (connection, handler, extra = {}) => {
      const made = makeConsumerRunner({
        connection,
        queue,
        deadLetterExchange: topology.exchanges.deadLetter.name,
        prefetch: 10,
        confirmTimeoutMs: 2_000,
        handler,
        logger,
        ...defaults,
        ...extra,
      });
      runners.push(made);
      return made;
    },
    publish: (messageId, body = { id: messageId }, headers = {}) => {
      set(broker, 'broker').channel.publish(
        topology.exchanges.commands.name,
        topology.routingKeys.topUpRequest,
        Buffer.from(JSON.stringify(body)),
        {
          ...(messageId === undefined ? {} : { messageId }),
          type: 'topup.request',
          contentType: 'application/json',
          persistent: true,
          headers,
        },
      );
    },
  };
};

/** Waits until `condition` holds, polling every 10 ms; fails after `timeoutMs`. */
export const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** A promise with its resolver, to hold handlers until a spec releases them. */
export const gate = (): { promise: Promise<void>; open: () => void; opened: () => boolean } => {
  let open = (): void => undefined;
  let isOpen = false;
  const promise = new Promise<void>((resolve) => {
    open = () => {
      isOpen = true;
      resolve();
    };
  });
  return { promise, open, opened: () => isOpen };
};
