// The TopUpCommandQueue adapter against the real broker, on a topology of
// its own: a command enqueued is confirmed, persistent, on the commands
// queue, with exactly the properties publishTopUpCommands gives a command,
// and reads back as the same request; a refused publish is a retryable
// CommandEnqueueFailed that quotes no value of the command.
import { decodeTopUpCommand, TopUpCommandQueue, type TopUpCommandV1Json } from '@airtime/application';
import { Effect, Either } from 'effect';
import { testTopology, type RawBroker } from '../../testing';
import { type CommandPublisherRig, openCommandPublisher } from '../../testing/command-publisher.fixture';
import type { BrokerConnection } from '../connection/broker-connection.client';
import { makeConfirmPublisher, type ConfirmPublisher } from './confirm-publisher.client';
import { publishTopUpCommands } from './top-up-command.client';
import { makeTopUpCommandQueue, topUpCommandQueueLayer } from './top-up-command-queue.adapter';

const topology = testTopology('command-queue');
const commandsQueue = topology.queues.topUpCommands.name;
const at = new Date('2026-03-01T10:00:00.000Z');

let rig: CommandPublisherRig;
let broker: RawBroker;
let connection: BrokerConnection;
let publisher: ConfirmPublisher;

const commandOf = (externalId: string): TopUpCommandV1Json => ({
  version: 1,
  external_id: externalId,
  account_id: 'acme',
  phone_number: '+639171234100',
  currency: 'PHP',
  max_amount: '100',
  desired_amount: '50',
  exact_amount: false,
  callback_url: 'https://acme.example/cb',
});

beforeAll(async () => {
  rig = await openCommandPublisher(topology, 'command-queue-spec');
  ({ connection, publisher, broker } = rig);
});

beforeEach(async () => {
  await broker.channel.purgeQueue(commandsQueue);
});

afterAll(async () => {
  await rig.close();
});

describe('the TopUpCommandQueue on RabbitMQ', () => {
  it('enqueues a command confirmed and persistent, with the properties publishTopUpCommands gives it', async () => {
    const queue = makeTopUpCommandQueue(publisher, topology, { now: () => at });
    await Effect.runPromise(queue.enqueue(commandOf('order-1'), 'api:topup-1'));
    const { version: _version, ...input } = commandOf('order-2');
    await Effect.runPromise(
      publishTopUpCommands(publisher, topology, [{ command: input, messageId: 'producer-2' }], { now: () => at }),
    );
    const messages = await broker.drain(commandsQueue);
    expect(messages).toHaveLength(2);
    const [enqueued, published] = messages;
    expect(enqueued?.fields).toMatchObject({ exchange: topology.exchanges.commands.name, routingKey: 'topup.request' });
    expect(enqueued?.properties).toMatchObject({
      messageId: 'api:topup-1',
      type: 'topup.request',
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      correlationId: 'order-1',
      deliveryMode: 2,
      timestamp: at.getTime() / 1_000,
      headers: { 'x-schema-version': 1 },
    });
    // the same properties as a producer's command, but for its ids
    const comparable = (properties: object | undefined) => ({
      ...properties,
      messageId: undefined,
      correlationId: undefined,
    });
    expect(comparable(enqueued?.properties)).toEqual(comparable(published?.properties));
    // what the consumer reads back is the request
    const { version: _v, ...expected } = commandOf('order-1');
    expect(Either.getOrThrow(decodeTopUpCommand(enqueued?.content ?? new Uint8Array()))).toEqual(expected);
  });

  it('is provided by its layer', async () => {
    await Effect.runPromise(
      Effect.flatMap(TopUpCommandQueue, (queue) => queue.enqueue(commandOf('order-3'), 'api:topup-3')).pipe(
        Effect.provide(topUpCommandQueueLayer(publisher, topology)),
      ),
    );
    const [message] = await broker.drain(commandsQueue);
    expect(message?.properties.messageId).toBe('api:topup-3');
  });

  it('fails retryably when the broker does not take it, quoting no value of the command', async () => {
    const closed = makeConfirmPublisher({ connection, confirmTimeoutMs: 1_000 });
    await closed.close();
    const failure = await Effect.runPromise(
      Effect.flip(makeTopUpCommandQueue(closed, topology).enqueue(commandOf('order-4'), 'api:topup-4')),
    );
    expect(failure).toMatchObject({
      _tag: 'CommandEnqueueFailed',
      code: 'COMMAND_ENQUEUE_FAILED',
      retryable: true,
      reason: 'publisher-closed: the publisher is closed',
    });
    expect(failure.message).not.toMatch(/order-4|639171234100|acme/);
    // nothing bound for the routing key: unroutable (mandatory), not dropped
    await broker.channel.unbindQueue(
      commandsQueue,
      topology.exchanges.commands.name,
      topology.routingKeys.topUpRequest,
    );
    try {
      const unroutable = await Effect.runPromise(
        Effect.flip(makeTopUpCommandQueue(publisher, topology).enqueue(commandOf('order-5'), 'api:topup-5')),
      );
      expect(unroutable.reason).toMatch(/^unroutable: /);
    } finally {
      await broker.channel.bindQueue(
        commandsQueue,
        topology.exchanges.commands.name,
        topology.routingKeys.topUpRequest,
      );
    }
  });
});
