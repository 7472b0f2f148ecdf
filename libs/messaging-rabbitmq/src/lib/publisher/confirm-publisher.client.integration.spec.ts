import { Effect, Either } from 'effect';
import {
  deleteTopology,
  openRawBroker,
  recordingLogger,
  startTcpProxy,
  testAmqpUrl,
  testTopology,
  type RawBroker,
  type RecordingLogger,
  type TcpProxy,
} from '../../testing';
import { makeBrokerConnection, type BrokerConnection } from '../connection/broker-connection.client';
import { declareTopology } from '../topology/topology-declarer';
import { makeConfirmPublisher, type ConfirmPublisher, type OutgoingMessage } from './confirm-publisher.client';

const topology = testTopology('publisher');
const commandsQueue = topology.queues.topUpCommands.name;
const settings = { connectTimeoutMs: 2_000, heartbeatSeconds: 15, reconnectMinDelayMs: 20, reconnectMaxDelayMs: 200 };

let broker: RawBroker;
let proxy: TcpProxy;
let logger: RecordingLogger;
let base: BrokerConnection;
const resources: { close: () => Promise<void> }[] = [];

const connectVia = async (url: string): Promise<BrokerConnection> => {
  const connection = makeBrokerConnection({ url, connectionName: 'publisher-spec', logger, ...settings });
  resources.push(connection);
  await Effect.runPromise(connection.start);
  return connection;
};

const publisherOn = (
  connection: BrokerConnection,
  extra: { confirmTimeoutMs?: number; highWaterMark?: number } = {},
) => {
  const publisher = makeConfirmPublisher({ connection, confirmTimeoutMs: 3_000, logger, ...extra });
  resources.unshift(publisher); // closed before its connection
  return publisher;
};

const command = (messageId: string, payload: unknown = { externalId: messageId }): OutgoingMessage => ({
  exchange: topology.exchanges.commands.name,
  routingKey: topology.routingKeys.topUpRequest,
  messageId,
  type: 'topup.request',
  payload,
});

/** Resolves when `connection` is connected again after a loss. */
const reconnected = (connection: BrokerConnection): Promise<void> =>
  new Promise((resolve) => {
    const off = connection.onStateChange((change) => {
      if (change.from === 'reconnecting' && change.to === 'connected') {
        off();
        resolve();
      }
    });
  });

const outcome = (publisher: ConfirmPublisher, message: OutgoingMessage) =>
  Effect.runPromise(Effect.either(publisher.publish(message)));

beforeAll(async () => {
  logger = recordingLogger();
  base = makeBrokerConnection({ url: testAmqpUrl(), connectionName: 'publisher-spec', ...settings });
  await Effect.runPromise(base.start);
  await Effect.runPromise(declareTopology(base, topology, 5_000));
  broker = await openRawBroker();
});

beforeEach(async () => {
  proxy = await startTcpProxy({
    host: new URL(testAmqpUrl()).hostname,
    port: Number(new URL(testAmqpUrl()).port || 5672),
  });
  await broker.channel.purgeQueue(commandsQueue);
});

afterEach(async () => {
  for (const resource of resources.splice(0)) await resource.close();
  await proxy.close();
});

afterAll(async () => {
  await base.close();
  await broker.close();
  await deleteTopology(topology);
});

