// npm start with AMQP_URL: RabbitMQ is reached before anything is written,
// tried again until START_BROKER_TIMEOUT_MS has passed; a broker that stays
// down (or refuses the login) stops the start with one line naming AMQP_URL,
// its password masked, rather than an API that reconnects for ever and
// never becomes ready.
import { waitForBroker } from './broker-probe.client';

const URL_WITH_PASSWORD = 'amqp://guest:hunter2-secret@127.0.0.1:5673';

const refused = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5673'), { code: 'ECONNREFUSED', name: 'Error' });

describe('waitForBroker', () => {
  it('answers once a connection opens, closing it, after failures that may pass', async () => {
    let calls = 0;
    let closed = 0;
    await waitForBroker({
      url: URL_WITH_PASSWORD,
      connectTimeoutMs: 1_000,
      timeoutMs: 60_000,
      retryDelayMs: 1,
      connect: async () => {
        calls += 1;
        if (calls < 3) throw refused();
        return { close: async () => void (closed += 1) };
      },
    });
    expect(calls).toBe(3);
    expect(closed).toBe(1);
  });

  it('gives up when the wait is over with one line naming AMQP_URL, the password masked', async () => {
    let calls = 0;
    const failure = await waitForBroker({
      url: URL_WITH_PASSWORD,
      connectTimeoutMs: 1_000,
      timeoutMs: 0,
      retryDelayMs: 1,
      connect: async () => {
        calls += 1;
        throw refused();
      },
    }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(calls).toBe(1);
    expect(failure?.message).toBe(
      'cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:5673 (AMQP_URL) within 0 s (START_BROKER_TIMEOUT_MS): ' +
        'ECONNREFUSED; is RabbitMQ running? (npm run services starts a local one)',
    );
    expect(failure?.message).not.toContain('hunter2');
    expect(failure?.message).not.toContain('\n');
  });

  it('gives up at once on a refusal that will not pass (a refused login)', async () => {
    let calls = 0;
    const failure = await waitForBroker({
      url: URL_WITH_PASSWORD,
      connectTimeoutMs: 1_000,
      timeoutMs: 60_000,
      retryDelayMs: 1,
      connect: async () => {
        calls += 1;
        throw Object.assign(new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with hunter2-secret'), {
          code: 403,
        });
      },
    }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(calls).toBe(1);
    expect(failure?.message).toMatch(
      /^RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:5673 \(AMQP_URL\) refused the connection: .*ACCESS_REFUSED/,
    );
    expect(failure?.message).not.toContain('hunter2');
  });
});
