// The consumer's start refuses a database with pending migrations before it
// touches anything else: the error names `npm run db:migrate`, and no
// topology is declared on the broker.
import 'reflect-metadata';
import { openRawBroker, testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { createTestDatabase } from '@airtime/persistence-postgres/testing';
import { Either } from 'effect';
import { Writable } from 'node:stream';
import { consumerConfigFrom } from './config/consumer.config';
import { startConsumerApp } from './consumer-app.runner';
import { makeLogger } from '@airtime/platform-runtime';

describe('starting the consumer', () => {
  it('refuses a database with pending migrations, naming npm run db:migrate, before touching the broker', async () => {
    const [fresh, broker] = await Promise.all([createTestDatabase({ migrate: false }), openRawBroker()]);
    const prefix = uniqueTopologyPrefix('unmigrated');
    try {
      const config = Either.getOrThrow(
        consumerConfigFrom({
          DATABASE_URL: fresh.config.url,
          AMQP_URL: testAmqpUrl(),
          AMQP_TOPOLOGY_PREFIX: prefix,
          METRICS_PORT: '0',
          PROVIDER: 'simulator',
        }),
      );
      const logger = makeLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));
      await expect(startConsumerApp({ config, logger })).rejects.toThrow(
        /is not migrated \(\d+ migrations not applied: .+\): run npm run db:migrate first/,
      );
      const channel = await broker.freshChannel();
      await expect(channel.checkExchange(`${prefix}.commands`)).rejects.toMatchObject({ code: 404 });
    } finally {
      await Promise.all([fresh.drop(), broker.close()]);
    }
  });
});