describe('confirm publisher (RabbitMQ)', () => {
  it('publishes a persistent JSON message with its id, type and timestamp, once confirmed', async () => {
    const connection = await connectVia(testAmqpUrl());
    const publisher = publisherOn(connection);
    const result = await outcome(publisher, {
      ...command('cmd-1', { externalId: 'cmd-1', amountMinor: '1000' }),
      correlationId: 'corr-1',
      headers: { 'x-schema-version': 1 },
      timestamp: new Date('2026-11-30T12:00:00.750Z'),
    });
    expect(Either.isRight(result)).toBe(true);
    const [message] = await broker.drain(commandsQueue);
    expect(message?.properties).toMatchObject({
      messageId: 'cmd-1',
      type: 'topup.request',
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryMode: 2,
      correlationId: 'corr-1',
      timestamp: Date.parse('2026-11-30T12:00:00Z') / 1000,
      headers: { 'x-schema-version': 1 },
    });
    expect(JSON.parse(message?.content.toString('utf8') ?? '')).toEqual({ externalId: 'cmd-1', amountMinor: '1000' });
    expect(publisher.stats()).toEqual({ inFlight: 0, drainWaits: 0 });
  });

  it('confirms many concurrent publishes, each exactly once', async () => {
    const publisher = publisherOn(await connectVia(testAmqpUrl()));
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => outcome(publisher, command(`many-${i}`))));
    expect(results.every(Either.isRight)).toBe(true);
    expect(await broker.waitForCount(commandsQueue, 200)).toBe(200);
  });

  it('fails a payload with no JSON form as a non-retryable encoding failure, sending nothing', async () => {
    const publisher = publisherOn(await connectVia(testAmqpUrl()));
    const bigint = await outcome(publisher, command('enc-1', { amountMinor: 10n }));
    expect(Either.isLeft(bigint) && bigint.left).toMatchObject({
      _tag: 'PublishFailed',
      kind: 'encoding',
      retryable: false,
    });
    const nothing = await outcome(publisher, { ...command('enc-2'), payload: undefined });
    expect(Either.isLeft(nothing) && nothing.left.kind).toBe('encoding');
    expect((await broker.channel.checkQueue(commandsQueue)).messageCount).toBe(0);
  });

  it('fails a mandatory message that no queue is bound for as unroutable', async () => {
    const publisher = publisherOn(await connectVia(testAmqpUrl()));
    const result = await outcome(publisher, {
      ...command('unroutable-1'),
      routingKey: 'no.such.binding',
      mandatory: true,
    });
    expect(Either.isLeft(result) && result.left).toMatchObject({ kind: 'unroutable', retryable: false });
    const routed = await outcome(publisher, { ...command('routed-1'), mandatory: true });
    expect(Either.isRight(routed)).toBe(true);
  });

  it('fails a publish to a missing exchange (the broker closes the channel), then publishes on a reopened channel', async () => {
    const publisher = publisherOn(await connectVia(testAmqpUrl()));
    const missing = await outcome(publisher, {
      ...command('missing-1'),
      exchange: `${topology.prefix}.no-such-exchange`,
    });
    expect(Either.isLeft(missing) && missing.left).toMatchObject({
      kind: 'channel-closed',
      reason: 'the channel closed before the confirm: NOT_FOUND (404)',
      retryable: false,
    });
    const next = await outcome(publisher, command('after-missing-1'));
    expect(Either.isRight(next)).toBe(true);
  });

  it('fails with a timeout when the confirm never arrives (a stalled link), then recovers once the link is cut', async () => {
    const connection = await connectVia(proxy.urlFor(testAmqpUrl()));
    // the file's 3 s timeout: the publishes before and after the stall (a channel opened, a confirm) are real
    // round trips that a loaded machine's broker answers well within it
    const publisher = publisherOn(connection);
    expect(Either.isRight(await outcome(publisher, command('before-stall')))).toBe(true);

    proxy.freezeDownstream(true); // the broker's confirms are held back; nothing is closed
    const started = Date.now();
    const stalled = await outcome(publisher, command('stalled-1'));
    const elapsedMs = Date.now() - started;
    // ended by the confirm timeout (its reason), not by a closed channel (the link's heartbeat runs out far later)
    expect(Either.isLeft(stalled) && stalled.left).toMatchObject({
      kind: 'timeout',
      reason: 'no confirm arrived within the confirm timeout of 3000 ms',
      retryable: true,
    });
    expect(elapsedMs).toBeGreaterThanOrEqual(2_990);

    const back = reconnected(connection);
    proxy.dropAll();
    proxy.freezeDownstream(false);
    await back;
    const after = await outcome(publisher, command('after-stall'));
    expect(Either.isRight(after)).toBe(true);
    // the stalled message itself reached the broker: a retry with the same message id is what consumers dedupe
    const ids = (await broker.drain(commandsQueue)).map((m) => m.properties.messageId);
    expect(ids).toEqual(['before-stall', 'stalled-1', 'after-stall']);
  });

  it('fails publishes in flight when the connection is killed, without waiting for the timeout, and publishes after the reconnect', async () => {
    const connection = await connectVia(proxy.urlFor(testAmqpUrl()));
    const confirmTimeoutMs = 5_000;
    const publisher = publisherOn(connection, { confirmTimeoutMs });
    expect(Either.isRight(await outcome(publisher, command('before-kill')))).toBe(true);

    proxy.freezeDownstream(true);
    const inFlight = Promise.all([outcome(publisher, command('killed-1')), outcome(publisher, command('killed-2'))]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(publisher.stats().inFlight).toBe(2);
    const killedAt = Date.now();
    const back = reconnected(connection);
    proxy.dropAll();
    const failures = await inFlight;
    // not at the confirm timeout: each failed as its channel closed (channel-closed below, never timeout)
    expect(Date.now() - killedAt).toBeLessThan(confirmTimeoutMs);
    for (const failure of failures) {
      expect(Either.isLeft(failure) && failure.left).toMatchObject({
        _tag: 'PublishFailed',
        kind: 'channel-closed',
        retryable: true,
      });
      expect(Either.isLeft(failure) && failure.left.reason).toMatch(
        /^the channel closed before the confirm: connection lost/,
      );
    }
    proxy.freezeDownstream(false);
    await back;
    const after = await outcome(publisher, command('after-kill'));
    expect(Either.isRight(after)).toBe(true);
    expect(connection.state()).toBe('connected');
  });

  it('waits for drain when publish() returns false (a full write buffer), and confirms everything once it drains', async () => {
    const connection = await connectVia(proxy.urlFor(testAmqpUrl()));
    const publisher = publisherOn(connection, { confirmTimeoutMs: 10_000, highWaterMark: 16 });
    expect(Either.isRight(await outcome(publisher, command('warm-up')))).toBe(true);

    proxy.freezeUpstream(true); // the client's socket stops draining: the channel's write buffer fills up
    const large = { blob: 'x'.repeat(64 * 1024) };
    const pending = Promise.all(Array.from({ length: 300 }, (_, i) => outcome(publisher, command(`big-${i}`, large))));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publisher.stats().drainWaits).toBeGreaterThanOrEqual(1);
    expect(publisher.stats().inFlight).toBe(300);
    expect(logger.records.some((r) => r.message.startsWith('amqp write buffer full'))).toBe(true);

    proxy.freezeUpstream(false);
    const results = await pending;
    expect(results.filter(Either.isLeft)).toEqual([]);
    expect(await broker.waitForCount(commandsQueue, 301)).toBe(301);
  });

  it('refuses publishes once closed', async () => {
    const publisher = publisherOn(await connectVia(testAmqpUrl()));
    await publisher.close();
    const result = await outcome(publisher, command('closed-1'));
    expect(Either.isLeft(result) && result.left).toMatchObject({ kind: 'publisher-closed', retryable: false });
  });
});
