// A broker node of the test's own: restarted on its port with its data, killed
// without losing confirmed messages, on loopback only, and the shared broker
// on 5672 never sees its queues.
import { readFileSync } from 'node:fs';
import * as amqp from 'amqplib';
import { testAmqpUrl } from './broker.fixture';
import { type OwnBrokerNode, ownNodeCtl, startOwnBrokerNode } from './own-broker-node.fixture';

const QUEUE = 'own-node-durable';
const KILLED_QUEUE = 'own-node-killed';
const NODE_TIMEOUT_MS = 120_000;

const withChannel = async <A>(url: string, work: (channel: amqp.ConfirmChannel) => Promise<A>): Promise<A> => {
  const connection = await amqp.connect(url);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    return await work(channel);
  } finally {
    await connection.close().catch(() => undefined);
  }
};

const declareQuorumQueue = (url: string, queue: string): Promise<unknown> =>
  withChannel(url, (channel) => channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } }));

const publishConfirmed = (url: string, bodies: readonly string[], queue = QUEUE): Promise<void> =>
  withChannel(url, async (channel) => {
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    for (const body of bodies) channel.sendToQueue(queue, Buffer.from(body), { persistent: true });
    await channel.waitForConfirms();
  });

const readAll = (url: string, queue = QUEUE): Promise<string[]> =>
  withChannel(url, async (channel) => {
    const bodies: string[] = [];
    for (;;) {
      const message = await channel.get(queue, { noAck: false });
      if (message === false) return bodies;
      channel.ack(message);
      bodies.push(message.content.toString());
    }
  });

const accepts = (url: string): Promise<boolean> =>
  amqp.connect(url).then(
    async (connection) => {
      await connection.close().catch(() => undefined);
      return true;
    },
    () => false,
  );

/** Whether `queue` exists on the shared broker (a passive declare closes the channel with 404 when it does not). */
const existsOnSharedBroker = async (queue: string): Promise<boolean> => {
  const connection = await amqp.connect(testAmqpUrl());
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    return await channel.checkQueue(queue).then(
      () => true,
      () => false,
    );
  } finally {
    await connection.close().catch(() => undefined);
  }
};

/** Local addresses (hex, as in /proc/net/tcp*) of the sockets listening on `port`. */
const listeningAddresses = (port: number): string[] =>
  ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(
        ([, local, , state]) =>
          state === '0A' && local?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`),
      )
      .map(([, local]) => local?.split(':')[0] ?? ''),
  );

describe('own broker node', () => {
  let node: OwnBrokerNode;

  beforeAll(async () => {
    node = await startOwnBrokerNode();
  }, NODE_TIMEOUT_MS);

  afterAll(async () => {
    await node?.dispose();
  }, NODE_TIMEOUT_MS);

  it('runs on ports of its own, on 127.0.0.1 only, and the CLI reaches it', async () => {
    expect(node.port).not.toBe(5672);
    expect(node.url).toBe(`amqp://guest:guest@127.0.0.1:${node.port}`);
    expect(await accepts(node.url)).toBe(true);
    for (const port of [node.port, node.distPort]) expect(listeningAddresses(port)).toEqual(['0100007F']);
    expect(ownNodeCtl(node, 'eval', 'node().')).toContain(node.nodeName);
  });

  it(
    'keeps a confirmed message of a durable quorum queue across a stop and a start on the same port',
    async () => {
      await publishConfirmed(node.url, ['kept across a restart']);
      await node.stop();
      expect(node.isRunning()).toBe(false);
      expect(await accepts(node.url)).toBe(false);
      // the shared broker is up and never saw the node's queue
      expect(await accepts(testAmqpUrl())).toBe(true);
      expect(await existsOnSharedBroker(QUEUE)).toBe(false);

      await node.start();
      expect(node.isRunning()).toBe(true);
      expect(await readAll(node.url)).toEqual(['kept across a restart']);
    },
    NODE_TIMEOUT_MS,
  );

  it(
    'loses no confirmed message when killed (SIGKILL) and started again',
    async () => {
      // RabbitMQ 3.10 saves a new quorum queue's registration on a graceful stop (or minutes later): killed
      // before that, the queue comes back without a leader. Declared, then a stop and a start, as a fault test would.
      await declareQuorumQueue(node.url, KILLED_QUEUE);
      await node.stop();
      await node.start();
      const bodies = Array.from({ length: 200 }, (_, i) => `message ${i}`);
      await publishConfirmed(node.url, bodies, KILLED_QUEUE);
      await node.kill();
      expect(node.isRunning()).toBe(false);
      expect(await accepts(node.url)).toBe(false);

      await node.start();
      expect(await readAll(node.url, KILLED_QUEUE)).toEqual(bodies);
    },
    NODE_TIMEOUT_MS,
  );

  it(
    'restarts the same node from a data folder of the caller',
    async () => {
      const dataDir = node.dataDir;
      await publishConfirmed(node.url, ['in the folder']);
      await node.stop();
      const again = await startOwnBrokerNode({ dataDir });
      try {
        expect([again.nodeName, again.port]).toEqual([node.nodeName, node.port]);
        expect(await readAll(again.url)).toEqual(['in the folder']);
      } finally {
        await again.stop();
      }
      await node.start();
    },
    NODE_TIMEOUT_MS,
  );
});
