// A provider outage longer than the commands queue's delivery limit loses no
// command: each retry waits in the retry queue with a growing delay and comes
// back as a fresh delivery, so none is dead-lettered for `delivery_limit`;
// once the provider is back every command becomes its top-up, sent once.
// (Before the retry queue, 5 requeues 50 ms apart dead-lettered them all.)
import 'reflect-metadata';
import { type ConsumerHarness, startConsumerHarness, waitUntil } from './testing';

const COMMANDS = 5;

const commandBody = (index: number) =>
  JSON.stringify({
    version: 1,
    account_id: 'acme',
    external_id: `outage-${index}`,
    phone_number: `+63917${String(index).padStart(4, '0')}999`,
    currency: 'PHP',
    max_amount: '30',
  });

const parkedRetries = (harness: ConsumerHarness) =>
  harness.logs().filter((line) => line['msg'] === 'amqp delivery parked in the retry queue');

describe('the consumer during a provider outage', () => {
  let harness: ConsumerHarness;
  beforeAll(async () => {
    harness = await startConsumerHarness({
      label: 'consumer-outage',
      env: { CONSUMER_RETRY_DELAY_MS: '50', CONSUMER_RETRY_MAX_DELAY_MS: '400', CONSUMER_MAX_RETRIES: '100' },
    });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('retries every command past the delivery limit without dead-lettering it, then sends each once', async () => {
    const { topology, broker } = harness;
    harness.simulator.setFaults({ errorRate: 1, errorStatus: 503 });
    await harness.publish(
      Array.from({ length: COMMANDS }, (_, index) => ({ messageId: `outage-${index}`, body: commandBody(index) })),
    );
    // every command failed more often than x-delivery-limit (5) allows requeues
    await waitUntil('each command to be retried 7 times', () => parkedRetries(harness).length >= COMMANDS * 7, 60_000);
    expect((await broker.channel.checkQueue(topology.queues.deadLetters.name)).messageCount).toBe(0);
    expect(await harness.query(`SELECT id FROM top_ups`)).toEqual([]);
    const retried = parkedRetries(harness);
    expect(retried.some((line) => line['retry'] === 7)).toBe(true);
    expect(retried.every((line) => String(line['reason']).startsWith('PROVIDER_UNAVAILABLE: '))).toBe(true);

    harness.simulator.setFaults({ errorRate: 0 });
    // sent and accepted (the simulator completes them later, by callback)
    await waitUntil(
      'every command to be handled',
      () => harness.logs().filter((line) => line['msg'] === 'top-up command handled').length === COMMANDS,
      60_000,
    );
    const statuses = await harness.query<{ status_class: string }>(`SELECT status_class FROM top_ups`);
    expect(statuses).toHaveLength(COMMANDS);
    for (const { status_class } of statuses) expect(['CONFIRMED', 'COMPLETED']).toContain(status_class);
    const sends = await harness.query<{ external_id: string; attempts: number }>(
      `SELECT t.external_id, (SELECT count(*)::int FROM top_up_attempts a WHERE a.top_up_id = t.id) AS attempts
         FROM top_ups t ORDER BY t.external_id`,
    );
    expect(sends).toEqual(
      Array.from({ length: COMMANDS }, (_, index) => ({ external_id: `outage-${index}`, attempts: 1 })),
    );
    expect(harness.simulator.engine.transactions({ fromMs: 0 })).toHaveLength(COMMANDS);
    expect((await broker.channel.checkQueue(topology.queues.deadLetters.name)).messageCount).toBe(0);
    expect((await broker.channel.checkQueue(topology.queues.topUpCommandsRetry.name)).messageCount).toBe(0);
  }, 150_000);
});
