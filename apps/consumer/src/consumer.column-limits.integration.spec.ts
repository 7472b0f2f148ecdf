// A top-up command whose callback URL the request's checks accept (at most
// 2048 characters as sent) but the top_up_requests.callback_url column
// refuses: the URL kept is the parsed one, in which each non-ASCII character
// is percent-encoded (`é` becomes the 6 characters `%C3%A9`), and the
// column's CHECK is `octet_length(...) <= 2048` of that. Such a command can
// never succeed: it must be dead-lettered at once as an invalid request
// naming callback_url (as a URL over 2048 characters is), never retried as a
// storage failure, with nothing written.
import 'reflect-metadata';
import { DEAD_LETTER_HEADERS } from '@airtime/messaging-rabbitmq';
import { type ConsumerHarness, startConsumerHarness, waitUntil } from './testing';

const WRITTEN = ['top_ups', 'top_up_requests', 'ledger_holds', 'outbox'] as const;

describe('the consumer: a callback URL longer than its column once percent-encoded', () => {
  let harness: ConsumerHarness;

  const counts = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      await Promise.all(
        WRITTEN.map(async (table) => {
          const [row] = await harness.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`);
          return [table, row?.count ?? -1] as const;
        }),
      ),
    );

  beforeAll(async () => {
    // few, short retries: a command wrongly taken for a storage failure ends in the dead-letter queue quickly
    harness = await startConsumerHarness({
      label: 'consumer-column-limits',
      env: { CONSUMER_MAX_RETRIES: '2', CONSUMER_RETRY_DELAY_MS: '20', CONSUMER_RETRY_MAX_DELAY_MS: '50' },
    });
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('dead-letters the command as INVALID_TOP_UP_REQUEST on callback_url, without retrying it; nothing written', async () => {
    // 1 020 characters sent; 6 020 bytes once each é is %C3%A9
    const callbackUrl = `https://example.com/${'\u00e9'.repeat(1000)}`;
    expect(callbackUrl.length).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(new URL(callbackUrl).toString(), 'utf8')).toBeGreaterThan(2048);
    const before = await counts();

    await harness.publish([
      {
        messageId: 'long-callback-url',
        body: JSON.stringify({
          version: 1,
          external_id: 'order-long-callback-url',
          account_id: harness.accountId,
          phone_number: '+639171234999',
          currency: 'PHP',
          max_amount: '30',
          callback_url: callbackUrl,
        }),
      },
    ]);

    const deadLetters = harness.topology.queues.deadLetters.name;
    await waitUntil(
      'the command in the dead-letter queue',
      async () => (await harness.broker.channel.checkQueue(deadLetters)).messageCount >= 1,
    );
    const [letter] = await harness.broker.drain(deadLetters);
    const reason = String(letter?.properties.headers?.[DEAD_LETTER_HEADERS.reason] ?? '');
    expect({ messageId: letter?.properties.messageId, reason }).toEqual({
      messageId: 'long-callback-url',
      reason: expect.stringMatching(/^INVALID_TOP_UP_REQUEST: .*callback_url/),
    });
    const metrics = await (await fetch(`${harness.app.metricsUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/airtime_consumer_commands_total\{outcome="retried"\} [1-9]/);
    expect(await counts()).toEqual(before);
  });
});
