// A top-up command whose optional fields are JSON null (a producer's
// serializer writing absent optionals as null) is processed as the command
// without them, through the batched intake: one top-up sent once, and a twin
// under the same key with the fields left out (or null again) is its repeat,
// never a conflict or a second top-up. A required field sent as null is
// still dead-lettered as malformed.
import 'reflect-metadata';
import { DEAD_LETTER_HEADERS } from '@airtime/messaging-rabbitmq';
import { type ConsumerHarness, startConsumerHarness, waitUntil } from './testing';

const commandBody = (fields: Record<string, unknown>) =>
  JSON.stringify({
    version: 1,
    account_id: 'acme',
    phone_number: '+639170000999',
    currency: 'PHP',
    max_amount: '30',
    ...fields,
  });

const NULLS = { desired_amount: null, product_id: null, exact_amount: null, callback_url: null, metadata: null };

describe('the consumer, with null for optional fields of a command', () => {
  let harness: ConsumerHarness;
  beforeAll(async () => {
    harness = await startConsumerHarness({
      label: 'consumer-nulls',
      env: { AMQP_PREFETCH: '20', COMMAND_BATCH_MAX: '20', CHANGE_BATCH_MAX: '20' },
    });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('processes a command with nulls as one without them; its twins under the key are repeats; a null required field is dead-lettered', async () => {
    await harness.publish([
      { messageId: 'nulls-1', body: commandBody({ external_id: 'order-nulls', ...NULLS }) },
      { messageId: 'absent-1', body: commandBody({ external_id: 'order-nulls' }) },
      { messageId: 'nulls-2', body: commandBody({ external_id: 'order-nulls', metadata: null, callback_url: null }) },
      { messageId: 'required-null', body: commandBody({ external_id: 'order-null-number', phone_number: null }) },
    ]);
    const handled = () => harness.logs().filter((line) => line['msg'] === 'top-up command handled');
    await waitUntil('every command to be handled', () => handled().length === 3, 60_000, 50);
    await waitUntil(
      'the malformed command in the dead-letter queue',
      async () =>
        (await harness.broker.channel.checkQueue(harness.topology.queues.deadLetters.name)).messageCount === 1,
    );

    const rows = await harness.query<{ id: string; external_id: string; request: Record<string, unknown> }>(
      `SELECT t.id, t.external_id, r.request FROM top_ups t JOIN top_up_requests r ON r.top_up_id = t.id`,
    );
    expect(rows.map((row) => row.external_id)).toEqual(['order-nulls']);
    expect(Object.keys(rows[0]?.request ?? {}).sort()).toEqual([
      'account_id',
      'currency',
      'exact_amount',
      'external_id',
      'max_amount',
    ]);
    const outcomes = handled().map((line) => line['outcome']);
    expect(outcomes.filter((outcome) => outcome === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== 'accepted')).toEqual(['duplicate', 'duplicate']);
    const sends = await harness.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM transfer_log WHERE record->>'method' = 'POST'`,
    );
    expect(sends).toEqual([{ count: 1 }]);

    const [letter] = await harness.broker.drain(harness.topology.queues.deadLetters.name);
    expect(letter?.properties.messageId).toBe('required-null');
    expect(String(letter?.properties.headers?.[DEAD_LETTER_HEADERS.reason] ?? '')).toMatch(
      /^MALFORMED_COMMAND: .*phone_number/,
    );
  }, 120_000);
});
