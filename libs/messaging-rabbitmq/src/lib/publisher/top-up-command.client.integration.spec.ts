import { decodeTopUpCommand } from '@airtime/application';
import { Effect, Either } from 'effect';
import { testTopology, type RawBroker } from '../../testing';
import { type CommandPublisherRig, openCommandPublisher } from '../../testing/command-publisher.fixture';
import { topologyFor } from '../topology/topology.table';
import type { ConfirmPublisher } from './confirm-publisher.client';
import { publishTopUpCommands, type PublishProgress } from './top-up-command.client';

const topology = testTopology('command-client');
const commandsQueue = topology.queues.topUpCommands.name;

let rig: CommandPublisherRig;
let broker: RawBroker;
let publisher: ConfirmPublisher;

const commandOf = (n: number, extra: Record<string, unknown> = {}) => ({
  external_id: `order-${n}`,
  account_id: 'acme',
  phone_number: '+639171234100',
  currency: 'PHP',
  max_amount: '100',
  ...extra,
});

beforeAll(async () => {
  rig = await openCommandPublisher(topology, 'command-client-spec');
  ({ publisher, broker } = rig);
});

beforeEach(async () => {
  await broker.channel.purgeQueue(commandsQueue);
});

afterAll(async () => {
  await rig.close();
});

describe('publishTopUpCommands (RabbitMQ)', () => {
  it('publishes each valid command as a v1 message with a message id of its own, confirmed', async () => {
    const report = await Effect.runPromise(
      publishTopUpCommands(publisher, topology, [
        { command: commandOf(1, { desired_amount: '50', callback_url: 'https://acme.example/cb' }) },
        { command: commandOf(2), messageId: 'given-id-2' },
        { command: commandOf(3) },
      ]),
    );
    expect(report).toMatchObject({ total: 3, published: 3, invalid: [], failed: [] });
    const messages = await broker.drain(commandsQueue);
    expect(messages).toHaveLength(3);
    const byExternalId = new Map(messages.map((m) => [m.properties.correlationId as string, m]));
    const first = byExternalId.get('order-1');
    expect(first?.fields).toMatchObject({ exchange: topology.exchanges.commands.name, routingKey: 'topup.request' });
    expect(first?.properties).toMatchObject({
      type: 'topup.request',
      contentType: 'application/json',
      deliveryMode: 2,
      headers: { 'x-schema-version': 1 },
    });
    expect(first?.properties.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(byExternalId.get('order-2')?.properties.messageId).toBe('given-id-2');
    expect(new Set(messages.map((m) => m.properties.messageId)).size).toBe(3);
    expect([...report.messageIds.values()].sort()).toEqual(messages.map((m) => m.properties.messageId).sort());
    // what the consumer reads back
    expect(Either.getOrThrow(decodeTopUpCommand(first?.content ?? new Uint8Array()))).toEqual({
      ...commandOf(1, { desired_amount: '50', callback_url: 'https://acme.example/cb' }),
      exact_amount: false,
    });
  });

  it('publishes none of the invalid commands, listing each with a reason that quotes no value', async () => {
    const report = await Effect.runPromise(
      publishTopUpCommands(publisher, topology, [
        { command: commandOf(1) },
        { command: commandOf(2, { max_amount: 'ten', phone_number: 639171234100 }) },
        { command: 'not an object' },
        { command: commandOf(4, { maxx_amount: '1' }) },
      ]),
    );
    expect(report.published).toBe(1);
    expect(report.invalid.map((i) => i.index)).toEqual([1, 2, 3]);
    expect(report.invalid[0]?.reason).toMatch(/max_amount .*phone_number|phone_number .*max_amount/);
    expect(JSON.stringify(report.invalid)).not.toMatch(/639171234100|ten/);
    expect(await broker.waitForCount(commandsQueue, 1)).toBe(1);
  });

  it('reports progress after each command, ending at the totals', async () => {
    const seen: PublishProgress[] = [];
    const commands: { command: unknown }[] = Array.from({ length: 300 }, (_, i) => ({ command: commandOf(i) }));
    commands[7] = { command: { external_id: 'bad' } };
    const report = await Effect.runPromise(
      publishTopUpCommands(publisher, topology, commands, { onProgress: (p) => seen.push(p), concurrency: 50 }),
    );
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(seen.at(-1)).toEqual({ total: 300, done: 300, published: 299, invalid: 1, failed: 0 });
    expect(report.published).toBe(299);
    expect(await broker.waitForCount(commandsQueue, 299)).toBe(299);
  });

  it('fails, without retrying, a command no queue is bound for (never a silent drop)', async () => {
    const unbound = topologyFor(`${topology.prefix}-unbound`);
    const raw = await broker.freshChannel();
    await raw.assertExchange(unbound.exchanges.commands.name, 'direct', { durable: false, autoDelete: true });
    try {
      const report = await Effect.runPromise(publishTopUpCommands(publisher, unbound, [{ command: commandOf(1) }]));
      expect(report.published).toBe(0);
      expect(report.failed).toEqual([
        { index: 0, messageId: expect.any(String), reason: expect.stringMatching(/^unroutable: /) },
      ]);
    } finally {
      await raw.deleteExchange(unbound.exchanges.commands.name).catch(() => undefined);
      await raw.close().catch(() => undefined);
    }
  });
});
