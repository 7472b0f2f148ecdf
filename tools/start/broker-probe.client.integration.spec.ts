// npm start with AMQP_URL: RabbitMQ is reached before anything is written,
// through the platform's own broker connection, tried again until
// START_BROKER_TIMEOUT_MS has passed; a broker that stays down (or refuses
// the login) stops the start with one line naming AMQP_URL, its password
// masked, rather than an API that reconnects for ever and never becomes
// ready. (platform-broker.integration.spec.ts runs npm start itself.)
import { createServer, type AddressInfo } from 'node:net';
import { testAmqpUrl } from '@airtime/messaging-rabbitmq/testing';
import { waitForBroker } from './broker-probe.client';

/** A port nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

const failureOf = (waiting: Promise<void>): Promise<Error | undefined> =>
  waiting.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

describe('waitForBroker', () => {
  it('answers once the broker takes the connection', async () => {
    await expect(waitForBroker({ url: testAmqpUrl(), timeoutMs: 5_000 })).resolves.toBeUndefined();
  });

  it('gives up when the wait is over with one line naming AMQP_URL and START_BROKER_TIMEOUT_MS, the password masked', async () => {
    const port = await closedPort();
    const failure = await failureOf(
      waitForBroker({ url: `amqp://guest:hunter2-secret@127.0.0.1:${port}`, timeoutMs: 0 }),
    );
    expect(failure?.message).toBe(
      `cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:${port} (AMQP_URL) within 0 s (START_BROKER_TIMEOUT_MS): ` +
        'ECONNREFUSED; is RabbitMQ running? (npm run services starts a local one)',
    );
    expect(failure?.message).not.toContain('hunter2');
    expect(failure?.message).not.toContain('\n');
  });

  it('gives up at once on a refusal that will not pass (a refused login), the password masked', async () => {
    const url = new URL(testAmqpUrl());
    url.password = 'hunter2-secret';
    const failure = await failureOf(waitForBroker({ url: url.toString(), timeoutMs: 60_000 }));
    expect(failure?.message).toMatch(
      /^RabbitMQ at amqp:\/\/[^:@/]+:\*\*\*@\S+ \(AMQP_URL\) refused the connection: .*ACCESS_REFUSED/,
    );
    expect(failure?.message).not.toContain('hunter2');
  });
});
