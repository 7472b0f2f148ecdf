import { EventPublisher, relayOutbox, type PendingEvent } from '@airtime/application';
import { makeRelayClock, makeRelayOutboxFeed, makeRelayUnitOfWork } from '@airtime/application/testing';
import { Effect, Either, Layer } from 'effect';
import {
  deleteTopology,
  openRawBroker,
  startTcpProxy,
  testAmqpUrl,
  testTopology,
  type RawBroker,
  type TcpProxy,
} from '../../testing';
import { makeBrokerConnection, type BrokerConnection } from '../connection/broker-connection.client';
import { declareTopology } from '../topology/topology-declarer';
import { makeConfirmPublisher, type ConfirmPublisher } from './confirm-publisher.client';
import { eventPublisherLayer, makeEventPublisher } from './event-publisher.adapter';

const topology = testTopology('event-publisher');
const probe = `${topology.prefix}.events-probe`;
const settings = { connectTimeoutMs: 2_000, heartbeatSeconds: 15, reconnectMinDelayMs: 20, reconnectMaxDelayMs: 200 };

let broker: RawBroker;
let connection: BrokerConnection;
let publisher: ConfirmPublisher;

const eventOf = (n: number, type = 'topup.completed'): PendingEvent => ({
  id: `evt-${n}`,
  type,
  aggregateId: `topup-${n}`,
  payload: { topUpId: `topup-${n}`, status: 'COMPLETED', receive: { amount: '50.00', currency: 'PHP' } },
  occurredAt: new Date('2026-12-01T10:00:00Z'),
  publishAttempts: 0,
});

beforeAll(async () => {
  connection = makeBrokerConnection({ url: testAmqpUrl(), connectionName: 'event-publisher-spec', ...settings });
  await Effect.runPromise(connection.start);
  await Effect.runPromise(declareTopology(connection, topology, 5_000));
  publisher = makeConfirmPublisher({ connection, confirmTimeoutMs: 3_000 });
  broker = await openRawBroker();
  await broker.channel.assertQueue(probe, { durable: false });
  await broker.channel.bindQueue(probe, topology.exchanges.events.name, 'topup.#');
});

beforeEach(async () => {
  await broker.channel.purgeQueue(probe);
});

afterAll(async () => {
  await publisher.close();
  await connection.close();
  await broker.close();
  await deleteTopology(topology, [probe]);
});

describe('event publisher (RabbitMQ)', () => {
  it('publishes each event to the events exchange by its type, with its id as message id, persistent JSON', async () => {
    const service = makeEventPublisher(publisher, topology);
    await Effect.runPromise(service.publish([eventOf(1), eventOf(2, 'topup.failed')]));
    const messages = await broker.drain(probe);
    expect(messages.map((m) => [m.fields.exchange, m.fields.routingKey, m.properties.messageId])).toEqual([
      [topology.exchanges.events.name, 'topup.completed', 'evt-1'],
      [topology.exchanges.events.name, 'topup.failed', 'evt-2'],
    ]);
    expect(messages[0]?.properties).toMatchObject({
      type: 'topup.completed',
      contentType: 'application/json',
      deliveryMode: 2,
      timestamp: Date.parse('2026-12-01T10:00:00Z') / 1000,
      headers: { 'x-event-type': 'topup.completed', 'x-aggregate-id': 'topup-1' },
    });
    expect(JSON.parse(messages[0]?.content.toString('utf8') ?? '')).toEqual(eventOf(1).payload);
  });

  it('confirms a large batch as a whole', async () => {
    const service = makeEventPublisher(publisher, topology);
    const events = Array.from({ length: 500 }, (_, i) => eventOf(i));
    await Effect.runPromise(service.publish(events));
    expect(await broker.waitForCount(probe, 500)).toBe(500);
  });

  it('fails the batch, retryable and naming the kind, when confirms do not arrive', async () => {
    const url = new URL(testAmqpUrl());
    const proxy: TcpProxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5672) });
    const viaProxy = makeBrokerConnection({ url: proxy.urlFor(testAmqpUrl()), connectionName: 'stalled', ...settings });
    await Effect.runPromise(viaProxy.start);
    const slow = makeConfirmPublisher({ connection: viaProxy, confirmTimeoutMs: 300 });
    try {
      proxy.freezeDownstream(true);
      const result = await Effect.runPromise(
        Effect.either(makeEventPublisher(slow, topology).publish([eventOf(1), eventOf(2)])),
      );
      expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'EventPublishFailed', retryable: true });
      expect(Either.isLeft(result) && result.left.reason).toMatch(/^2 of 2 events not confirmed \(timeout: /);
    } finally {
      proxy.freezeDownstream(false);
      await slow.close();
      await viaProxy.close();
      await proxy.close();
    }
  });

  it('fails when the events exchange does not exist (the broker closes the channel)', async () => {
    const missing = {
      ...topology,
      exchanges: { ...topology.exchanges, events: { name: `${probe}-none`, type: 'topic' as const } },
    };
    const result = await Effect.runPromise(Effect.either(makeEventPublisher(publisher, missing).publish([eventOf(1)])));
    expect(Either.isLeft(result) && result.left.reason).toMatch(/1 of 1 events not confirmed \(channel-closed: /);
    // the publisher's channel is reopened for the next batch
    await Effect.runPromise(makeEventPublisher(publisher, topology).publish([eventOf(3)]));
    expect((await broker.drain(probe)).map((m) => m.properties.messageId)).toEqual(['evt-3']);
  });

  it('runs the outbox relay end to end: events reach the broker and are marked sent after the confirm', async () => {
    const unitOfWork = makeRelayUnitOfWork();
    const feed = makeRelayOutboxFeed(unitOfWork);
    feed.append(Array.from({ length: 7 }, (_, i) => eventOf(100 + i)));
    const layer = Layer.mergeAll(
      unitOfWork.layer,
      feed.layer,
      makeRelayClock().layer,
      eventPublisherLayer(publisher, topology),
    );
    const run = Effect.runPromise(relayOutbox({ batchSize: 5 }).pipe(Effect.provide(layer)));
    expect(await run).toBe(5);
    expect(await Effect.runPromise(relayOutbox({ batchSize: 5 }).pipe(Effect.provide(layer)))).toBe(2);
    expect(feed.records().every((r) => r.sentAt !== undefined && r.sentMarks === 1)).toBe(true);
    expect(await broker.waitForCount(probe, 7)).toBe(7);
    // the layer provides the application's tag
    expect(Effect.runSync(Effect.provide(EventPublisher, eventPublisherLayer(publisher, topology)))).toHaveProperty(
      'publish',
    );
  });
});
