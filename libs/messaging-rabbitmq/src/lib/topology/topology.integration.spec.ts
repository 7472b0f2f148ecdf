import { Effect, Either } from 'effect';
import { deleteTopology, openRawBroker, testAmqpUrl, testTopology, type RawBroker } from '../../testing';
import { makeBrokerConnection, type BrokerConnection } from '../connection/broker-connection.client';
import { declareTopology } from './topology-declarer';
import { EVENT_ROUTING_KEYS, TOPOLOGY, topologyFor } from './topology.table';

const topology = testTopology('topology');
const commands = topology.queues.topUpCommands;
const retries = topology.queues.topUpCommandsRetry;
const eventsProbe = `${topology.prefix}.events-probe`;
let connection: BrokerConnection;
let broker: RawBroker;

beforeAll(async () => {
  connection = makeBrokerConnection({
    url: testAmqpUrl(),
    connectionName: 'topology-spec',
    connectTimeoutMs: 5_000,
    heartbeatSeconds: 15,
    reconnectMinDelayMs: 50,
    reconnectMaxDelayMs: 500,
  });
  await Effect.runPromise(connection.start);
  await Effect.runPromise(declareTopology(connection, topology, 5_000));
  broker = await openRawBroker();
});

afterAll(async () => {
  await broker.close();
  await connection.close();
  await deleteTopology(topology, [eventsProbe]);
});

