// A valid v1 top-up body under message properties that say it is something
// else: another content type (or a charset other than UTF-8), a content
// encoding (gzip: the bytes are not the JSON they look like), an
// `x-schema-version` header or a `type` disagreeing with what the README
// documents for a command. Each must be dead-lettered as MALFORMED_COMMAND
// naming the property (never a value of the body), with nothing written and
// no money moved. A command with no content type at all, and the properties
// the platform's own publishers send (`publishTopUpCommands`, topup:publish:
// content-encoding `utf-8`), go through, as do properties set empty (pika),
// a content-encoding `utf8` in any case, and an `x-schema-version` header
// that is null (AMQP void) or the bytes of '1' (Go's []byte). And a request
// nothing is sold for is dead-lettered naming max_amount, never quoting its
// amount.
import 'reflect-metadata';
import { COMMAND_VERSION_HEADER, DEAD_LETTER_HEADERS, TOP_UP_COMMAND_TYPE } from '@airtime/messaging-rabbitmq';
import { type ConsumerHarness, startConsumerHarness, waitUntil } from './testing';

const PHONE = '+639171234999';

describe('the consumer: a top-up command under properties that disagree with it', () => {
  let harness: ConsumerHarness;

  const body = (externalId: string, fields: Record<string, unknown> = {}) =>
    JSON.stringify({
      version: 1,
      external_id: externalId,
      account_id: harness.accountId,
      phone_number: PHONE,
      currency: 'PHP',
      max_amount: '30',
      ...fields,
    });

  /** The top-ups and requests written for the given external ids. */
  const writtenFor = async (externalIds: readonly string[]) => {
    const [topUps] = await harness.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM top_ups WHERE external_id = ANY($1)',
      [externalIds],
    );
    const [requests] = await harness.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM top_up_requests WHERE external_id = ANY($1)',
      [externalIds],
    );
    return { topUps: topUps?.count, requests: requests?.count };
  };

  beforeAll(async () => {
    harness = await startConsumerHarness({
      label: 'consumer-envelope',
      env: { CONSUMER_MAX_RETRIES: '2', CONSUMER_RETRY_DELAY_MS: '20', CONSUMER_RETRY_MAX_DELAY_MS: '50' },
    });
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('dead-letters each naming the property, never a value of the body; nothing written; the documented ones go through', async () => {
    const refused = [
      { messageId: 'env-text-plain', properties: { contentType: 'text/plain' }, property: 'content-type' },
      { messageId: 'env-gzip', properties: { contentEncoding: 'gzip' }, property: 'content-encoding' },
      { messageId: 'env-deflate', properties: { contentEncoding: 'deflate' }, property: 'content-encoding' },
      {
        messageId: 'env-latin1',
        properties: { contentType: 'application/json; charset=iso-8859-1' },
        property: 'content-type',
      },
      {
        messageId: 'env-version-2',
        properties: { headers: { [COMMAND_VERSION_HEADER]: 2 } },
        property: COMMAND_VERSION_HEADER,
      },
      {
        messageId: 'env-version-text',
        properties: { headers: { [COMMAND_VERSION_HEADER]: 'two' } },
        property: COMMAND_VERSION_HEADER,
      },
      { messageId: 'env-type', properties: { type: 'topup.cancel' }, property: 'type' },
      {
        messageId: 'env-version-bytes-2',
        properties: { headers: { [COMMAND_VERSION_HEADER]: Buffer.from('2') } },
        property: COMMAND_VERSION_HEADER,
      },
      {
        messageId: 'env-gzip-empty-type',
        properties: { contentEncoding: 'gzip', type: '' },
        property: 'content-encoding',
      },
    ] as const;
    const accepted = [
      { messageId: 'env-no-content-type', properties: { contentType: undefined } },
      { messageId: 'env-charset-utf8', properties: { contentType: 'Application/JSON; charset="UTF-8"' } },
      { messageId: 'env-identity', properties: { contentEncoding: 'identity' } },
      {
        messageId: 'env-version-1',
        properties: { headers: { [COMMAND_VERSION_HEADER]: 1 }, type: TOP_UP_COMMAND_TYPE },
      },
      { messageId: 'env-encoding-utf8', properties: { contentEncoding: 'utf8' } },
      { messageId: 'env-encoding-UTF8', properties: { contentEncoding: 'UTF8' } },
      // pika sends '' for a property set so: it says nothing
      { messageId: 'env-empty-properties', properties: { contentType: '', contentEncoding: '', type: '' } },
      // an explicit null header travels as AMQP void
      { messageId: 'env-version-null', properties: { headers: { [COMMAND_VERSION_HEADER]: null } } },
      // Go's []byte header travels as an AMQP byte array, which amqplib hands over as a Buffer
      { messageId: 'env-version-bytes-1', properties: { headers: { [COMMAND_VERSION_HEADER]: Buffer.from('1') } } },
    ] as const;
    // the properties publishTopUpCommands (and so topup:publish and the API's queue) gives a command
    const published = {
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      type: TOP_UP_COMMAND_TYPE,
      correlationId: 'env-published',
      timestamp: Math.floor(Date.now() / 1000),
      headers: { [COMMAND_VERSION_HEADER]: 1 },
    };

    await harness.publish([
      ...refused.map((one) => ({ messageId: one.messageId, body: body(one.messageId), properties: one.properties })),
      ...accepted.map((one) => ({ messageId: one.messageId, body: body(one.messageId), properties: one.properties })),
      { messageId: 'env-published', body: body('env-published'), properties: published },
      { messageId: 'env-nothing-to-sell', body: body('env-nothing-to-sell', { max_amount: '1' }) },
    ]);

    const deadLetters = harness.topology.queues.deadLetters.name;
    await waitUntil(
      'the refused commands in the dead-letter queue',
      async () => (await harness.broker.channel.checkQueue(deadLetters)).messageCount >= refused.length + 1,
    );
    await waitUntil('the accepted commands handled', async () => {
      const handled = harness.logs().filter((line) => line['msg'] === 'top-up command handled');
      return handled.length >= accepted.length + 1;
    });
    const letters = await harness.broker.drain(deadLetters);
    const reasons = new Map(
      letters.map((letter) => [
        String(letter.properties.messageId),
        String(letter.properties.headers?.[DEAD_LETTER_HEADERS.reason] ?? ''),
      ]),
    );
    for (const one of refused) {
      const reason = reasons.get(one.messageId) ?? '';
      expect({ messageId: one.messageId, reason }).toEqual({
        messageId: one.messageId,
        reason: expect.stringMatching(new RegExp(`^MALFORMED_COMMAND: .*${one.property.replace('.', '\\.')}`)),
      });
      expect(reason).not.toContain('639171234999');
      expect(reason).not.toMatch(/\b30\b/);
    }
    const nothingToSell = reasons.get('env-nothing-to-sell') ?? '';
    expect(nothingToSell).toMatch(/^NO_MATCHING_PRODUCT: .*max_amount/);
    expect(nothingToSell).not.toMatch(/\d/);
    expect(await writtenFor([...refused.map((one) => one.messageId), 'env-nothing-to-sell'])).toEqual({
      topUps: 0,
      requests: 0,
    });
    expect(await writtenFor([...accepted.map((one) => one.messageId), 'env-published'])).toEqual({
      topUps: accepted.length + 1,
      requests: accepted.length + 1,
    });
    const metrics = await (await fetch(`${harness.app.metricsUrl}/metrics`)).text();
    expect(metrics).toContain(`airtime_consumer_commands_total{outcome="dead_lettered"} ${refused.length + 1}`);
    expect(metrics).toContain(`airtime_consumer_commands_total{outcome="accepted"} ${accepted.length + 1}`);
    expect(metrics).not.toMatch(/airtime_consumer_commands_total\{outcome="retried"\} [1-9]/);
  });
});
