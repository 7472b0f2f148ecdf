// The retry path's reasons on the real RabbitMQ: a command whose catalogue
// read (the provider catalogue) the provider refuses with a text of its own is parked in the retry
// queue and finally dead-lettered; its x-retry-reason, the log lines of the
// handler and of the runner, and the last dead-letter reason name the kind
// of failure (its code, the provider's code) and never quote the provider's
// text (the README: nothing from outside in a reason or a log).
import { fundAccount, inMemoryLayers, sampleCatalogue, sampleRequestInput } from '@airtime/application/testing';
import { ProviderCatalogue, type ProviderCatalogueService } from '@airtime/application';
import { ProviderRejected } from '@airtime/domain';
import {
  type BrokerConnection,
  DEAD_LETTER_HEADERS,
  type Delivery,
  declareTopology,
  makeBrokerConnection,
  makeTopUpCommandRunner,
  RETRY_HEADERS,
} from '@airtime/messaging-rabbitmq';
import {
  deleteTopology,
  openRawBroker,
  type RawBroker,
  testAmqpUrl,
  testTopology,
} from '@airtime/messaging-rabbitmq/testing';
import { Effect } from 'effect';
import { makePlatformMetrics } from '../observability/platform-metrics';
import { makeRecordingLogger } from '../../testing/recording-logger.fake';
import { makeTopUpCommandHandler, type CommandRuntime } from './top-up-command.handler';

const SECRET = 'SECRET-PROVIDER-TEXT';
const REASON = 'PROVIDER_REJECTED: dtone refused (code 1003001)';

const topology = testTopology('retry-reasons');
let broker: RawBroker | undefined;
let connection: BrokerConnection | undefined;

beforeAll(async () => {
  connection = makeBrokerConnection({
    url: testAmqpUrl(),
    connectionName: 'retry-reasons-spec',
    connectTimeoutMs: 2_000,
    heartbeatSeconds: 15,
    reconnectMinDelayMs: 20,
    reconnectMaxDelayMs: 200,
  });
  await Effect.runPromise(connection.start);
  await Effect.runPromise(declareTopology(connection, topology, 5_000));
  broker = await openRawBroker();
});

afterAll(async () => {
  await connection?.close();
  await broker?.close();
  await deleteTopology(topology);
});

describe('retry reasons (RabbitMQ)', () => {
  it('name the kind of a provider refusal, never its text: x-retry-reason, the log lines, the last dead-letter reason', async () => {
    if (broker === undefined || connection === undefined) throw new Error('set up in beforeAll');
    const world = inMemoryLayers({ products: sampleCatalogue });
    await world.run(fundAccount('account-1', 'USD', 100_000n));
    const refused = () =>
      Effect.fail(
        new ProviderRejected({ provider: 'dtone', providerCode: '1003001', reason: SECRET, retryable: true }),
      );
    const refusing: ProviderCatalogueService = { operatorsOf: refused, productsOf: refused };
    const runtime: CommandRuntime = {
      runPromiseExit: (effect, options) =>
        world.runtime.runPromiseExit(Effect.provideService(effect, ProviderCatalogue, refusing), options),
    };
    const { logger, lines } = makeRecordingLogger('info');
    const handler = makeTopUpCommandHandler({
      runtime,
      consumerName: 'retry-reasons',
      logger,
      metrics: makePlatformMetrics({ processMetrics: false }),
    });
    const seen: Delivery[] = [];
    const runner = makeTopUpCommandRunner({
      connection,
      topology,
      messaging: { prefetch: 5, confirmTimeoutMs: 2_000 },
      retry: { maxRetries: 2, minDelayMs: 20, maxDelayMs: 40 },
      handler: (delivery) => {
        seen.push(delivery);
        return handler(delivery);
      },
      logger,
    });
    await Effect.runPromise(runner.start);
    try {
      broker.channel.publish(
        topology.exchanges.commands.name,
        topology.routingKeys.topUpRequest,
        Buffer.from(JSON.stringify({ version: 1, ...sampleRequestInput() }), 'utf8'),
        { messageId: 'refused-1', type: 'topup.request', contentType: 'application/json', persistent: true },
      );
      const deadLetters = topology.queues.deadLetters.name;
      expect(await broker.waitForCount(deadLetters, 1, 10_000)).toBe(1);
      const [dead] = await broker.drain(deadLetters);

      expect(seen.map((delivery) => delivery.headers[RETRY_HEADERS.reason])).toEqual([undefined, REASON, REASON]);
      expect(dead?.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe(`${REASON} (given up after 2 retries)`);
      expect(JSON.stringify(dead?.properties.headers)).not.toContain(SECRET);

      const retried = lines.filter((line) => line['msg'] === 'top-up command will be retried');
      expect(retried).toHaveLength(3);
      for (const line of retried) expect(line).toMatchObject({ code: 'PROVIDER_REJECTED', rule: 'retry' });
      const parked = lines.filter((line) => line['msg'] === 'amqp delivery parked in the retry queue');
      expect(parked.map((line) => line['reason'])).toEqual([REASON, REASON]);
      expect(lines.find((line) => line['msg'] === 'amqp delivery out of retries')).toMatchObject({ reason: REASON });
      expect(JSON.stringify(lines)).not.toContain(SECRET);
    } finally {
      await runner.stop(1_000);
    }
  });
});
