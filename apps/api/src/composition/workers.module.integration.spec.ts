// The consumer's workers in the API process (API_WORKERS=true), on a
// PostgreSQL database of this file's own and the DVS simulator's HTTP
// server, the simulator's callbacks coming back to the API
// (PROVIDER_CALLBACK_BASE_URL): over the in-process bus (MESSAGING=in-process,
// no broker connection at all) and over RabbitMQ (a topology prefix of its
// own), a top-up sent through POST /v1/topups reaches COMPLETED, charged
// once; the stop closes everything. On the in-process bus the outbox is not
// relayed: its events stay unsent, for a relay on RabbitMQ.
import 'reflect-metadata';
import { createServer, type AddressInfo } from 'node:net';
import { depositFunds, issueApiKey, openCustomerAccount } from '@airtime/application';
import { topologyFor } from '@airtime/messaging-rabbitmq';
import { deleteTopology, testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { silentLogger } from '@airtime/platform-runtime/testing';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import { Either } from 'effect';
import { type ApiApp, startApiApp } from '../api-app.runner';
import { apiConfigFrom } from '../config/api.config';
import { IN_PROCESS_BUS } from './in-process-messaging.module';
import { TOKENS } from './tokens';
import { WORKERS } from './workers.module';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the workers in the API process', () => {
  let db: TestDatabase;
  let simulator: DvsSimulatorTestServer;
  const prefix = uniqueTopologyPrefix('api-workers');

  beforeAll(async () => {
    [db, simulator] = await Promise.all([createTestDatabase(), startDvsSimulatorServer()]);
  });

  afterAll(async () => {
    await Promise.all([db?.drop(), simulator?.close(), deleteTopology(topologyFor(prefix))]);
  });

  const start = async (environment: Record<string, string>): Promise<ApiApp> => {
    const port = await freePort();
    const config = Either.getOrThrow(
      apiConfigFrom({
        DATABASE_URL: db.config.url,
        API_PORT: String(port),
        PROVIDER_CALLBACK_BASE_URL: `http://127.0.0.1:${port}`,
        DTONE_BASE_URL: simulator.baseUrl,
        DTONE_API_KEY: simulator.apiKey,
        DTONE_API_SECRET: simulator.apiSecret,
        API_WORKERS: 'true',
        ...environment,
      }),
    );
    return startApiApp({ config, logger: silentLogger() });
  };

  /** Opens `accountId` with USD 1000.00 and answers a key of it. */
  const keyFor = async (app: ApiApp, accountId: string): Promise<string> => {
    const runtime = await app.container.getAsync(TOKENS.runtime);
    await runtime.runPromise(openCustomerAccount({ id: accountId, name: accountId }));
    await runtime.runPromise(
      depositFunds({ accountId, currency: 'USD', amount: '1000.00', depositId: `${accountId}-deposit` }),
    );
    return (await runtime.runPromise(issueApiKey({ label: 'spec', accountIds: [accountId] }))).key;
  };

  const call = async (app: ApiApp, key: string, path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${app.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${key}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': 'first' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** Sends a top-up a Globe number ending in 100 (the sandbox completes it) and follows it until final. */
  const topUpCompletes = async (app: ApiApp, accountId: string): Promise<void> => {
    const key = await keyFor(app, accountId);
    const sent = await call(app, key, '/v1/topups', {
      method: 'POST',
      body: { phone_number: '+639171234100', currency: 'PHP', max_amount: '30' },
    });
    expect(sent.status).toBe(202);
    const id = String(sent.body['id']);
    let status = '';
    for (let waited = 0; waited < 30_000 && status !== 'COMPLETED'; waited += 100) {
      await sleep(100);
      const read = await call(app, key, `/v1/topups/${id}`);
      status = String((read.body['status'] as { class?: unknown } | undefined)?.class);
    }
    // STALLED_AFTER_MS is 2 min by default: only the simulator's callback settles it this soon
    expect(status).toBe('COMPLETED');
    const balance = await call(app, key, `/v1/accounts/${accountId}/balance`);
    expect(balance.body).toEqual({
      account_id: accountId,
      balances: [
        expect.objectContaining({
          currency: 'USD',
          available: { amount: '999.45', currency: 'USD' },
          holding: { amount: '0.00', currency: 'USD' },
        }),
      ],
    });
  };

  it('on the in-process bus: no broker, /readyz checks the bus, a top-up completes through the callback', async () => {
    const app = await start({ MESSAGING: 'in-process', SCHEDULER_INTERVAL_MS: '50' });
    try {
      expect(app.container.isBound(TOKENS.brokerConnection)).toBe(false);
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      await topUpCompletes(app, 'in-process-team');
      const bus = await app.container.getAsync(IN_PROCESS_BUS);
      expect(bus.deadLetters()).toEqual([]);
      // no outbox relay on the bus (no subscriber): the top-up's events stay unsent in the outbox, for RabbitMQ
      await sleep(500); // many scheduler ticks (SCHEDULER_INTERVAL_MS=50)
      expect(bus.events()).toEqual([]);
      const dataSource = await app.container.getAsync(TOKENS.dataSource);
      const rows: { type: string; sent: boolean }[] = await dataSource.query(
        'SELECT type, sent_at IS NOT NULL AS sent FROM outbox ORDER BY occurred_at, id',
      );
      expect(rows.map((row) => row.type)).toContain('topup.completed');
      expect(rows.filter((row) => row.sent)).toEqual([]);
    } finally {
      expect(await app.stop()).toEqual([]);
    }
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('on RabbitMQ: the workers consume the commands queue, a top-up completes through the callback', async () => {
    const app = await start({ AMQP_URL: testAmqpUrl(), AMQP_TOPOLOGY_PREFIX: prefix });
    try {
      const workers = await app.container.getAsync(WORKERS);
      expect(workers.runner.inFlight()).toBe(0);
      await topUpCompletes(app, 'rabbitmq-team');
    } finally {
      expect(await app.stop()).toEqual([]);
    }
    expect(app.container.isBound(WORKERS)).toBe(false);
  }, 60_000);
});