describe('the topology table', () => {
  it('derives every name, and the dead-letter exchange argument, from the prefix', () => {
    const named = topologyFor('acme');
    expect(Object.values(named.exchanges).map((e) => e.name)).toEqual([
      'acme.commands',
      'acme.events',
      'acme.dead-letter',
    ]);
    expect(named.queues.topUpCommands).toEqual({
      name: 'acme.topup.commands',
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': 5,
        'x-dead-letter-exchange': 'acme.dead-letter',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
    expect(named.queues.topUpCommandsRetry).toEqual({
      name: 'acme.topup.commands.retry',
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': 'acme.commands',
        'x-dead-letter-routing-key': 'topup.request',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
    expect(named.queues.deadLetters).toEqual({ name: 'acme.dead-letters', arguments: { 'x-queue-type': 'quorum' } });
    expect(named.bindings).toEqual([
      { queue: 'acme.topup.commands', exchange: 'acme.commands', routingKey: 'topup.request' },
      { queue: 'acme.dead-letters', exchange: 'acme.dead-letter', routingKey: '' },
    ]);
    expect(named.eventRoutingKeys).toEqual([
      'topup.created',
      'topup.completed',
      'topup.failed',
      'topup.reversed',
      'topup.retry_scheduled',
      'topup.unknown_outcome',
    ]);
    expect(TOPOLOGY.exchanges.commands.type).toBe('direct');
    expect(TOPOLOGY.exchanges.events.type).toBe('topic');
  });
});

describe('the declared topology (RabbitMQ)', () => {
  it('exists on the broker: every exchange and queue', async () => {
    for (const exchange of Object.values(topology.exchanges)) {
      await expect(broker.channel.checkExchange(exchange.name)).resolves.toBeDefined();
    }
    for (const queue of Object.values(topology.queues)) {
      await expect(broker.channel.checkQueue(queue.name)).resolves.toMatchObject({ queue: queue.name });
    }
  });

  it('declares again without error (idempotent while the definitions match)', async () => {
    await expect(Effect.runPromise(declareTopology(connection, topology, 5_000))).resolves.toBeUndefined();
  });

  it.each([
    ['another delivery limit', { ...commands.arguments, 'x-delivery-limit': 6 }],
    ['a classic queue', { ...commands.arguments, 'x-queue-type': 'classic' }],
    ['at-most-once dead-lettering', { ...commands.arguments, 'x-dead-letter-strategy': 'at-most-once' }],
    ['drop-head overflow', { ...commands.arguments, 'x-overflow': 'drop-head' }],
    ['another dead-letter exchange', { ...commands.arguments, 'x-dead-letter-exchange': 'elsewhere' }],
  ])('holds the commands queue arguments: redeclaring it with %s fails with PRECONDITION_FAILED', async (_, args) => {
    const channel = await broker.freshChannel();
    await expect(channel.assertQueue(commands.name, { durable: true, arguments: args })).rejects.toMatchObject({
      code: 406,
    });
  });

  it.each([
    ['a classic queue', { ...retries.arguments, 'x-queue-type': 'classic' }],
    ['another dead-letter routing key', { ...retries.arguments, 'x-dead-letter-routing-key': 'elsewhere' }],
  ])('holds the retry queue arguments: redeclaring it with %s fails with PRECONDITION_FAILED', async (_, args) => {
    const channel = await broker.freshChannel();
    await expect(channel.assertQueue(retries.name, { durable: true, arguments: args })).rejects.toMatchObject({
      code: 406,
    });
  });

  it('reports a mismatching redeclaration as a typed, non-retryable failure naming the queue', async () => {
    const mismatched = {
      ...topology,
      queues: {
        ...topology.queues,
        topUpCommands: { ...commands, arguments: { ...commands.arguments, 'x-delivery-limit': 9 } },
      },
    };
    const result = await Effect.runPromise(Effect.either(declareTopology(connection, mismatched, 5_000)));
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'TopologyDeclarationFailed',
      retryable: false,
      reason: `queue ${commands.name}: PRECONDITION_FAILED (406)`,
    });
  });

  it('fails as retryable, naming the connection, when there is no connection to declare on', async () => {
    const unstarted = makeBrokerConnection({
      url: testAmqpUrl(),
      connectionName: 'topology-spec-unstarted',
      connectTimeoutMs: 1_000,
      heartbeatSeconds: 15,
      reconnectMinDelayMs: 50,
      reconnectMaxDelayMs: 500,
    });
    const result = await Effect.runPromise(Effect.either(declareTopology(unstarted, topology, 50)));
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'TopologyDeclarationFailed',
      reason: 'connection: no connection within 50 ms',
      retryable: true,
    });
    await unstarted.close();
  });

  it('routes a command to the commands queue, and dead-letters it after the delivery limit (x-death delivery_limit)', async () => {
    const channel = await broker.freshChannel();
    channel.publish(topology.exchanges.commands.name, topology.routingKeys.topUpRequest, Buffer.from('{}'), {
      messageId: 'limit-1',
      persistent: true,
    });
    expect(await broker.waitForCount(commands.name, 1)).toBe(1);
    // a requeued message counts as a delivery; after 5 redeliveries (x-delivery-limit) the 6th return dead-letters it
    const deliveryCounts: unknown[] = [];
    for (let i = 0; i < 10; i += 1) {
      const message = await channel.get(commands.name, { noAck: false });
      if (message === false) {
        const deadLettered = await broker.waitForCount(topology.queues.deadLetters.name, 1);
        if (deadLettered === 1) break;
        continue;
      }
      deliveryCounts.push(message.properties.headers?.['x-delivery-count'] ?? 0);
      channel.nack(message, false, true);
    }
    expect(deliveryCounts).toEqual([0, 1, 2, 3, 4, 5]);
    const [deadLetter] = await broker.drain(topology.queues.deadLetters.name);
    expect(deadLetter?.properties.messageId).toBe('limit-1');
    const deaths = deadLetter?.properties.headers?.['x-death'] as { reason: string; queue: string }[] | undefined;
    expect(deaths?.[0]).toMatchObject({ reason: 'delivery_limit', queue: commands.name });
  });

  it('sends a message parked in the retry queue back to the commands queue when it expires, as a fresh delivery', async () => {
    const channel = await broker.freshChannel();
    channel.sendToQueue(retries.name, Buffer.from('{"v":1}'), {
      messageId: 'parked-1',
      type: 'topup.request',
      persistent: true,
      expiration: '600',
      headers: { 'x-retry-count': 3, 'x-schema-version': 1 },
    });
    const parkedAt = Date.now();
    expect(await broker.waitForCount(retries.name, 1)).toBe(1);
    expect(await broker.waitForCount(commands.name, 1, 5_000)).toBe(1);
    expect(Date.now() - parkedAt).toBeGreaterThanOrEqual(500);
    expect((await broker.channel.checkQueue(retries.name)).messageCount).toBe(0);
    const [back] = await broker.drain(commands.name);
    expect(back?.content.toString('utf8')).toBe('{"v":1}');
    expect(back?.fields).toMatchObject({ exchange: topology.exchanges.commands.name, routingKey: 'topup.request' });
    expect(back?.properties).toMatchObject({
      messageId: 'parked-1',
      type: 'topup.request',
      deliveryMode: 2,
      expiration: undefined,
      headers: { 'x-retry-count': 3, 'x-schema-version': 1 },
    });
    // a new message of the commands queue: its delivery count starts again
    expect(back?.properties.headers?.['x-delivery-count'] ?? 0).toBe(0);
    const deaths = back?.properties.headers?.['x-death'] as { reason: string; queue: string }[] | undefined;
    expect(deaths?.[0]).toMatchObject({ reason: 'expired', queue: retries.name });
  });

  it('routes every event routing key through the topic events exchange', async () => {
    const channel = await broker.freshChannel();
    await channel.assertQueue(eventsProbe, { durable: false, exclusive: false, autoDelete: false });
    await channel.bindQueue(eventsProbe, topology.exchanges.events.name, 'topup.#');
    for (const key of EVENT_ROUTING_KEYS) {
      channel.publish(topology.exchanges.events.name, key, Buffer.from('{}'), { type: key });
    }
    expect(await broker.waitForCount(eventsProbe, EVENT_ROUTING_KEYS.length)).toBe(EVENT_ROUTING_KEYS.length);
    const received = await broker.drain(eventsProbe);
    expect(received.map((m) => m.fields.routingKey)).toEqual([...EVENT_ROUTING_KEYS]);
  });
});
